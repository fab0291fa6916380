// Client credentials (our extension; seeds 000 and 004 get theirs "from your account manager"): an owner registers
// a key id and secret for client-made HS256 JWTs (`kind: 'jwt'`, seed 000) or for HMAC-signed requests
// (`kind: 'hmac'`, seed 004). POST /api/client-keys returns {kind, keyId, secret} once; the key acts as the owner who
// made it, in that tenant. GET lists the tenant's key ids; DELETE /api/client-keys/:keyId revokes one (another
// tenant's is 404).
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { one } from '../db/sql.js';
import { inTenant, tenantOf } from '../auth/hook.js';

type ClientKeyRow = {
  kind: 'jwt' | 'hmac';
  key_id: string;
  user_id: string;
  tenant_id: string;
  created_at: Date;
  revoked_at: Date | null;
};

const view = (k: ClientKeyRow) => ({
  kind: k.kind,
  keyId: k.key_id,
  createdAt: new Date(k.created_at).toISOString(),
  revokedAt: k.revoked_at ? new Date(k.revoked_at).toISOString() : null,
});

const createBody = {
  type: 'object',
  required: ['kind'],
  additionalProperties: false,
  properties: { kind: { type: 'string', enum: ['jwt', 'hmac'] } },
} as const;
const keyParams = {
  type: 'object',
  required: ['keyId'],
  properties: { keyId: { type: 'string', maxLength: 128 } },
} as const;

export function clientKeyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Body: { kind: 'jwt' | 'hmac' } }>(
    '/api/client-keys',
    { config: { auth: 'owner' }, schema: { body: createBody } },
    async (request) => {
      // The secret is text (the seeds' clients use the secret string itself as the HMAC key): 256 random bits.
      const secret = randomBytes(32).toString('base64url');
      const row = (await one<ClientKeyRow>(
        ctx.db,
        `INSERT INTO client_keys (kind, key_id, secret, user_id, tenant_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [
          request.body.kind,
          randomUUID(),
          Buffer.from(secret, 'utf8'),
          request.auth!.userId,
          tenantOf(request),
          ctx.now(),
        ],
      ))!;
      return { kind: row.kind, keyId: row.key_id, secret, createdAt: new Date(row.created_at).toISOString() };
    },
  );

  app.get('/api/client-keys', { config: { auth: 'owner' }, schema: {} }, async (request) => {
    const rows = await ctx.db.query<ClientKeyRow>(
      'SELECT * FROM client_keys WHERE tenant_id = $1 ORDER BY created_at DESC, key_id',
      [tenantOf(request)],
    );
    return { keys: rows.map(view) };
  });

  app.delete<{ Params: { keyId: string } }>(
    '/api/client-keys/:keyId',
    { config: { auth: 'owner' }, schema: { params: keyParams } },
    async (request) => {
      const found = await one<ClientKeyRow>(ctx.db, 'SELECT * FROM client_keys WHERE key_id = $1 AND tenant_id = $2', [
        request.params.keyId,
        tenantOf(request),
      ]);
      const row = inTenant(request, found);
      const revoked = await one<ClientKeyRow>(
        ctx.db,
        'UPDATE client_keys SET revoked_at = COALESCE(revoked_at, $3) WHERE kind = $1 AND key_id = $2 RETURNING *',
        [row.kind, row.key_id, ctx.now()],
      );
      return view(revoked!);
    },
  );
}
