// Idempotency-Key on the real server, on PGlite and on PostgreSQL: a repeat returns the first response (status,
// content-type, X-Seal-* headers and body bytes, JSON and binary, multipart with another boundary included), another
// body is 422, a repeat while the first is in flight is 409, a 5xx frees the key, keys are per caller and expire
// after 24 h; on PostgreSQL, 20 concurrent duplicates do the work once. Besides the real /api/keys route, fixture
// routes added to the real app stand for work that is binary (a PDF out of a multipart upload), slow or failing.
import { randomBytes, randomUUID } from 'node:crypto';
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpTimeStampTransport } from '../../core/tsp/transport.js';
import { buildServer } from '../../server/app.js';
import { requestHash } from '../../server/idempotency.js';
import { DEFAULT_LIMITS, DEFAULT_PLANS } from '../../server/context.js';
import type { Database } from '../../server/db/sql.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { call, newUser } from '../helpers/server-client.js';
import { openTestDatabase, type DatabaseKind } from '../helpers/server.js';

let pgServer: TestPostgres;
beforeAll(async () => {
  pgServer = await startPostgres();
}, 60_000);
afterAll(async () => {
  await pgServer?.stop();
});

type Gate = { open: () => void; wait: Promise<void> };
const newGate = (): Gate => {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { open, wait };
};

/** Routes standing for binary, slow and failing work of other routes (the idempotency hooks are the real ones). */
function fixtures(app: FastifyInstance, state: { gate: Gate; runs: Record<string, number> }) {
  const run = (name: string) => (state.runs[name] = (state.runs[name] ?? 0) + 1);
  return app.register(async (child) => {
    if (!child.hasContentTypeParser('multipart/form-data')) await child.register(multipart);
    child.post('/fixture/seal', async (request, reply) => {
      const file = await request.file();
      const bytes = await file!.toBuffer();
      run('seal');
      reply.header('content-type', 'application/pdf').header('content-disposition', 'attachment; filename=sample.pdf');
      reply.header('x-seal-operation-id', randomUUID()).header('x-seal-timestamped-by', 'none');
      return Buffer.concat([bytes, randomBytes(16)]);
    });
    child.post('/fixture/slow', async () => {
      run('slow');
      await state.gate.wait;
      return { id: randomUUID() };
    });
    child.post('/fixture/ok', async () => ({ id: randomUUID() }));
    child.post('/fixture/fail-once', async () => {
      if (run('fail') === 1) throw new Error('the first attempt fails');
      return { id: randomUUID() };
    });
  });
}

