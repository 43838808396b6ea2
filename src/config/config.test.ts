import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  assertApiStartable,
  ConfigError,
  configSecrets,
  describeConfig,
  loadConfig,
  registerKnownVariables,
  streamUrlFor,
  VARIABLE_LIST,
} from './config.js';
import { getPath } from './declaration.js';
import { Secret } from './secret.js';

function issuesOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((i) => i.variable);
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to the embedded simulator, SQLite and the embedded bus on paper', () => {
    const config = loadConfig({});
    expect(config.environment).toBe('paper');
    expect(config.broker.mode).toBe('simulator');
    expect(config.broker.tradingBaseUrl).toBe('https://paper-api.alpaca.markets');
    expect(config.broker.streamUrl).toBe('wss://paper-api.alpaca.markets/stream');
    expect(config.database).toEqual({ url: 'sqlite:./data/centaur.db', dialect: 'sqlite' });
    expect(config.bus.kind).toBe('embedded');
    expect(config.bus.streamName).toBe('centaur:commands:default');
    expect(config.api).toMatchObject({ host: '127.0.0.1', port: 8000, token: null });
    expect(config.engine).toEqual({
      pollIntervalSeconds: 10,
      syncMinIntervalSeconds: 3,
      enableTradingWs: true,
      tradingWsMaxBackoffSeconds: 30,
    });
    expect(config.draftTtlSeconds).toBe(60);
    expect(config.logLevel).toBe('info');
  });

  it('returns a frozen result', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.broker)).toBe(true);
    expect(() => {
      (config.api as { port: number }).port = 1;
    }).toThrow();
  });

  it('accepts every alias of the design table', () => {
    const config = loadConfig({
      APCA_API_KEY_ID: 'AKEXAMPLEKEY0001',
      APCA_API_SECRET_KEY: 'secretexamplevalue0001',
      ALPACA_API_TRADING_URL: 'http://127.0.0.1:4010/',
      DB_URL: 'postgres://centaur@127.0.0.1:5432/centaur',
      PROFILE_ID: 'alice',
    });
    expect(config.broker.mode).toBe('alpaca');
    expect(config.broker.keyId?.reveal()).toBe('AKEXAMPLEKEY0001');
    expect(config.broker.tradingBaseUrl).toBe('http://127.0.0.1:4010');
    expect(config.broker.streamUrl).toBe('ws://127.0.0.1:4010/stream');
    expect(config.database.dialect).toBe('postgres');
    expect(config.profileId).toBe('alice');
    expect(loadConfig({ ALPACA_API_KEY_ID: 'k1234', ALPACA_API_SECRET_KEY: 's1234' }).broker.mode).toBe(
      'alpaca',
    );
    expect(loadConfig({ SQLITE_URL: 'sqlite:/tmp/x.db' }).database.url).toBe('sqlite:/tmp/x.db');
  });

  it('rejects an alias that disagrees with the canonical variable', () => {
    expect(issuesOf({ DATABASE_URL: 'sqlite:a.db', DB_URL: 'sqlite:b.db' })).toEqual(['DATABASE_URL']);
  });

  it('derives live URLs from the paper flag', () => {
    const config = loadConfig({ ALPACA_PAPER_TRADING: 'false' });
    expect(config.environment).toBe('live');
    expect(config.database.url).toBe('sqlite:./data/centaur-live.db');
    expect(config.broker.liveTradingEnabled).toBe(false);
    expect(
      loadConfig({ ALPACA_PAPER_TRADING: 'false', CENTAUR_LIVE_TRADING: 'enabled' }).broker
        .liveTradingEnabled,
    ).toBe(true);
    expect(config.broker.tradingBaseUrl).toBe('https://api.alpaca.markets');
    expect(config.broker.streamUrl).toBe('wss://api.alpaca.markets/stream');
  });

  it('refuses a paper flag that contradicts the trading URL', () => {
    expect(
      issuesOf({ ALPACA_PAPER_TRADING: 'true', ALPACA_TRADING_BASE_URL: 'https://api.alpaca.markets' }),
    ).toEqual(['ALPACA_PAPER_TRADING']);
    expect(
      issuesOf({
        ALPACA_PAPER_TRADING: 'false',
        ALPACA_TRADING_BASE_URL: 'https://paper-api.alpaca.markets',
      }),
    ).toEqual(['ALPACA_PAPER_TRADING']);
  });

  it('names every bad variable in one error', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({
        ALPACA_PAPER_TRADING: 'maybe',
        DATABASE_URL: 'mysql://x',
        API_PORT: '99999',
        ENGINE_POLL_INTERVAL_SECONDS: '-1',
        LOG_LEVEL: 'loud',
        ALPACA_DATA_FEED: 'bloomberg',
      });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.exitCode).toBe(2);
    expect(error?.issues.map((i) => i.variable).sort()).toEqual([
      'ALPACA_DATA_FEED',
      'ALPACA_PAPER_TRADING',
      'API_PORT',
      'DATABASE_URL',
      'ENGINE_POLL_INTERVAL_SECONDS',
      'LOG_LEVEL',
    ]);
    expect(error?.message).toContain('DATABASE_URL: expected sqlite:<path> or postgres://');
    expect(error?.message).toContain('ALPACA_PAPER_TRADING: expected true or false');
  });

  it('requires both credentials or neither', () => {
    expect(issuesOf({ ALPACA_API_KEY: 'AKEXAMPLE' })).toEqual(['ALPACA_API_SECRET']);
    expect(issuesOf({ ALPACA_API_SECRET: 'shh-secret' })).toEqual(['ALPACA_API_KEY']);
  });

  it('refuses a non-loopback bind without an API token', () => {
    expect(issuesOf({ API_HOST: '0.0.0.0' })).toEqual(['API_TOKEN']);
    expect(loadConfig({ API_HOST: '0.0.0.0', API_TOKEN: 'a-long-enough-token-1234' }).api.host).toBe(
      '0.0.0.0',
    );
  });

  it('warns about unknown ALPACA_, ENGINE_ and RISK_ variables', () => {
    const config = loadConfig({
      ALPACA_API_KEYY: 'x',
      ENGINE_POLL: '3',
      RISK_MAX_THING: '1',
      OTHER_VAR: 'y',
    });
    expect(config.warnings).toEqual([
      'unknown variable ALPACA_API_KEYY (a typo?) is ignored',
      'unknown variable ENGINE_POLL (a typo?) is ignored',
      'unknown variable RISK_MAX_THING (a typo?) is ignored',
    ]);
    registerKnownVariables(['RISK_MAX_THING']);
    expect(loadConfig({ RISK_MAX_THING: '1' }).warnings).toEqual([]);
  });

  it('never shows a secret when printed', () => {
    const config = loadConfig({
      ALPACA_API_KEY: 'AKVERYSECRETKEY123',
      ALPACA_API_SECRET: 'VERYSECRETSECRET456',
      API_TOKEN: 'token-token-token-789',
      DATABASE_URL: 'postgres://centaur:hunter2@db:5432/centaur',
      REDIS_URL: 'redis://:redispass@redis:6379',
    });
    const printed = [
      JSON.stringify(describeConfig(config)),
      inspect(config.broker, { depth: 10 }),
      inspect(config.api, { depth: 10 }),
      String(config.broker.secret),
    ].join('\n');
    for (const secret of [
      'AKVERYSECRETKEY123',
      'VERYSECRETSECRET456',
      'token-token-token-789',
      'hunter2',
      'redispass',
    ]) {
      expect(printed).not.toContain(secret);
    }
    expect(printed).toContain('postgres://centaur:***@db:5432/centaur');
  });

  it('masks tricky URL credentials and shows only scheme and host of the webhook URL', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db:5432/centaur?password=pgsecret&sslmode=require',
      REDIS_URL: 'redis://:p@ss@redis:6379',
      NOTIFY_WEBHOOK_URL: 'https://hooks.example.com/services/T00/B00/XXXXSECRET',
    });
    const printed = JSON.stringify(describeConfig(config));
    for (const secret of ['pgsecret', 'p@ss', 'ss@redis', 'XXXXSECRET', '/services/T00']) {
      expect(printed).not.toContain(secret);
    }
    const described = describeConfig(config) as {
      database: { url: string };
      bus: { redisUrl: string };
      notify: { webhookUrl: string };
    };
    expect(described.database.url).toBe('postgres://u@db:5432/centaur?password=***&sslmode=require');
    expect(described.bus.redisUrl).toBe('redis://:***@redis:6379');
    expect(described.notify.webhookUrl).toBe('https://hooks.example.com/***');
  });
});

