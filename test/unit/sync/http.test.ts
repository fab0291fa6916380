// The sync client (core/sync/http.ts) against a small loopback HTTP server of this test's own that answers as each
// case scripts it: retries on 503 and 429 (Retry-After in seconds and as an HTTP date, read through an injected sleep,
// never wall time), an answer cut mid-body, a per-attempt timeout, the cap on the total wait, 401 → AUTH_REQUIRED,
// 400 → REMOTE_REFUSED with status and body, connection refused → OFFLINE, a password session refreshed once on 401,
// HMAC and client JWTs signed on the server's clock by a client 10 minutes off, multipart bodies, the response size
// cap, and no credential in any error message.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CoreError } from '../../../core/errors.js';
import { openRemoteClient, type RemoteClientOptions } from '../../../core/sync/http.js';
import { hmacSignature } from '../../../core/sync/sign.js';
import { closeConnections } from '../../../core/sync/transport.js';
import type { Account, Credential } from '../../../core/sync/types.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
let server: Server;
let base: string;
let script: Handler[] = [];
const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const next = script.shift();
      if (next) next(req, res, body);
      else res.writeHead(500).end('unscripted');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => {
  script = [];
  seen.length = 0;
});
afterAll(async () => {
  await closeConnections();
  await new Promise((r) => server.close(r));
});

const reply =
  (status: number, body: unknown = {}, headers: Record<string, string> = {}): Handler =>
  (_req, res) =>
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

const KEY = 'sk_live_SECRETSECRETSECRET';
const account = (credential: Credential = { scheme: 'api-key', key: KEY }): Account => ({
  serverUrl: base,
  credential,
  user: {},
  capabilities: ['idempotency'],
});

/** A client whose waits are recorded, not slept, and whose jitter is fixed at the top of its range. */
function client(credential?: Credential, o: RemoteClientOptions = {}) {
  const waits: number[] = [];
  const c = openRemoteClient(account(credential), {
    retry: { attempts: 4, baseMs: 100, maxMs: 1_000 },
    random: () => 0.999,
    sleep: async (ms) => void waits.push(ms),
    ...o,
  });
  return { c, waits };
}

async function failure(p: Promise<unknown>): Promise<CoreError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CoreError);
  expect((err as Error).message).not.toContain(KEY);
  return err as CoreError;
}

describe('retries', () => {
  it('retries a 503 and returns the 200 that follows, after one backoff within full jitter', async () => {
    script = [reply(503, { message: 'busy' }), reply(200, { ok: 1 })];
    const { c, waits } = client();
    expect(await c.json({ method: 'POST', path: '/x', json: { a: 1 }, idempotencyKey: 'k-1' })).toEqual({ ok: 1 });
    expect(waits).toEqual([99]); // floor(0.999 · min(1000, 100 · 2^0))
    expect(seen.map((s) => s.headers['idempotency-key'])).toEqual(['k-1', 'k-1']);
    expect(seen.map((s) => s.headers.authorization)).toEqual([`Bearer ${KEY}`, `Bearer ${KEY}`]);
    expect(JSON.parse(seen[1]!.body)).toEqual({ a: 1 });
  });

  it('honours Retry-After in seconds and as an HTTP date on the server clock', async () => {
    const inThree = () => new Date(Date.now() + 3_000).toUTCString();
    script = [reply(429, {}, { 'retry-after': '7' }), reply(503, {}, { 'retry-after': inThree() }), reply(200)];
    const { c, waits } = client();
    expect((await c.send({ method: 'GET', path: '/y' })).status).toBe(200);
    expect(waits[0]).toBe(7_000);
    expect(waits[1]).toBeGreaterThanOrEqual(1_500); // a whole-second date, read against the learned server time
    expect(waits[1]).toBeLessThanOrEqual(3_500);
  });

  it('is OFFLINE when the attempts run out, or at once when Retry-After exceeds the total-wait cap', async () => {
    script = [reply(502), reply(504), reply(500), reply(503)];
    const { c, waits } = client();
    const err = await failure(c.send({ method: 'GET', path: '/z?tenantId=t' }));
    expect(err.code).toBe('OFFLINE');
    expect(waits).toEqual([99, 199, 399]);
    expect(seen).toHaveLength(4);

    script = [reply(429, {}, { 'retry-after': '3600' })];
    const late = client();
    expect((await failure(late.c.send({ method: 'GET', path: '/z' }))).code).toBe('OFFLINE');
    expect(late.waits).toEqual([]);
  });

  it('retries an answer cut mid-body and one that never comes (per-attempt timeout)', async () => {
    const cut: Handler = (_q, res) => {
      res.writeHead(200, { 'content-length': '100' }).write('{"partial":');
      res.destroy();
    };
    const silent: Handler = () => undefined; // headers never come: the attempt's timeout ends it
    script = [cut, silent, reply(200, { whole: true })];
    const { c, waits } = client(undefined, { timeoutMs: 300 });
    expect(await c.json({ method: 'GET', path: '/flaky' })).toEqual({ whole: true });
    expect(seen).toHaveLength(3);
    expect(waits).toHaveLength(2);
  });

  it('is OFFLINE when nothing listens (connection refused), after every attempt', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const waits: number[] = [];
    const c = openRemoteClient(
      { ...account(), serverUrl: `http://127.0.0.1:${port}` },
      { retry: { attempts: 3, baseMs: 10, maxMs: 50 }, sleep: async (ms) => void waits.push(ms) },
    );
    const err = await failure(c.send({ method: 'GET', path: '/' }));
    expect(err.code).toBe('OFFLINE');
    expect(err.message).toMatch(/ECONNREFUSED/);
    expect(waits).toHaveLength(2);
  });
});

