// The JWTs this server issues (register / login / refresh): HS256 only, with issuer and audience pinned, a one-hour
// life, and the tenant context as claims. The signing secret lives in the database, made once by whichever server
// process starts first, so every node of a deployment accepts every other node's tokens.
import { randomBytes, webcrypto } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { Sql } from '../db/sql.js';
import { one } from '../db/sql.js';

export const SESSION_ISSUER = 'sealdesk-server';
export const SESSION_AUDIENCE = 'sealdesk';
export const SESSION_LIFETIME_S = 3600;

export type SessionClaims = {
  readonly userId: string;
  readonly email: string;
  readonly tenantId: string | null;
  readonly role: 'owner' | 'member';
};

/**
 * The HS256 key, created on first use (INSERT … ON CONFLICT DO NOTHING: two nodes starting together agree). Once stored
 * it never changes, so each database handle reads it once (every request's token is checked with it).
 */
const keys = new WeakMap<Sql, Promise<Uint8Array>>();

export function sessionKey(sql: Sql): Promise<Uint8Array> {
  let key = keys.get(sql);
  if (!key) {
    key = readSessionKey(sql);
    keys.set(sql, key);
    key.catch(() => keys.delete(sql)); // a failed read (database down) is tried again by the next request
  }
  return key;
}

async function readSessionKey(sql: Sql): Promise<Uint8Array> {
  await sql.query(
    "INSERT INTO server_secrets (name, value) VALUES ('session-hs256', $1) ON CONFLICT (name) DO NOTHING",
    [randomBytes(32)],
  );
  const row = await one<{ value: Uint8Array }>(sql, "SELECT value FROM server_secrets WHERE name = 'session-hs256'");
  return new Uint8Array(row!.value);
}

/** The key as a WebCrypto HMAC key, imported once per key (jose would import raw bytes again for every token). */
const hmacKeys = new WeakMap<Uint8Array, Promise<webcrypto.CryptoKey>>();
function hmacKey(key: Uint8Array): Promise<webcrypto.CryptoKey> {
  let k = hmacKeys.get(key);
  if (!k) {
    k = webcrypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    hmacKeys.set(key, k);
  }
  return k;
}

export async function issueSession(key: Uint8Array, c: SessionClaims, now: Date): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ email: c.email, tenantId: c.tenantId, role: c.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(c.userId)
    .setIssuer(SESSION_ISSUER)
    .setAudience(SESSION_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + SESSION_LIFETIME_S)
    .sign(await hmacKey(key));
}

/** The claims of a valid session token, or null (bad signature, other algorithm, expired, not ours). */
export async function readSession(key: Uint8Array, token: string, now: Date): Promise<SessionClaims | null> {
  try {
    const { payload } = await jwtVerify(token, await hmacKey(key), {
      algorithms: ['HS256'],
      issuer: SESSION_ISSUER,
      audience: SESSION_AUDIENCE,
      currentDate: now,
      requiredClaims: ['sub', 'exp', 'iat'],
      maxTokenAge: SESSION_LIFETIME_S,
    });
    // jose accepts an iat in the future: a token "issued" later than now (beyond a minute of skew) is not ours.
    if (payload.iat! > now.getTime() / 1000 + 60 || payload.exp! - payload.iat! > SESSION_LIFETIME_S) return null;
    const role = payload.role === 'owner' ? 'owner' : 'member';
    const tenantId = typeof payload.tenantId === 'string' ? payload.tenantId : null;
    return { userId: payload.sub!, email: String(payload.email ?? ''), tenantId, role };
  } catch {
    return null;
  }
}