describe.each(['pglite', 'postgres'] as const)('Idempotency-Key on %s', (kind: DatabaseKind) => {
  let db: Database;
  let app: FastifyInstance;
  let url: string;
  const state = { gate: newGate(), runs: {} as Record<string, number> };
  beforeAll(async () => {
    db = await openTestDatabase(kind, pgServer.url);
    const ctx = {
      db,
      tsas: [],
      transport: new HttpTimeStampTransport(),
      now: () => new Date(),
      nodeId: `test:${process.pid}`,
    };
    app = await buildServer({ ...ctx, limits: DEFAULT_LIMITS, plans: DEFAULT_PLANS });
    await fixtures(app, state);
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  }, 180_000);
  afterAll(async () => {
    state.gate.open();
    await app?.close();
    await db?.close();
  });

  const post = (path: string, token: string, key: string, body: unknown) =>
    call(url, 'POST', path, { token, body, headers: { 'idempotency-key': key } });

  it('a repeat of POST /api/keys gets the first response; another body is 422; the key was made once', async () => {
    const u = await newUser(url, { organisation: 'Idem' });
    const first = await post('/api/keys', u.token, 'k-1', { label: 'one' });
    const again = await post('/api/keys', u.token, 'k-1', { label: 'one' });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const other = await post('/api/keys', u.token, 'k-1', { label: 'two' });
    expect(other).toMatchObject({ status: 422, body: { message: expect.stringMatching(/another request/) } });
    const rows = await db.query('SELECT id FROM api_keys WHERE tenant_id = $1', [u.tenantId]);
    expect(rows).toHaveLength(1);
    const fresh = await post('/api/keys', u.token, 'k-2', { label: 'one' });
    expect(fresh.body.id).not.toBe(first.body.id);
  });

  it("keys are per caller (another tenant's same key is its own), expire after 24 h, are ≤ 255 chars", async () => {
    const a = await newUser(url, { organisation: 'A' });
    const b = await newUser(url, { organisation: 'B' });
    const ra = await post('/api/keys', a.token, 'shared', { label: 'x' });
    const rb = await post('/api/keys', b.token, 'shared', { label: 'x' });
    expect(rb.headers.get('idempotent-replayed')).toBeNull();
    expect(rb.body.id).not.toBe(ra.body.id);
    await db.query("UPDATE idempotency SET created_at = now() - interval '25 hours' WHERE scope = $1", [
      `tenant:${a.tenantId}`,
    ]);
    const after = await post('/api/keys', a.token, 'shared', { label: 'x' });
    expect(after.headers.get('idempotent-replayed')).toBeNull();
    expect(after.body.id).not.toBe(ra.body.id);
    expect((await post('/api/keys', a.token, 'k'.repeat(256), { label: 'x' })).status).toBe(400);
  });

  it('a binary response from a multipart upload is replayed byte for byte with its X-Seal-* headers', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(3000)]);
    const send = async (key: string, content = pdf) => {
      const form = new FormData(); // a new random boundary each time, as a client's retry would have
      form.append('file', new Blob([content], { type: 'application/pdf' }), 'sample.pdf');
      form.append('label', 'sample');
      const res = await fetch(`${url}/fixture/seal`, {
        method: 'POST',
        body: form,
        headers: { 'idempotency-key': key },
      });
      return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
    };
    const first = await send('seal-1');
    const again = await send('seal-1');
    expect(first.status).toBe(200);
    expect(first.body.subarray(0, pdf.length).equals(pdf)).toBe(true);
    expect(again.body.equals(first.body)).toBe(true);
    for (const h of ['content-type', 'content-disposition', 'x-seal-operation-id', 'x-seal-timestamped-by']) {
      expect(again.headers.get(h)).toBe(first.headers.get(h));
    }
    expect(first.headers.get('x-seal-operation-id')).toEqual(expect.any(String));
    expect(state.runs.seal).toBe(1);
    expect((await send('seal-1', Buffer.concat([pdf, Buffer.from('x')]))).status).toBe(422);
    expect(state.runs.seal).toBe(1);
  });

  it('a repeat while the first is still running is 409; once it finished, the repeat gets its response', async () => {
    const first = fetch(`${url}/fixture/slow`, { method: 'POST', headers: { 'idempotency-key': 'slow-1' } });
    while ((await db.query("SELECT 1 FROM idempotency WHERE key = 'slow-1' AND state = 'pending'")).length === 0) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const during = await call(url, 'POST', '/fixture/slow', { headers: { 'idempotency-key': 'slow-1' } });
    expect(during).toMatchObject({ status: 409, body: { message: expect.stringMatching(/in progress/) } });
    state.gate.open();
    const done = await first;
    const firstBody = await done.json();
    expect(done.status).toBe(200);
    const after = await call(url, 'POST', '/fixture/slow', { headers: { 'idempotency-key': 'slow-1' } });
    expect(after).toMatchObject({ status: 200, body: firstBody });
    expect(state.runs.slow).toBe(1);
  });

  it('a row left pending by a node that died (over 10 minutes old) is taken over by the retry', async () => {
    const hash = requestHash('POST', '/fixture/ok', Buffer.alloc(0));
    await db.query(
      `INSERT INTO idempotency (scope, key, request_sha256, state, created_at)
       VALUES ($1, 'orphan', $2, 'pending', $3)`,
      ['ip:127.0.0.1', hash, new Date(Date.now() - 9 * 60_000)],
    );
    const h = { headers: { 'idempotency-key': 'orphan' } };
    expect((await call(url, 'POST', '/fixture/ok', h)).status).toBe(409);
    await db.query("UPDATE idempotency SET created_at = $1 WHERE key = 'orphan'", [new Date(Date.now() - 11 * 60_000)]);
    const retry = await call(url, 'POST', '/fixture/ok', h);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
  });

  it("a 5xx frees the key: the retry runs, and the retry's response is what later repeats get", async () => {
    const h = { headers: { 'idempotency-key': 'fail-1' } };
    expect((await call(url, 'POST', '/fixture/fail-once', h)).status).toBe(500);
    expect(await db.query("SELECT 1 FROM idempotency WHERE key = 'fail-1'")).toHaveLength(0);
    const retry = await call(url, 'POST', '/fixture/fail-once', h);
    expect(retry.status).toBe(200);
    expect((await call(url, 'POST', '/fixture/fail-once', h)).body).toEqual(retry.body);
    expect(state.runs.fail).toBe(2);
  });

  it.runIf(kind === 'postgres')(
    '20 concurrent duplicates: the work is done once, every other answer is 409 or the replay',
    async () => {
      const u = await newUser(url, { organisation: 'Race' });
      const all = await Promise.all(
        Array.from({ length: 20 }, () => post('/api/keys', u.token, 'race', { label: 'race' })),
      );
      const firsts = all.filter((r) => r.status === 200 && r.headers.get('idempotent-replayed') === null);
      expect(firsts).toHaveLength(1);
      for (const r of all) {
        if (r.status === 200) expect(r.body).toEqual(firsts[0]!.body);
        else expect(r.status).toBe(409);
      }
      expect(await db.query('SELECT id FROM api_keys WHERE tenant_id = $1', [u.tenantId])).toHaveLength(1);
    },
  );
});
