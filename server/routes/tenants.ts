// Organisations (our extension; the seed's /auth/refresh says "call after creating an organisation"):
// POST /api/tenants makes the caller the owner of a new tenant; POST /api/tenants/members adds a registered user
// without a tenant as a member (owner only); GET /api/tenant shows the caller's tenant and its settings.
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { one } from '../db/sql.js';
import { HttpError } from '../errors.js';
import { tenantOf } from '../auth/hook.js';

type TenantRow = { id: string; name: string; plan: string; store_cades: boolean; enabled_tsa_slugs: string[] };

const tenantView = (t: TenantRow) => ({
  id: t.id,
  name: t.name,
  plan: t.plan,
  storeCadesSeals: t.store_cades,
  enabledTsaSlugs: t.enabled_tsa_slugs,
});

export function tenantRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Body: { name: string } }>(
    '/api/tenants',
    {
      config: { auth: 'user' },
      schema: {
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: { name: { type: 'string', minLength: 1, maxLength: 200 } },
        },
      },
    },
    async (request) => {
      if (request.auth!.tenantId) throw new HttpError(409, 'you already belong to an organisation');
      return ctx.db.tx(async (sql) => {
        const t = (await one<TenantRow>(sql, 'INSERT INTO tenants (name) VALUES ($1) RETURNING *', [
          request.body.name,
        ]))!;
        const moved = await sql.query(
          "UPDATE users SET tenant_id = $1, role = 'owner' WHERE id = $2 AND tenant_id IS NULL RETURNING id",
          [t.id, request.auth!.userId],
        );
        if (moved.length === 0) throw new HttpError(409, 'you already belong to an organisation');
        return tenantView(t);
      });
    },
  );

  app.post<{ Body: { email: string; role?: 'owner' | 'member' } }>(
    '/api/tenants/members',
    {
      config: { auth: 'owner' },
      schema: {
        body: {
          type: 'object',
          required: ['email'],
          additionalProperties: false,
          properties: {
            email: { type: 'string', maxLength: 254 },
            role: { type: 'string', enum: ['owner', 'member'] },
          },
        },
      },
    },
    async (request) => {
      const row = await one<{ id: string; email: string; role: string }>(
        ctx.db,
        'UPDATE users SET tenant_id = $1, role = $2 WHERE email = $3 AND tenant_id IS NULL RETURNING id, email, role',
        [tenantOf(request), request.body.role ?? 'member', request.body.email.toLowerCase()],
      );
      if (!row) throw new HttpError(404, 'no registered user without an organisation has this email');
      return { userId: row.id, email: row.email, role: row.role };
    },
  );

  app.get('/api/tenant', { config: { auth: 'tenant' }, schema: {} }, async (request) => {
    const t = await one<TenantRow>(ctx.db, 'SELECT * FROM tenants WHERE id = $1', [tenantOf(request)]);
    if (!t) throw new HttpError(404, 'not found');
    return tenantView(t);
  });
}
