// sealdesk-server's HTTP surface: Fastify with schema validation on every route, pino logs, the seed 001 routes as
// plugins (server/routes/index.ts), and one error handler that gives every failure the seed's `{message}` body.
import Fastify, { type FastifyInstance } from 'fastify';
import { HttpError, toHttp } from './errors.js';
import type { ServerContext } from './context.js';
import { registerRoutes } from './routes/index.js';
import { registerIdempotency } from './idempotency.js';

export type ServerOptions = { readonly logger?: boolean | { level: string } };

export async function buildServer(ctx: ServerContext, o: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: o.logger ?? false,
    bodyLimit: ctx.limits.maxJsonBytes,
    // Validation: every route declares its schema; unknown properties are refused, nothing is coerced silently.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    trustProxy: false,
    // A path parameter may be a SHA-512 in hex (GET /api/lookup/{hash}: 128 characters; the default allows 100).
    routerOptions: { maxParamLength: 256 },
  });
  app.setErrorHandler((err, request, reply) => {
    if ((err as { validation?: unknown }).validation) {
      return reply.status(400).send({ message: (err as Error).message });
    }
    const status = (err as { statusCode?: number }).statusCode;
    if (!(err instanceof HttpError) && status && status >= 400 && status < 500) {
      return reply.status(status).send({ message: (err as Error).message });
    }
    const { status: code, body } = toHttp(err);
    if (code >= 500) request.log.error({ err }, 'request failed');
    return reply.status(code).send(body);
  });
  app.setNotFoundHandler((_request, reply) => reply.status(404).send({ message: 'not found' }));
  registerIdempotency(app, ctx); // Idempotency-Key on every POST (server/idempotency.ts)
  await registerRoutes(app, ctx);
  return app;
}
