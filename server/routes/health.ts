// GET /health (is this node up and its database reachable) and GET /api/capabilities (what this server offers
// beyond the Sigill API: the sync client reads it and falls back cleanly when it is absent, as on the real Sigill).
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';

export const CAPABILITIES = { server: 'sealdesk-server', api: 'sigill-1', extensions: [] as string[] };

export function healthRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/health', { schema: {} }, async () => {
    await ctx.db.query('SELECT 1');
    return { ok: true, database: ctx.db.kind };
  });
  app.get('/api/capabilities', { schema: {} }, async () => CAPABILITIES);
}
