import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Service {
  profiles?: string[];
  command?: string[];
  ports?: string[];
  env_file?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  image?: string;
}

const compose = parse(readFileSync('deploy/docker-compose.yml', 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;

describe('docker-compose.yml', () => {
  it('has the paper and live stacks with shared postgres and redis', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'api-live',
        'api-paper',
        'engine-live',
        'engine-paper',
        'migrate-live',
        'migrate-paper',
        'postgres',
        'redis',
      ].sort(),
    );
    for (const env of ['paper', 'live']) {
      for (const role of ['migrate', 'engine', 'api']) {
        expect(services[`${role}-${env}`]?.profiles).toEqual([env]);
        expect(services[`${role}-${env}`]?.command).toEqual([role]);
        expect(services[`${role}-${env}`]?.env_file).toEqual([`env/${env}.env`]);
      }
      expect(services.postgres?.profiles).toContain(env);
      expect(services.redis?.profiles).toContain(env);
    }
  });

  it('persists postgres in a volume and redis with AOF', () => {
    expect(services.postgres?.volumes).toContain('postgres-data:/var/lib/postgresql/data');
    expect(services.redis?.volumes).toContain('redis-data:/data');
    expect((services.redis as { command: string[] }).command.join(' ')).toContain('--appendonly yes');
    expect(Object.keys(compose.volumes)).toEqual(['postgres-data', 'redis-data']);
  });

  it('keeps the original ports: paper API 8000 and UI 8501, live API 8001 and UI 8502', () => {
    expect(services['api-paper']?.ports).toEqual(['127.0.0.1:8000:8000', '127.0.0.1:8501:8000']);
    expect(services['api-live']?.ports).toEqual(['127.0.0.1:8001:8001', '127.0.0.1:8502:8001']);
  });

  it('gives paper and live separate databases and engines their own profile', () => {
    for (const env of ['paper', 'live']) {
      for (const role of ['migrate', 'engine', 'api']) {
        expect(services[`${role}-${env}`]?.environment?.DATABASE_URL).toMatch(new RegExp(`/centaur_${env}$`));
        expect(services[`${role}-${env}`]?.environment?.REDIS_URL).toBe('redis://redis:6379');
      }
    }
    expect(services['engine-live']?.environment?.ALPACA_PAPER_TRADING).toBe('false');
    expect(services['engine-paper']?.environment?.ENGINE_PROFILE_ID).toBe('paper');
  });

  it('runs engines and APIs only after their migration succeeded', () => {
    for (const env of ['paper', 'live']) {
      for (const role of ['engine', 'api']) {
        expect(services[`${role}-${env}`]?.depends_on?.[`migrate-${env}`]).toEqual({
          condition: 'service_completed_successfully',
        });
      }
    }
  });
});

describe('image', () => {
  const dockerfile = readFileSync('deploy/Dockerfile', 'utf8');
  const ignore = readFileSync('.dockerignore', 'utf8').split('\n');

  it('is multi-stage and runs as a non-root user', () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^USER centaur$/m);
    expect(dockerfile).not.toMatch(/ALPACA_API_(KEY|SECRET)|API_TOKEN=/);
  });

  it('keeps env files and local state out of the build context', () => {
    for (const pattern of ['.env', '.env.*', 'deploy/env/*.env', 'data/', '*.db'])
      expect(ignore).toContain(pattern);
  });

  it('ships env examples without values for secrets', () => {
    for (const env of ['paper', 'live']) {
      const example = readFileSync(`deploy/env/${env}.env.example`, 'utf8');
      for (const name of ['ALPACA_API_KEY', 'ALPACA_API_SECRET', 'API_TOKEN']) {
        expect(example).toMatch(new RegExp(`^${name}=$`, 'm'));
      }
    }
    expect(readFileSync('deploy/env/live.env.example', 'utf8')).toMatch(/^CENTAUR_LIVE_TRADING=enabled$/m);
  });
});