describe('secrets, as declared', () => {
  it('declares the credentials secret, and every name that looks like one', () => {
    const secret = VARIABLE_LIST.filter((p) => p.variable.secret !== undefined).map(
      (p) => `${p.variable.name}:${p.variable.secret}`,
    );
    expect(secret).toEqual([
      'ALPACA_API_KEY:value',
      'ALPACA_API_SECRET:value',
      'DATABASE_URL:url',
      'REDIS_URL:url',
      'API_TOKEN:value',
      'NOTIFY_WEBHOOK_URL:webhook',
    ]);
    for (const { variable: v } of VARIABLE_LIST) {
      if (/KEY|SECRET|TOKEN|PASSWORD|WEBHOOK/.test(v.name)) expect(v.secret, v.name).toBeDefined();
    }
  });

  it('holds value secrets as Secret and lists every secret for the logger', () => {
    const config = loadConfig({
      ALPACA_API_KEY: 'AKVERYSECRETKEY123',
      ALPACA_API_SECRET: 'VERYSECRETSECRET456',
      API_TOKEN: 'token-token-token-789',
      DATABASE_URL: 'postgres://centaur:hunter2@db:5432/centaur',
      REDIS_URL: 'redis://:redispass@redis:6379',
      NOTIFY_WEBHOOK_URL: 'https://hooks.example.com/services/T00/XXXXSECRET',
    });
    for (const { path, variable } of VARIABLE_LIST) {
      if (variable.secret === 'value') expect(getPath(config, path), variable.name).toBeInstanceOf(Secret);
    }
    expect(configSecrets(config)).toEqual(
      expect.arrayContaining([
        'AKVERYSECRETKEY123',
        'VERYSECRETSECRET456',
        'token-token-token-789',
        'hunter2',
        'redispass',
        'https://hooks.example.com/services/T00/XXXXSECRET',
        '/services/T00/XXXXSECRET',
      ]),
    );
    expect(configSecrets(loadConfig({}))).toEqual([]);
  });
});

