// Client-made JWTs (seed 000): the client signs its own short-lived token with a registered secret and names the key
// in the header (`kid`). Checked here: `alg` pinned to HS256 (never `none`, never an RS/ES token checked with the HS
// secret), `iat`, `nbf` and `exp` required, at most 60 s of clock skew, at most a 5-minute lifetime (exp - iat ≤ 300)
// and no `iat` in the future. An unknown or revoked `kid` is 401. The secret is the UTF-8 text the client was given
// (the seed's clients sign with the secret string as the HMAC key).
import { decodeProtectedHeader, jwtVerify } from 'jose';
import type { ServerContext } from '../context.js';
import { one, type Sql } from '../db/sql.js';
import { HttpError } from '../errors.js';
import { bearer, type Authenticator } from './hook.js';

export const CLIENT_JWT_MAX_LIFETIME_S = 300;
export const CLIENT_JWT_SKEW_S = 60;

export type ClientKeyKind = 'jwt' | 'hmac';

/** A registered client key that is not revoked and whose user still belongs to the key's tenant. */
export async function clientKey(
  sql: Sql,
  kind: ClientKeyKind,
  keyId: string,
): Promise<{ userId: string; secret: Buffer } | null> {
  if (keyId.length === 0 || keyId.length > 128) return null;
  const row = await one<{ user_id: string; secret: Uint8Array }>(
    sql,
    `SELECT k.user_id, k.secret FROM client_keys k JOIN users u ON u.id = k.user_id
     WHERE k.kind = $1 AND k.key_id = $2 AND k.revoked_at IS NULL AND u.tenant_id = k.tenant_id`,
    [kind, keyId],
  );
  return row ? { userId: row.user_id, secret: Buffer.from(row.secret) } : null;
}

const refused = () => new HttpError(401, 'invalid token');

function kidOf(token: string): string | null {
  try {
    const kid = decodeProtectedHeader(token).kid;
    return typeof kid === 'string' ? kid : null;
  } catch {
    return null;
  }
}

/** The user a valid client JWT stands for; null when the token is not a client JWT (no `kid`: a session token). */
export const clientJwtAuthenticator: Authenticator = async (request, ctx: ServerContext) => {
  const token = bearer(request);
  if (!token || token.split('.').length !== 3) return null;
  const kid = kidOf(token);
  if (kid === null) return null;
  const key = await clientKey(ctx.db, 'jwt', kid);
  if (!key) throw refused();
  const now = ctx.now();
  try {
    const { payload } = await jwtVerify(token, new Uint8Array(key.secret), {
      algorithms: ['HS256'],
      currentDate: now,
      clockTolerance: CLIENT_JWT_SKEW_S,
      requiredClaims: ['iat', 'nbf', 'exp'],
    });
    const { iat, exp } = payload as { iat: number; exp: number };
    if (iat > now.getTime() / 1000 + CLIENT_JWT_SKEW_S || exp - iat > CLIENT_JWT_MAX_LIFETIME_S) throw refused();
  } catch {
    throw refused();
  }
  return { userId: key.userId, via: 'client-jwt' };
};
