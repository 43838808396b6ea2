/**
 * The API app factory: `buildApp(deps)` assembles the Fastify control plane (Host/Origin guard,
 * auth, error handling, OpenAPI at /docs, every route) without listening, so tests drive it with
 * `inject()` and server.ts (or the all-in-one start) puts it on a port. Logs go through the given
 * pino logger, so every line of a request carries its request id.
 *
 * Order matters: the configuration is checked first (live mode needs API_TOKEN: ConfigError,
 * exit code 2), and the Host/Origin guard is the first onRequest hook, before auth and before
 * any plugin's routes (OpenAPI, static UI) are registered, so it covers every route.
 */
import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { pollingChangeNotifier } from '../adapters/changes/in-process-change-notifier.js';
import { systemClock, uuidGenerator } from '../adapters/system/system-clock.js';
import { assertApiStartable } from '../config/config.js';
import { VERSION } from '../version.js';
import { installRefusalAudit } from './audit-trail.js';
import { installAuth } from './auth.js';
import { ChangeFeed } from './change-feed.js';
import { type ApiContext, type ApiDeps, resolveOptions } from './context.js';
import { installErrorHandling } from './errors.js';
import { installHostGuard } from './host-guard.js';
import { createApiMetrics, registerMetricsRoute } from './metrics.js';
import { registerAuditRoutes } from './routes/audit.js';
import { registerCommandRoutes } from './routes/commands.js';
import { registerDraftRoutes } from './routes/drafts.js';
import { registerEventRoutes } from './routes/events.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerStateRoutes } from './routes/state.js';
import { registerStaticUi } from './static-ui.js';
import { sharedSchemas } from './wire-schemas.js';

export type { ApiDeps, ApiOptions } from './context.js';

function context(deps: ApiDeps): ApiContext {
  return {
    config: deps.config,
    store: deps.store,
    bus: deps.bus,
    changes: deps.changes ?? pollingChangeNotifier,
    clock: deps.clock ?? systemClock,
    ids: deps.ids ?? uuidGenerator,
    log: deps.log,
    options: resolveOptions(deps.config, deps.options),
    profileId: deps.config.profileId,
    metrics: createApiMetrics(deps.store, deps.config.profileId),
  };
}

async function registerOpenApi(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  await app.register(swagger, {
    // Shared schemas become OpenAPI components named by their $id (Position, Order, ApiError...).
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    openapi: {
      info: {
        title: 'Centaur control plane',
        version: VERSION,
        description: `Profile ${ctx.profileId}. Errors: {"error": {"code", "message", "details"}}; see docs/api.md.`,
      },
      components: ctx.config.api.token
        ? { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } }
        : {},
      security: ctx.config.api.token ? [{ bearer: [] }] : [],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}

export async function buildApp(deps: ApiDeps): Promise<FastifyInstance> {
  assertApiStartable(deps.config);
  const ctx = context(deps);
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    genReqId: () => randomUUID(),
    requestIdHeader: 'x-request-id',
    bodyLimit: ctx.options.bodyLimit,
    // Closing does not wait for idle keep-alive or long-lived (SSE) clients to leave.
    forceCloseConnections: true,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true } },
  });
  installHostGuard(app, ctx.config);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.header('x-centaur-environment', ctx.config.environment);
  });
  app.removeContentTypeParser('text/plain'); // bodies are JSON only: anything else is a 415
  installErrorHandling(app);
  installAuth(app, ctx.config.api.token);
  installRefusalAudit(app, ctx);
  for (const schema of sharedSchemas()) app.addSchema(schema);
  await registerOpenApi(app, ctx);
  registerHealthRoutes(app, ctx);
  registerMetricsRoute(app, ctx.metrics);
  registerStateRoutes(app, ctx);
  registerCommandRoutes(app, ctx);
  registerDraftRoutes(app, ctx);
  registerEventRoutes(app, ctx, new ChangeFeed(ctx, ctx.changes));
  registerAuditRoutes(app, ctx);
  await registerStaticUi(app);
  await app.ready();
  return app;
}