describe('defaults and issues', () => {
  it('reports only the paper flag when it is bad, not the defaults that depend on it', () => {
    expect(issuesOf({ ALPACA_PAPER_TRADING: 'maybe' })).toEqual(['ALPACA_PAPER_TRADING']);
    expect(issuesOf({ ALPACA_PAPER_TRADING: 'maybe', DATABASE_URL: 'mysql://x' }).sort()).toEqual([
      'ALPACA_PAPER_TRADING',
      'DATABASE_URL',
    ]);
  });

  it('reports an alias conflict together with the rules across variables', () => {
    expect(issuesOf({ DATABASE_URL: 'sqlite:a.db', DB_URL: 'sqlite:b.db', API_HOST: '0.0.0.0' })).toEqual([
      'DATABASE_URL',
      'API_TOKEN',
    ]);
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig({ API_PORT: '', RISK_MAX_DAILY_LOSS: '', ALPACA_API_KEY: '' });
    expect(config.api.port).toBe(8000);
    expect(config.risk.maxDailyLoss).toEqual({ kind: 'percent', value: '3' });
    expect(config.broker.keyId).toBeNull();
  });
});

describe('API access', () => {
  it('reads API_ALLOWED_HOSTS as normalized host names and names a bad one', () => {
    expect(loadConfig({ API_ALLOWED_HOSTS: ' Centaur.LAN , 10.0.0.5,[fd00::1] ' }).api.allowedHosts).toEqual([
      'centaur.lan',
      '10.0.0.5',
      'fd00::1',
    ]);
    expect(loadConfig({}).api.allowedHosts).toEqual([]);
    for (const bad of ['http://x.lan', 'x.lan:8000', 'a b', '*.lan', '300.1.1.1', 'x.lan/path']) {
      expect(issuesOf({ API_ALLOWED_HOSTS: bad }), bad).toEqual(['API_ALLOWED_HOSTS']);
    }
  });

  it('refuses to start the API in live mode without API_TOKEN, naming the variable', () => {
    const live = loadConfig({ ALPACA_PAPER_TRADING: 'false' });
    let error: unknown;
    try {
      assertApiStartable(live);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.variable)).toEqual(['API_TOKEN']);
    expect((error as ConfigError).exitCode).toBe(2);
    expect(() =>
      assertApiStartable(
        loadConfig({ ALPACA_PAPER_TRADING: 'false', API_TOKEN: 'a-long-enough-token-1234' }),
      ),
    ).not.toThrow();
    expect(() => assertApiStartable(loadConfig({}))).not.toThrow();
  });
});

describe('streamUrlFor', () => {
  it('keeps the host and switches the scheme to a WebSocket one', () => {
    expect(streamUrlFor('https://paper-api.alpaca.markets')).toBe('wss://paper-api.alpaca.markets/stream');
    expect(streamUrlFor('http://localhost:9000/')).toBe('ws://localhost:9000/stream');
  });
});

describe('risk, kill switch and notification settings', () => {
  it('has safe defaults', () => {
    const config = loadConfig({});
    expect(config.risk).toMatchObject({
      symbolAllowlist: [],
      maxOrderNotional: '10000',
      maxOpenOrders: 20,
      allowShort: false,
      allowExtendedHours: false,
      maxDailyLoss: { kind: 'percent', value: '3' },
      flattenOnDailyLoss: false,
    });
    expect(config.killSwitch.suspendBroker).toBe(false);
    expect(config.notify).toEqual({ webhookUrl: null, streamDownSeconds: 60 });
  });

  it('parses lists, amounts and percentages', () => {
    const config = loadConfig({
      RISK_SYMBOL_ALLOWLIST: 'aapl, MSFT,brk.b',
      RISK_MAX_DAILY_LOSS: '750.50',
      RISK_ALLOW_SHORT: 'yes',
      NOTIFY_WEBHOOK_URL: 'http://127.0.0.1:9/hook',
    });
    expect(config.risk.symbolAllowlist).toEqual(['AAPL', 'MSFT', 'BRK.B']);
    expect(config.risk.maxDailyLoss).toEqual({ kind: 'amount', value: '750.50' });
    expect(config.risk.allowShort).toBe(true);
    expect(config.notify.webhookUrl).toBe('http://127.0.0.1:9/hook');
  });

  it('names bad risk values', () => {
    expect(
      issuesOf({
        RISK_MAX_DAILY_LOSS: 'lots',
        RISK_MAX_OPEN_ORDERS: '2.5',
        RISK_MAX_ORDER_NOTIONAL: '-5',
      }).sort(),
    ).toEqual(['RISK_MAX_DAILY_LOSS', 'RISK_MAX_OPEN_ORDERS', 'RISK_MAX_ORDER_NOTIONAL']);
  });
});
