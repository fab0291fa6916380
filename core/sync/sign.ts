// How each attempt of a remote request proves who is calling (issue 17, "Accounts"), on the server's clock: a
// session or API key as a Bearer token, seed 004's HMAC headers (fresh nonce and date per attempt) or seed 000's
// client-made HS256 JWT (kid in the header, iat/nbf/exp). The clock offset is learned from each response's `Date`
// header, so a workstation minutes off still signs dates and iat values the server accepts.
import { createHmac, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Credential } from './types.js';

/** A client JWT's life (the server accepts at most 300 s) and how far its iat is set back against estimate errors. */
export const CLIENT_JWT_LIFETIME_S = 120;
export const CLIENT_JWT_BACKDATE_S = 30;

/** The server's time as this client estimates it: the local clock plus the offset its last `Date` header showed. */
export class ServerClock {
  #offsetMs = 0;
  constructor(readonly localNow: () => number = Date.now) {}

  get offsetMs(): number {
    return this.#offsetMs;
  }

  now(): number {
    return this.localNow() + this.#offsetMs;
  }

  /**
   * Learns the offset from a response's `Date` header (whole seconds: the server's time is within [D, D + 1 s), so
   * the middle is taken). Returns true when the offset moved by more than `moved` ms (a signed request may then be
   * re-signed once). A missing or unreadable header changes nothing.
   */
  learn(dateHeader: string | undefined, moved = 30_000): boolean {
    if (!dateHeader) return false;
    const at = Date.parse(dateHeader);
    if (!Number.isFinite(at)) return false;
    const offset = at + 500 - this.localNow();
    const shifted = Math.abs(offset - this.#offsetMs) > moved;
    this.#offsetMs = offset;
    return shifted;
  }
}

/** Seed 004: base64(HMAC-SHA256(secret, key + "\n" + timestamp + "\n" + nonce)). */
export const hmacSignature = (keyId: string, secret: string, timestamp: string, nonce: string): string =>
  createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${keyId}\n${timestamp}\n${nonce}`, 'utf8').digest('base64');

/** Seed 000: an HS256 JWT with `kid` in the header and iat = nbf, exp a short while later, on the server's clock. */
export async function clientJwt(kid: string, secret: string, serverNowMs: number): Promise<string> {
  const iat = Math.floor(serverNowMs / 1000) - CLIENT_JWT_BACKDATE_S;
  return new SignJWT({ nbf: iat })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid })
    .setIssuedAt(iat)
    .setExpirationTime(iat + CLIENT_JWT_LIFETIME_S)
    .sign(Buffer.from(secret, 'utf8'));
}

/** The headers that authenticate one attempt with `credential` at the server time `serverNowMs`. */
export async function authHeaders(credential: Credential, serverNowMs: number): Promise<Record<string, string>> {
  switch (credential.scheme) {
    case 'password':
      return { authorization: `Bearer ${credential.accessToken}` };
    case 'api-key':
      return { authorization: `Bearer ${credential.key}` };
    case 'jwt':
      return { authorization: `Bearer ${await clientJwt(credential.kid, credential.secret, serverNowMs)}` };
    case 'hmac': {
      const date = String(Math.round(serverNowMs / 1000));
      const nonce = randomBytes(16).toString('hex'); // 32 characters, the seed's maximum
      return {
        'x-custom-api-key': credential.keyId,
        'x-custom-signature': hmacSignature(credential.keyId, credential.secret, date, nonce),
        'x-custom-date': date,
        'x-custom-nonce': nonce,
      };
    }
  }
}

/** True for schemes whose proof depends on the clock (a 401 after the offset moved is worth one re-signed try). */
export const signsWithClock = (c: Credential): boolean => c.scheme === 'hmac' || c.scheme === 'jwt';
