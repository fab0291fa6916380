// Every credential scheme of the seeds on the real server (PGlite): API keys (Bearer and x-api-key, seed 002),
// client-made HS256 JWTs with kid (seed 000, its own example token included), HMAC-signed requests (seed 004);
// each accepted, and the bad ones refused: expired, not yet valid, too long-lived, wrong kid, alg none,
// RS256 signed with the HS secret, tampered, replayed nonce, stale date, revoked, another tenant's record (404).
// The login rate limit: 10 failures per account, 50 per IP, then 429 with Retry-After.
import { createHmac, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacSignature } from '../../server/auth/hmac.js';
import { loginRetryAfter, LOGIN_LIMITS } from '../../server/auth/rate-limit.js';
import type { Database } from '../../server/db/sql.js';
import { call, newUser } from '../helpers/server-client.js';
import { openTestDatabase, startTestServer, type TestServer } from '../helpers/server.js';

let db: Database;
let server: TestServer;
beforeAll(async () => {
  db = await openTestDatabase('pglite');
  server = await startTestServer(db);
}, 180_000);
afterAll(async () => {
  await server?.close();
  await db?.close();
});

const tenantWith = (headers: Record<string, string>) => call(server.url, 'GET', '/api/tenant', { headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const nowS = () => Math.floor(Date.now() / 1000);
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('API keys', () => {
  it('are shown once, work as Bearer and as x-api-key, are listed without the key, and stop when revoked', async () => {
    const u = await newUser(server.url, { organisation: 'Keys' });
    const made = await call(server.url, 'POST', '/api/keys', { token: u.token, body: { label: 'ci' } });
    expect(made.status).toBe(200);
    expect(Object.keys(made.body).sort()).toEqual(['createdAt', 'id', 'key', 'prefix']);
    expect(made.body.key).toMatch(/^sk_live_[A-Za-z0-9_-]{43}$/);
    expect(made.body.key.startsWith(made.body.prefix)).toBe(true);
    expect((await tenantWith(bearer(made.body.key))).body).toMatchObject({ id: u.tenantId, name: 'Keys' });
    expect((await tenantWith({ 'x-api-key': made.body.key })).body).toMatchObject({ id: u.tenantId });
    const list = await call(server.url, 'GET', '/api/keys', { token: u.token });
    expect(list.body.keys).toEqual([
      { id: made.body.id, prefix: made.body.prefix, label: 'ci', createdAt: made.body.createdAt, revokedAt: null },
    ]);
    expect(JSON.stringify(list.body)).not.toContain(made.body.key);
    const stored = await db.query<{ key_hash: Uint8Array }>('SELECT key_hash FROM api_keys WHERE id = $1', [
      made.body.id,
    ]);
    expect(Buffer.from(stored[0]!.key_hash).toString('hex')).not.toContain(Buffer.from(made.body.key).toString('hex'));
    expect((await call(server.url, 'DELETE', `/api/keys/${made.body.id}`, { token: u.token })).body.revokedAt).toEqual(
      expect.any(String),
    );
    expect(await tenantWith(bearer(made.body.key))).toMatchObject({
      status: 401,
      body: { message: 'invalid API key' },
    });
    expect((await tenantWith({ 'x-api-key': made.body.key })).status).toBe(401);
  });

  it("an unknown key is 401; another tenant's key is 404 exactly as a missing one", async () => {
    expect((await tenantWith(bearer(`sk_live_${'A'.repeat(43)}`))).status).toBe(401);
    expect((await tenantWith({ 'x-api-key': '9668716b6_1f40fc92da241684750979ee6cf582f2d5d7d28e' })).status).toBe(401);
    const a = await newUser(server.url, { organisation: 'A' });
    const b = await newUser(server.url, { organisation: 'B' });
    const bKey = await call(server.url, 'POST', '/api/keys', { token: b.token, body: {} });
    const aKey = await call(server.url, 'POST', '/api/keys', { token: a.token, body: {} });
    const other = await call(server.url, 'DELETE', `/api/keys/${bKey.body.id}`, { headers: bearer(aKey.body.key) });
    const missing = await call(server.url, 'DELETE', `/api/keys/${randomUUID()}`, { headers: bearer(aKey.body.key) });
    const malformed = await call(server.url, 'DELETE', '/api/keys/not-a-uuid', { headers: bearer(aKey.body.key) });
    expect(other).toMatchObject({ status: 404, body: { message: 'not found' } });
    expect(missing.body).toEqual(other.body);
    expect(malformed.body).toEqual(other.body);
    expect((await tenantWith(bearer(bKey.body.key))).status).toBe(200);
  });
  it("a member lists and revokes only own keys (another member's: 404); an owner sees and revokes all", async () => {
    const owner = await newUser(server.url, { organisation: 'Members' });
    const joined = async () => {
      const m = await newUser(server.url);
      await call(server.url, 'POST', '/api/tenants/members', { token: owner.token, body: { email: m.email } });
      return (await call(server.url, 'POST', '/auth/refresh', { token: m.token })).body.token as string;
    };
    const [m1, m2] = [await joined(), await joined()];
    const k1 = (await call(server.url, 'POST', '/api/keys', { token: m1, body: {} })).body;
    const k2 = (await call(server.url, 'POST', '/api/keys', { token: m2, body: {} })).body;
    const mine = await call(server.url, 'GET', '/api/keys', { token: m1 });
    expect(mine.body.keys.map((k: { id: string }) => k.id)).toEqual([k1.id]);
    expect((await call(server.url, 'DELETE', `/api/keys/${k2.id}`, { token: m1 })).status).toBe(404);
    const all = await call(server.url, 'GET', '/api/keys', { token: owner.token });
    expect(all.body.keys.map((k: { id: string }) => k.id).sort()).toEqual([k1.id, k2.id].sort());
    expect((await call(server.url, 'DELETE', `/api/keys/${k2.id}`, { token: owner.token })).status).toBe(200);
    expect((await tenantWith(bearer(k2.key))).status).toBe(401);
    expect((await tenantWith(bearer(k1.key))).status).toBe(200);
  });
});

describe('client-made HS256 JWTs (seed 000)', () => {
  let keyId: string;
  let secret: string;
  beforeAll(async () => {
    const owner = await newUser(server.url, { organisation: 'JWT clients' });
    const member = await newUser(server.url);
    await call(server.url, 'POST', '/api/tenants/members', { token: owner.token, body: { email: member.email } });
    const memberToken = (await call(server.url, 'POST', '/auth/refresh', { token: member.token })).body.token;
    expect(
      (await call(server.url, 'POST', '/api/client-keys', { token: memberToken, body: { kind: 'jwt' } })).status,
    ).toBe(403);
    const made = await call(server.url, 'POST', '/api/client-keys', { token: owner.token, body: { kind: 'jwt' } });
    expect(Object.keys(made.body).sort()).toEqual(['createdAt', 'keyId', 'kind', 'secret']);
    ({ keyId, secret } = made.body);
  }, 60_000);

  const sign = (claims: { iat?: number; nbf?: number; exp?: number }, o: { kid?: string; key?: string } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: o.kid ?? keyId })
      .sign(Buffer.from(o.key ?? secret));

  it('a token as the seed describes is accepted (60 s lifetime; 30 s of clock skew on nbf too)', async () => {
    const t = nowS();
    expect((await tenantWith(bearer(await sign({ iat: t, nbf: t, exp: t + 60 })))).body.name).toBe('JWT clients');
    expect((await tenantWith(bearer(await sign({ iat: t, nbf: t + 30, exp: t + 90 })))).status).toBe(200);
  });

  it('expired, not yet valid, over 5 minutes, issued in the future, without nbf, wrong kid or key: 401', async () => {
    const t = nowS();
    const bad = [
      await sign({ iat: t - 200, nbf: t - 200, exp: t - 61 }),
      await sign({ iat: t, nbf: t + 120, exp: t + 200 }),
      await sign({ iat: t, nbf: t, exp: t + 301 }),
      await sign({ iat: t + 120, nbf: t, exp: t + 180 }),
      await sign({ iat: t, exp: t + 60 }),
      await sign({ iat: t, nbf: t, exp: t + 60 }, { kid: randomUUID() }),
      await sign({ iat: t, nbf: t, exp: t + 60 }, { key: `${secret}x` }),
    ];
    for (const token of bad) expect((await tenantWith(bearer(token))).status).toBe(401);
  });

  it('alg none, RS256 "signed" with the HS secret, and a tampered payload: 401', async () => {
    const t = nowS();
    const claims = { iat: t, nbf: t, exp: t + 60 };
    const none = `${b64({ alg: 'none', typ: 'JWT', kid: keyId })}.${b64(claims)}.`;
    const rsInput = `${b64({ alg: 'RS256', typ: 'JWT', kid: keyId })}.${b64(claims)}`;
    const confused = `${rsInput}.${createHmac('sha256', secret).update(rsInput).digest('base64url')}`;
    const [h, , s] = (await sign(claims)).split('.');
    const tampered = `${h}.${b64({ ...claims, exp: t + 250 })}.${s}`;
    for (const token of [none, confused, tampered]) expect((await tenantWith(bearer(token))).status).toBe(401);
  });

  it("the seed's own example token verifies at the seed's time with the seed's credentials", async () => {
    const owner = await newUser(server.url, { organisation: 'Seed 000' });
    await db.query(
      "INSERT INTO client_keys (kind, key_id, secret, user_id, tenant_id) VALUES ('jwt', $1, $2, $3, $4)",
      [
        '3b438437-04a4-40bb-8389-54bb02766fba',
        Buffer.from('AC4Etykn7jusGR5FwLDAtILtQbiQbTMKedP31szXg4WlSbjGEXyNMZ'),
        owner.userId,
        owner.tenantId,
      ],
    );
    const token =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IjNiNDM4NDM3LTA0YTQtNDBiYi04Mzg5LTU0YmIwMjc2NmZiYSJ9.' +
      'eyJpYXQiOjE1NDYzMDA4MDAsIm5iZiI6MTU0NjMwMDgwMCwiZXhwIjoxNTQ2MzAwODYwfQ.' +
      'bwqCUHS1d5d8guAPHDsdd9-a8oXxH1q45O0tDP1asTo';
    const then = await startTestServer(db, { ctx: { now: () => new Date(1546300830_000) } });
    try {
      const r = await call(then.url, 'GET', '/api/tenant', { headers: bearer(token) });
      expect(r.body).toMatchObject({ id: owner.tenantId, name: 'Seed 000' });
    } finally {
      await then.close();
    }
    expect((await tenantWith(bearer(token))).status).toBe(401); // today it is long expired
  });

  it('a revoked key id is refused', async () => {
    const owner = await newUser(server.url, { organisation: 'Revoker' });
    const made = await call(server.url, 'POST', '/api/client-keys', { token: owner.token, body: { kind: 'jwt' } });
    const t = nowS();
    const token = await sign({ iat: t, nbf: t, exp: t + 60 }, { kid: made.body.keyId, key: made.body.secret });
    expect((await tenantWith(bearer(token))).status).toBe(200);
    expect(
      (await call(server.url, 'DELETE', `/api/client-keys/${made.body.keyId}`, { token: owner.token })).status,
    ).toBe(200);
    expect((await tenantWith(bearer(token))).status).toBe(401);
    const other = await newUser(server.url, { organisation: 'Not yours' });
    expect((await call(server.url, 'DELETE', `/api/client-keys/${keyId}`, { token: other.token })).status).toBe(404);
  });
});

describe('HMAC-SHA256 signed requests (seed 004)', () => {
  let key: string;
  let secret: string;
  beforeAll(async () => {
    const owner = await newUser(server.url, { organisation: 'HMAC clients' });
    const made = await call(server.url, 'POST', '/api/client-keys', { token: owner.token, body: { kind: 'hmac' } });
    ({ keyId: key, secret } = made.body);
  }, 60_000);

  const signed = (o: { date?: number; nonce?: string; signWith?: string; nonceSigned?: string } = {}) => {
    const date = String(o.date ?? nowS());
    const nonce = o.nonce ?? randomUUID().replaceAll('-', '');
    return {
      'X-CUSTOM-API-KEY': key,
      'X-CUSTOM-SIGNATURE': hmacSignature(key, o.signWith ?? secret, date, o.nonceSigned ?? nonce),
      'X-CUSTOM-DATE': date,
      'X-CUSTOM-NONCE': nonce,
    };
  };

  it('a signed request is accepted once; its replay (same nonce) is 401', async () => {
    const headers = signed();
    expect((await tenantWith(headers)).body.name).toBe('HMAC clients');
    expect(await tenantWith(headers)).toMatchObject({
      status: 401,
      body: { message: expect.stringMatching(/nonce already used/) },
    });
  });

  it('stale or future date, long nonce, wrong secret, tampered nonce, unknown key, missing header: 401', async () => {
    const t = nowS();
    const { 'X-CUSTOM-NONCE': _dropped, ...noNonce } = signed();
    const bad = [
      signed({ date: t - 301 }),
      signed({ date: t + 301 }),
      signed({ nonce: 'n'.repeat(33) }),
      signed({ signWith: `${secret}x` }),
      signed({ nonceSigned: 'another-nonce' }),
      { ...signed(), 'X-CUSTOM-API-KEY': randomUUID() },
      noNonce,
    ];
    for (const headers of bad) expect((await tenantWith(headers)).status).toBe(401);
    expect((await tenantWith(signed({ date: t - 240 }))).status).toBe(200);
  });
});

describe('login rate limit', () => {
  const login = (email: string, password: string) =>
    call(server.url, 'POST', '/auth/login', { body: { email, password } });

  it('10 failures for an account: 429 + Retry-After, even with the right password; others go on', async () => {
    const u = await newUser(server.url);
    for (let i = 0; i < LOGIN_LIMITS.perEmail; i++) expect((await login(u.email, 'wrong password')).status).toBe(401);
    const locked = await login(u.email, 'correct horse battery');
    expect(locked).toMatchObject({ status: 429, body: { message: expect.any(String) } });
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(LOGIN_LIMITS.windowS);
    const later = new Date(Date.now() + (LOGIN_LIMITS.windowS + 60) * 1000);
    expect(await loginRetryAfter(db, u.email, '127.0.0.1', later)).toBeNull();
    const v = await newUser(server.url);
    expect((await login(v.email, 'correct horse battery')).status).toBe(200);
  }, 120_000);

  it('50 failures from one IP: 429 for any account from it', async () => {
    await db.query("DELETE FROM login_attempts WHERE scope LIKE 'ip:%'");
    const u = await newUser(server.url);
    const ip = (
      await db.query<{ n: number }>(
        "SELECT COALESCE(SUM(failures), 0)::int AS n FROM login_attempts WHERE scope LIKE 'ip:%'",
      )
    )[0]!.n;
    expect(ip).toBe(0);
    for (let i = 0; i < LOGIN_LIMITS.perIp; i++)
      expect((await login(`nobody${i}@example.org`, 'wrong password')).status).toBe(401);
    const r = await login(u.email, 'correct horse battery');
    expect(r.status).toBe(429);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    await db.query("DELETE FROM login_attempts WHERE scope LIKE 'ip:%'");
  }, 300_000);
});
