// API keys (seed 001 "use your API key"; seed 002's `x-api-key` header): `sk_live_` followed by 32 random bytes in
// base64url, shown once at creation. Stored as the SHA-256 of the key: a key carries 256 bits of entropy, so a slow
// KDF (scrypt, as for passwords) adds nothing against guessing and would cost every request; the hash is looked up by
// its index and compared again in constant time. Accepted as `Authorization: Bearer sk_live_…` and as `x-api-key`.
// A key works only while it is not revoked and its user still belongs to the tenant it was made in.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { ServerContext } from '../context.js';
import { one } from '../db/sql.js';
import { HttpError } from '../errors.js';
import { bearer, type Authenticator } from './hook.js';

export const API_KEY_PREFIX = 'sk_live_';
/** How much of a key is kept in clear to recognise it in a list (the scheme and 4 characters of the random part). */
export const SHOWN_PREFIX_LENGTH = API_KEY_PREFIX.length + 4;

export const newApiKey = (): string => API_KEY_PREFIX + randomBytes(32).toString('base64url');
export const hashApiKey = (key: string): Buffer => createHash('sha256').update(key, 'utf8').digest();

const invalidKey = () => new HttpError(401, 'invalid API key');

function presented(request: FastifyRequest): { key: string; via: 'api-key' | 'x-api-key' } | null {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string') return { key: header, via: 'x-api-key' };
  if (Array.isArray(header)) throw invalidKey();
  const token = bearer(request);
  return token?.startsWith(API_KEY_PREFIX) ? { key: token, via: 'api-key' } : null;
}

/** `Authorization: Bearer sk_live_…` or `x-api-key: …`; a key that is unknown, revoked or orphaned is 401. */
export const apiKeyAuthenticator: Authenticator = async (request, ctx: ServerContext) => {
  const p = presented(request);
  if (!p) return null;
  if (p.key.length === 0 || p.key.length > 512) throw invalidKey();
  const hash = hashApiKey(p.key);
  const row = await one<{ user_id: string; key_hash: Uint8Array }>(
    ctx.db,
    `SELECT k.user_id, k.key_hash FROM api_keys k JOIN users u ON u.id = k.user_id
     WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND u.tenant_id = k.tenant_id`,
    [hash],
  );
  if (!row || !timingSafeEqual(Buffer.from(row.key_hash), hash)) throw invalidKey();
  return { userId: row.user_id, via: p.via };
};
