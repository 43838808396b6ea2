/**
 * REST routes for the account: /v2/account, /v2/account/configurations, /v2/positions,
 * /v2/account/activities and /v2/account/portfolio/history.
 * Must preserve: wire shapes of §2.1, §2.2, §2.8, §2.9; 207 for close-all.
 */
import type { FastifyInstance } from 'fastify';
import { accountToWire } from './account-view.js';
import { listActivities } from './activities.js';
import type { AccountConfig } from './broker-state.js';
import { dayTradeCount } from './day-trades.js';
import { simErrors } from './errors.js';
import { orderToWire } from './order-model.js';
import { portfolioHistory } from './portfolio-history.js';
import { closeAll, closePosition, getPosition, liquidationFailed, listPositions } from './positions.js';
import { bool, type Query } from './query.js';
import type { SimContext } from './sim-context.js';

type Params = Record<string, string>;

const CONFIG_BOOLEANS = [
  'no_shorting',
  'suspend_trade',
  'fractional_trading',
  'ptp_no_exception_entry',
  'disable_overnight_trading',
] as const;

function patchConfig(config: AccountConfig, raw: unknown): AccountConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw simErrors.malformedBody();
  const body = raw as Record<string, unknown>;
  const next = { ...config };
  for (const key of Object.keys(body)) {
    const value = body[key];
    if ((CONFIG_BOOLEANS as readonly string[]).includes(key)) {
      if (typeof value !== 'boolean') throw simErrors.invalid(`${key} must be a boolean`);
      (next as unknown as Record<string, unknown>)[key] = value;
    } else if (key === 'max_margin_multiplier') {
      if (!['1', '2', '4'].includes(String(value)))
        throw simErrors.invalid('max_margin_multiplier must be 1, 2 or 4');
      next.max_margin_multiplier = String(value);
    } else if (key === 'trade_confirm_email') {
      if (value !== 'all' && value !== 'none')
        throw simErrors.invalid('trade_confirm_email must be all or none');
      next.trade_confirm_email = value;
    } else if (key === 'max_options_trading_level') {
      if (typeof value !== 'number' || ![0, 1, 2, 3].includes(value)) {
        throw simErrors.invalid('max_options_trading_level must be 0-3');
      }
      next.max_options_trading_level = value;
    } else {
      throw simErrors.invalid(`unknown configuration ${key}`);
    }
  }
  return next;
}

export function registerAccountRoutes(app: FastifyInstance, ctx: SimContext): void {
  const broker = ctx.broker;
  app.get('/v2/account', async () => {
    broker.sync();
    const s = broker.state;
    return accountToWire(
      { ...s.meta, tradeSuspendedByUser: s.config.suspend_trade },
      broker.figures(),
      dayTradeCount(s),
    );
  });
  app.get('/v2/account/configurations', async () => broker.state.config);
  app.patch('/v2/account/configurations', async (req) => {
    broker.state.config = patchConfig(broker.state.config, req.body);
    return broker.state.config;
  });
  app.get('/v2/positions', async () => listPositions(broker));
  app.get('/v2/positions/:symbol', async (req) => getPosition(broker, (req.params as Params).symbol ?? ''));
  const closeFails = () => ctx.faults.close_error_rate > 0 && ctx.faultRng() < ctx.faults.close_error_rate;
  app.delete('/v2/positions/:symbol', async (req) => {
    const q = req.query as Query;
    if (closeFails()) throw liquidationFailed();
    return orderToWire(closePosition(broker, (req.params as Params).symbol ?? '', q.qty, q.percentage));
  });
  app.delete('/v2/positions', async (req, reply) => {
    const results = closeAll(broker, bool(req.query as Query, 'cancel_orders', false), closeFails);
    return reply.code(207).send(results);
  });
  app.get('/v2/account/activities', async (req) => listActivities(broker.state, req.query as Query, null));
  app.get('/v2/account/activities/:type', async (req) =>
    listActivities(broker.state, req.query as Query, (req.params as Params).type ?? ''),
  );
  app.get('/v2/account/portfolio/history', async (req) => portfolioHistory(broker, req.query as Query));
}
