// HMAC-SHA256 signed requests (seed 004): `X-CUSTOM-API-KEY` names a registered hmac client key,
// `X-CUSTOM-SIGNATURE` = base64(HMAC-SHA256(secret, key + "\n" + timestamp + "\n" + nonce)), `X-CUSTOM-DATE` is the
// Unix time in seconds (accepted within ±5 minutes) and `X-CUSTOM-NONCE` (1 to 32 characters) is single-use: it is
// recorded in used_nonces until the date's window has passed, and the insert's conflict is a replay (401). The
// signature is compared in constant time and checked before the nonce is recorded (a stranger cannot burn nonces).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { ServerContext } from '../context.js';
import { HttpError } from '../errors.js';
import { clientKey } from './client-jwt.js';
import type { Authenticator } from './hook.js';

export const HMAC_WINDOW_S = 300;
export const HMAC_NONCE_MAX = 32;

export const hmacSignature = (key: string, secret: string | Buffer, timestamp: string, nonce: string): string =>
  createHmac('sha256', secret).update(`${key}\n${timestamp}\n${nonce}`, 'utf8').digest('base64');

const refused = (why: string) => new HttpError(401, `invalid signed request: ${why}`);

function header(request: FastifyRequest, name: string): string {
  const v = request.headers[name];
  if (typeof v !== 'string' || v.length === 0) throw refused(`${name} missing`);
  return v;
}

export const hmacAuthenticator: Authenticator = async (request, ctx: ServerContext) => {
  if (request.headers['x-custom-api-key'] === undefined) return null;
  const key = header(request, 'x-custom-api-key');
  const signature = header(request, 'x-custom-signature');
  const date = header(request, 'x-custom-date');
  const nonce = header(request, 'x-custom-nonce');
  if (nonce.length > HMAC_NONCE_MAX) throw refused('nonce longer than 32 characters');
  if (!/^\d{1,12}$/.test(date)) throw refused('date is not a Unix time in seconds');
  const now = ctx.now().getTime();
  const at = Number(date) * 1000;
  if (Math.abs(now - at) > HMAC_WINDOW_S * 1000) throw refused('date outside ±5 minutes');
  const found = await clientKey(ctx.db, 'hmac', key);
  const expected = Buffer.from(hmacSignature(key, found?.secret ?? Buffer.alloc(32), date, nonce), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (!found || given.length !== expected.length || !timingSafeEqual(given, expected)) throw refused('bad signature');
  const until = new Date(Math.max(now, at) + HMAC_WINDOW_S * 1000);
  await ctx.db.query('DELETE FROM used_nonces WHERE key_id = $1 AND expires_at < $2', [key, new Date(now)]);
  const fresh = await ctx.db.query(
    'INSERT INTO used_nonces (key_id, nonce, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING nonce',
    [key, nonce, until],
  );
  if (fresh.length === 0) throw refused('nonce already used');
  return { userId: found.userId, via: 'hmac' };
};