describe('refusals', () => {
  it('turns a 401 into AUTH_REQUIRED and another 4xx into REMOTE_REFUSED with status and body', async () => {
    script = [reply(401, { message: 'invalid API key' })];
    expect((await failure(client().c.send({ method: 'GET', path: '/a' }))).code).toBe('AUTH_REQUIRED');
    script = [reply(400, { message: 'label too long' })];
    const err = await failure(client().c.send({ method: 'PUT', path: '/b', json: {} }));
    expect(err.code).toBe('REMOTE_REFUSED');
    expect(err.details).toEqual({ status: 400, body: JSON.stringify({ message: 'label too long' }) });
    expect(err.message).toContain('label too long');
    expect(seen).toHaveLength(2); // neither was retried
  });

  it('retries a 409 to a keyed request (the same key still in progress at the server); without a key it is final', async () => {
    const busy = reply(409, { message: 'a request with this Idempotency-Key is still in progress' });
    script = [busy, reply(200, { id: 'r1' })];
    expect(await client().c.json({ method: 'POST', path: '/k', json: {}, idempotencyKey: 'k-409' })).toEqual({
      id: 'r1',
    });
    expect(seen).toHaveLength(2);
    script = [reply(409, { message: 'conflict' })];
    expect((await failure(client().c.send({ method: 'POST', path: '/k', json: {} }))).code).toBe('REMOTE_REFUSED');
    script = [busy, busy, busy, busy];
    const gaveUp = await failure(client().c.send({ method: 'POST', path: '/k', json: {}, idempotencyKey: 'k-2' }));
    expect(gaveUp.code).toBe('OFFLINE'); // the outbox row stays pending for the next run
  });

  it('refuses an answer larger than the cap', async () => {
    script = [(_q, res) => res.writeHead(200).end(Buffer.alloc(5_000))];
    const { c } = client(undefined, { maxResponseBytes: 4_096 });
    expect((await failure(c.send({ method: 'GET', path: '/big' }))).code).toBe('RESOURCE_LIMIT');
  });

  it('sends multipart parts (a file and a field) as form data', async () => {
    script = [reply(200)];
    const bytes = new TextEncoder().encode('%PDF-1.7 sample');
    await client().c.send({
      method: 'POST',
      path: '/seal/sign',
      multipart: [
        { name: 'file', filename: 'a.pdf', contentType: 'application/pdf', bytes },
        { name: 'reason', value: 'Approved' },
      ],
    });
    expect(String(seen[0]!.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen[0]!.body).toMatch(
      /name="file"; filename="a.pdf"\r\nContent-Type: application\/pdf\r\n\r\n%PDF-1.7 sample/,
    );
    expect(seen[0]!.body).toMatch(/name="reason"\r\n\r\nApproved/);
  });

  it('sends anonymous requests without credentials', async () => {
    script = [reply(200, { extensions: [] })];
    await client().c.json({ method: 'GET', path: '/api/capabilities', anonymous: true });
    expect(seen[0]!.headers.authorization).toBeUndefined();
  });
});

describe('password sessions', () => {
  const session: Credential = { scheme: 'password', email: 'a@b.c', accessToken: 'old', refreshToken: 'old-r' };

  it('refreshes once on a 401, keeps the new tokens through onCredential and retries', async () => {
    script = [reply(401), reply(200, { token: 'new' }), reply(200, { ok: true })];
    const kept: Credential[] = [];
    const { c } = client(session, { onCredential: async (x) => void kept.push(x) });
    expect(await c.json({ method: 'GET', path: '/me' })).toEqual({ ok: true });
    expect(seen.map((s) => [s.url, s.headers.authorization])).toEqual([
      ['/me', 'Bearer old'],
      ['/auth/refresh', 'Bearer old-r'],
      ['/me', 'Bearer new'],
    ]);
    expect(kept).toEqual([{ ...session, accessToken: 'new', refreshToken: 'new' }]);
  });

  it('is AUTH_REQUIRED when the refresh is refused too, without a second refresh', async () => {
    script = [reply(401), reply(401)];
    expect((await failure(client(session).c.send({ method: 'GET', path: '/me' }))).code).toBe('AUTH_REQUIRED');
    expect(seen.map((s) => s.url)).toEqual(['/me', '/auth/refresh']);
  });
});

describe('clock skew: a client 10 minutes off signs on the server clock', () => {
  const within = (seconds: number, of = Date.now() / 1000) => Math.abs(seconds - of) < 60;
  /** Accepts a request whose proof is dated within ±5 minutes of this (real) clock, as the real server does. */
  const dated =
    (check: (req: IncomingMessage) => Promise<number>): Handler =>
    (req, res) =>
      void check(req).then(
        (at) => reply(Math.abs(at - Date.now() / 1000) <= 300 ? 200 : 401)(req, res, ''),
        () => reply(401)(req, res, ''),
      );

  it.each([600_000, -600_000])('HMAC (offset %i ms): one refused attempt, then a fresh nonce and date', async (off) => {
    const secret = 'hmac-secret-text';
    const hmac = dated(async (req) => {
      const [k, d, n, sig] = ['api-key', 'date', 'nonce', 'signature'].map((h) => String(req.headers[`x-custom-${h}`]));
      if (sig !== hmacSignature(k!, secret, d!, n!)) throw new Error('bad signature');
      return Number(d);
    });
    script = [hmac, hmac];
    const { c } = client({ scheme: 'hmac', keyId: 'kid-1', secret }, { now: () => Date.now() + off });
    expect((await c.send({ method: 'GET', path: '/auth/me' })).status).toBe(200);
    const dates = seen.map((s) => Number(s.headers['x-custom-date']));
    expect(within(dates[0]!, (Date.now() + off) / 1000)).toBe(true);
    expect(within(dates[1]!)).toBe(true);
    expect(seen[0]!.headers['x-custom-nonce']).not.toBe(seen[1]!.headers['x-custom-nonce']);
    expect(String(seen[1]!.headers['x-custom-nonce'])).toHaveLength(32);
  });

  it.each([600_000, -600_000])('client JWT (offset %i ms): kid, iat = nbf, exp - iat ≤ 300', async (off) => {
    const secret = 'jwt-secret-text';
    const jwt = dated(async (req) => {
      const token = String(req.headers.authorization).slice('Bearer '.length);
      expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'HS256', kid: 'k-7' });
      const { payload } = await jwtVerify(token, Buffer.from(secret), {
        currentDate: new Date((payload0(token) + 1) * 1000),
      });
      expect(payload.nbf).toBe(payload.iat);
      expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(300);
      return payload.iat!;
    });
    script = [jwt, jwt];
    const { c } = client({ scheme: 'jwt', kid: 'k-7', secret }, { now: () => Date.now() + off });
    expect((await c.send({ method: 'GET', path: '/auth/me' })).status).toBe(200);
    expect(seen).toHaveLength(2);
  });
});

/** The iat of a JWT, unverified (to verify it at its own time: the check of its date is the server's, above). */
function payload0(token: string): number {
  return (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { iat: number }).iat;
}
