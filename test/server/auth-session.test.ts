// Seed 001 "Authentication" on the real server: register, login, refresh, me with the seed's shapes; organisations;
// and the session JWT refused when expired, tampered, unsigned (alg none) or signed with another algorithm.
import { SignJWT, UnsecuredJWT, decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionKey, SESSION_AUDIENCE, SESSION_ISSUER } from '../../server/auth/session.js';
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('register, login, refresh, me', () => {
  it("give the seed's shapes; the token works for /auth/me", async () => {
    const reg = await call(server.url, 'POST', '/auth/register', {
      body: { name: 'Ada', email: 'Ada@Example.org', password: 'at-least-8' },
    });
    expect(reg.status).toBe(200);
    expect(Object.keys(reg.body).sort()).toEqual(['email', 'token', 'userId']);
    expect(reg.body).toMatchObject({ email: 'ada@example.org', userId: expect.stringMatching(UUID) });
    const login = await call(server.url, 'POST', '/auth/login', {
      body: { email: 'ada@example.org', password: 'at-least-8' },
    });
    expect(login.status).toBe(200);
    expect(login.body).toEqual({
      token: expect.any(String),
      userId: reg.body.userId,
      email: 'ada@example.org',
      tenantId: null,
    });
    const me = await call(server.url, 'GET', '/auth/me', { token: login.body.token });
    expect(me.body).toEqual({
      userId: reg.body.userId,
      name: 'Ada',
      email: 'ada@example.org',
      tenantId: null,
      role: 'member',
    });
    const claims = decodeJwt(login.body.token);
    expect(claims.exp! - claims.iat!).toBe(3600);
  });

  it('refresh after creating an organisation carries the tenant; the creator is its owner', async () => {
    const u = await newUser(server.url);
    const t = await call(server.url, 'POST', '/api/tenants', { token: u.token, body: { name: 'Acme' } });
    expect(t.status).toBe(200);
    const r = await call(server.url, 'POST', '/auth/refresh', { token: u.token });
    expect(Object.keys(r.body)).toEqual(['token']);
    expect(decodeJwt(r.body.token)).toMatchObject({ tenantId: t.body.id, role: 'owner', sub: u.userId });
    expect((await call(server.url, 'POST', '/api/tenants', { token: u.token, body: { name: 'Again' } })).status).toBe(
      409,
    );
  });

  it('refuses a short password (400, field named), a second account for one email (409), a wrong password (401)', async () => {
    const short = await call(server.url, 'POST', '/auth/register', {
      body: { name: 'B', email: 'b@example.org', password: 'short' },
    });
    expect(short.status).toBe(400);
    expect(short.body.message).toMatch(/password/);
    await call(server.url, 'POST', '/auth/register', {
      body: { name: 'B', email: 'b@example.org', password: 'long enough' },
    });
    const again = await call(server.url, 'POST', '/auth/register', {
      body: { name: 'B2', email: 'B@example.org', password: 'long enough' },
    });
    expect(again.status).toBe(409);
    const wrong = await call(server.url, 'POST', '/auth/login', {
      body: { email: 'b@example.org', password: 'not the one' },
    });
    expect(wrong).toMatchObject({ status: 401, body: { message: 'invalid email or password' } });
    const nobody = await call(server.url, 'POST', '/auth/login', {
      body: { email: 'nobody@example.org', password: 'not the one' },
    });
    expect(nobody).toMatchObject({ status: 401, body: { message: 'invalid email or password' } });
  });
});

describe('owner and member', () => {
  it('an owner adds a member; the member may not add members (403); no token is 401', async () => {
    const owner = await newUser(server.url, { organisation: 'Team' });
    const member = await newUser(server.url);
    const add = await call(server.url, 'POST', '/api/tenants/members', {
      token: owner.token,
      body: { email: member.email },
    });
    expect(add).toMatchObject({ status: 200, body: { userId: member.userId, role: 'member' } });
    const third = await newUser(server.url);
    const refused = await call(server.url, 'POST', '/api/tenants/members', {
      token: member.token,
      body: { email: third.email },
    });
    expect(refused).toMatchObject({ status: 403, body: { message: 'owner role required' } });
    expect((await call(server.url, 'GET', '/api/tenant')).status).toBe(401);
    expect((await call(server.url, 'GET', '/api/tenant', { token: member.token })).body).toMatchObject({
      name: 'Team',
    });
  });
});

describe('session tokens that must not work', () => {
  const me = (token: string) => call(server.url, 'GET', '/auth/me', { token });
  const claims = (u: { userId: string }) => ({ sub: u.userId, email: 'x@example.org', tenantId: null, role: 'member' });

  it('expired, not yet issued, alg none, tampered, other key, other audience: 401 each', async () => {
    const u = await newUser(server.url);
    const key = await sessionKey(db);
    const now = Math.floor(Date.now() / 1000);
    const signed = (iat: number, exp: number, o: { key?: Uint8Array; aud?: string } = {}) =>
      new SignJWT(claims(u))
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(SESSION_ISSUER)
        .setAudience(o.aud ?? SESSION_AUDIENCE)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(o.key ?? key);
    expect((await me(await signed(now - 60, now + 600))).status).toBe(200); // the control: a good token works
    expect((await me(await signed(now - 7200, now - 3600))).status).toBe(401);
    expect((await me(await signed(now + 3600, now + 7200))).status).toBe(401);
    const none = new UnsecuredJWT(claims(u))
      .setIssuer(SESSION_ISSUER)
      .setAudience(SESSION_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .encode();
    expect((await me(none)).status).toBe(401);
    const [h, , s] = (await signed(now, now + 600)).split('.');
    const forged = Buffer.from(
      JSON.stringify({
        ...claims(u),
        sub: '00000000-0000-0000-0000-000000000000',
        iss: SESSION_ISSUER,
        aud: SESSION_AUDIENCE,
        iat: now,
        exp: now + 600,
      }),
    ).toString('base64url');
    expect((await me(`${h}.${forged}.${s}`)).status).toBe(401);
    expect((await me(await signed(now, now + 600, { key: new Uint8Array(32).fill(7) }))).status).toBe(401);
    expect((await me(await signed(now, now + 600, { aud: 'someone-else' }))).status).toBe(401);
  });
});
