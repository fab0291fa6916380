// Seed 001 "TSA Providers": GET /proxy/services, public: the active TSAs this server knows, in round-robin order.
import type { FastifyInstance } from 'fastify';
import { hashOid } from '../../core/asn1/oids.js';
import type { ServerContext } from '../context.js';

export function serviceRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/proxy/services', { config: { auth: 'public' }, schema: {} }, async () =>
    ctx.tsas
      .filter((p) => p.enabled && p.url !== null)
      .map((p) => ({
        id: p.id,
        name: p.name,
        proxySlug: p.slug,
        endpointUrl: p.url,
        preferredHashOid: hashOid(p.preferredHash),
        isActive: true,
      })),
  );
}
