// API keys (our extension behind seed 001's "use your API key from Settings → API Keys"): POST /api/keys creates a
// key for the caller in their tenant and shows it once ({id, key, prefix, createdAt}); GET /api/keys lists the
// caller's keys (an owner: the tenant's) without the key; DELETE /api/keys/:id revokes one (its maker or an owner).
// Another tenant's key is 404. Keys are stored as SHA-256 hashes (server/auth/api-keys.ts).
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { one } from '../db/sql.js';
import { HttpError } from '../errors.js';
import { hashApiKey, newApiKey, SHOWN_PREFIX_LENGTH } from '../auth/api-keys.js';
import { inTenant, isUuid, tenantOf } from '../auth/hook.js';

type KeyRow = {
  id: string;
  user_id: string;
  tenant_id: string;
  label: string | null;
  prefix: string;
  created_at: Date;
  revoked_at: Date | null;
};

const view = (k: KeyRow) => ({
  id: k.id,
  prefix: k.prefix,
  label: k.label,
  createdAt: new Date(k.created_at).toISOString(),
  revokedAt: k.revoked_at ? new Date(k.revoked_at).toISOString() : null,
});

const createBody = {
  type: 'object',
  additionalProperties: false,
  properties: { label: { type: 'string', minLength: 1, maxLength: 255 } },
} as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } } as const;

export function keyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Body: { label?: string } | undefined }>(
    '/api/keys',
    { config: { auth: 'tenant' }, schema: { body: createBody } },
    async (request) => {
      const key = newApiKey();
      const row = (await one<KeyRow>(
        ctx.db,
        `INSERT INTO api_keys (user_id, tenant_id, label, prefix, key_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [
          request.auth!.userId,
          tenantOf(request),
          request.body?.label ?? null,
          key.slice(0, SHOWN_PREFIX_LENGTH),
          hashApiKey(key),
          ctx.now(),
        ],
      ))!;
      return { id: row.id, key, prefix: row.prefix, createdAt: new Date(row.created_at).toISOString() };
    },
  );

  app.get('/api/keys', { config: { auth: 'tenant' }, schema: {} }, async (request) => {
    const owner = request.auth!.role === 'owner';
    const rows = await ctx.db.query<KeyRow>(
      `SELECT * FROM api_keys WHERE tenant_id = $1 AND ($2::boolean OR user_id = $3) ORDER BY created_at DESC, id`,
      [tenantOf(request), owner, request.auth!.userId],
    );
    return { keys: rows.map(view) };
  });

  app.delete<{ Params: { id: string } }>(
    '/api/keys/:id',
    { config: { auth: 'tenant' }, schema: { params: idParams } },
    async (request) => {
      if (!isUuid(request.params.id)) throw new HttpError(404, 'not found');
      const found = await one<KeyRow>(ctx.db, 'SELECT * FROM api_keys WHERE id = $1', [request.params.id]);
      const row = inTenant(request, found);
      if (request.auth!.role !== 'owner' && row.user_id !== request.auth!.userId) throw new HttpError(404, 'not found');
      const revoked = await one<KeyRow>(
        ctx.db,
        'UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING *',
        [row.id, ctx.now()],
      );
      return view(revoked!);
    },
  );
}
