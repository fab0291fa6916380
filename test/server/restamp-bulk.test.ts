// Bulk restamp on PostgreSQL (issue 16 "Restamping at the organisation's scale"): two server nodes on one database
// drain one job of 200 chains exactly once each; a node that dies mid-item leaves it to the other when its lease runs
// out and cannot add a second link when it comes back; a chain no TSA can extend is skipped; per-TSA rate windows are
// shared through the database; the progress endpoint. Loopback OpenSSL TSAs: A (RSA) and B (EC); the test PKI's TSA
// certificates all end 2040-01-01, so "A's certificate expires in 10 days" is set on A's records in the database.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/sql.js';
import { startDrainer, type Drainer } from '../../server/restamp/drainer.js';
import { claimItem, finishItem } from '../../server/restamp/lease.js';
import { keepLink, obtainLink } from '../../server/restamp/restamp-item.js';
import { createTestPki } from '../helpers/pki.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { call, newUser } from '../helpers/server-client.js';
import { openTestDatabase, startTestServer, tsaProviders, type TestServer } from '../helpers/server.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';

const FAST = { perWindow: 10_000, windowMs: 1_000 };
/** A drainer's unexpected errors are shown (they are retried, then the item fails; a test then fails on its counts). */
const log = (event: string, detail: Record<string, unknown>) => {
  if (event !== 'restamp item') console.error(event, detail);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let tsas: LoopbackTsa[];
let pg: TestPostgres;
let db1: Database;
let db2: Database;
let node1: TestServer;
let node2: TestServer;
beforeAll(async () => {
  const pki = await createTestPki();
  tsas = await Promise.all([startTsa({ pki }), startTsa({ pki, signer: 'tsaEc' })]);
  pg = await startPostgres();
  db1 = await openTestDatabase('postgres', pg.url);
  db2 = await openTestDatabase('postgres', pg.url);
  const providers = tsaProviders(tsas.map((t, i) => ({ slug: `tsa-${'ab'[i]}`, name: `TSA ${'AB'[i]}`, url: t.url })));
  node1 = await startTestServer(db1, { tsas: providers });
  node2 = await startTestServer(db2, { tsas: providers });
}, 180_000);
afterAll(async () => {
  await node1?.close();
  await node2?.close();
  await db1?.close();
  await db2?.close();
  await Promise.all((tsas ?? []).map((t) => t.close()));
  await pg?.stop();
});

/** An owner on the enterprise plan with `n` chains stamped by TSA A, whose certificate "expires in 10 days". */
async function tenantWithChains(n: number) {
  const u = await newUser(node1.url, { organisation: `Bulk ${n}` });
  await db1.query("UPDATE tenants SET plan = 'enterprise' WHERE id = $1", [u.tenantId]);
  const hashes = Array.from({ length: n }, () => createHash('sha256').update(randomBytes(16)).digest('hex'));
  for (let i = 0; i < n; i += 8) {
    const batch = hashes
      .slice(i, i + 8)
      .map((hashHex) =>
        call(node1.url, 'POST', '/tsa/stamp-hash', { token: u.token, body: { hashHex, tsaSlug: 'tsa-a' } }),
      );
    for (const r of await Promise.all(batch)) expect(r.status).toBe(200);
  }
  await db1.query("UPDATE transactions SET cert_not_after = now() + interval '10 days' WHERE tenant_id = $1", [
    u.tenantId,
  ]);
  return u;
}

async function untilSettled(url: string, token: string, id: string, settled: (p: any) => boolean) {
  for (;;) {
    const r = await call(url, 'GET', `/api/restamp/bulk/${id}`, { token });
    expect(r.status).toBe(200);
    if (settled(r.body)) return r.body;
    await sleep(100);
  }
}

/** Children per chain start (origin stamp) of the tenant. */
const childCounts = async (tenantId: string) =>
  db1.query<{ id: string; tsr: Uint8Array; n: string }>(
    `SELECT t.id, t.tsr, (SELECT count(*) FROM transactions c WHERE c.parent_id = t.id) AS n
     FROM transactions t WHERE t.tenant_id = $1 AND t.origin = 'stamp'`,
    [tenantId],
  );

describe('bulk restamp on PostgreSQL', () => {
  let owner: Awaited<ReturnType<typeof tenantWithChains>>;
  let drainers: Drainer[] = [];

  it('two nodes drain 200 chains: one new link each, over its token, from a TSA that extends it', async () => {
    owner = await tenantWithChains(200);
    const aBefore = tsas[0]!.requestCount();
    const bBefore = tsas[1]!.requestCount();
    drainers = [node1, node2].map((n) => startDrainer(n.ctx, { idleMs: 20, concurrency: 4, rate: FAST, log }));
    const job = await call(node1.url, 'POST', '/api/restamp/bulk', {
      token: owner.token,
      body: { expiringWithinDays: 30 },
    });
    expect(job.status).toBe(200);
    expect(job.body).toMatchObject({ total: 200, state: 'running' });
    const end = await untilSettled(node2.url, owner.token, job.body.id, (p) => p.state === 'done');
    await Promise.all(drainers.map((d) => d.stop()));
    expect(end).toMatchObject({ total: 200, done: 200, failed: 0, skipped: 0, running: 0, queued: 0 });

    const chains = await childCounts(owner.tenantId!);
    expect(chains).toHaveLength(200);
    expect(chains.every((c) => Number(c.n) === 1)).toBe(true);
    const links = await db1.query<{ parent_tsr: Uint8Array; hash_hex: string; tsa_slug: string; origin: string }>(
      `SELECT p.tsr AS parent_tsr, c.hash_hex, c.tsa_slug, c.origin
       FROM transactions c JOIN transactions p ON p.id = c.parent_id
       WHERE c.tenant_id = $1`,
      [owner.tenantId],
    );
    expect(links).toHaveLength(200);
    for (const l of links) {
      expect(l).toMatchObject({ tsa_slug: 'tsa-b', origin: 'restamp' }); // A's certificate ends inside the window
      expect(l.hash_hex).toBe(createHash('sha256').update(l.parent_tsr).digest('hex')); // RFC 3161 §4
    }
    expect(tsas[0]!.requestCount()).toBe(aBefore);
    expect(tsas[1]!.requestCount() - bBefore).toBe(200);
    const byNode = await db1.query<{ locked_by: string }>(
      'SELECT DISTINCT locked_by FROM restamp_items WHERE job_id = $1',
      [job.body.id],
    );
    expect(byNode.map((r) => r.locked_by).sort()).toEqual([node1.ctx.nodeId, node2.ctx.nodeId].sort());
  }, 900_000);

  it('a chain no TSA can extend is skipped (no_tsa_extends_protection) and no TSA is asked', async () => {
    const before = tsas.map((t) => t.requestCount());
    const count = async () => Number((await db1.query<{ n: string }>('SELECT count(*) AS n FROM transactions'))[0]!.n);
    const records = await count();
    drainers = [startDrainer(node1.ctx, { idleMs: 20, rate: FAST, log })];
    // B's links end 2040-01-01, before this window's end; A's last certificate ends in 10 days
    const job = await call(node1.url, 'POST', '/api/restamp/bulk', {
      token: owner.token,
      body: { expiringWithinDays: 5_000 },
    });
    expect(job.body.total).toBe(200);
    const end = await untilSettled(node1.url, owner.token, job.body.id, (p) => p.state === 'done');
    await drainers[0]!.stop();
    expect(end).toMatchObject({ total: 200, done: 0, skipped: 200, failed: 0 });
    const errors = await db1.query<{ error: string }>('SELECT error FROM restamp_items WHERE job_id = $1', [
      job.body.id,
    ]);
    expect(errors.every((e) => e.error.startsWith('no_tsa_extends_protection'))).toBe(true);
    expect(tsas.map((t) => t.requestCount())).toEqual(before);
    expect(await count()).toBe(records);
  }, 300_000);

  it('a node dies mid-item: the other takes it when the lease ends; the dead one adds no second link', async () => {
    const u = await tenantWithChains(3);
    const job = await call(node1.url, 'POST', '/api/restamp/bulk', {
      token: u.token,
      body: { expiringWithinDays: 30 },
    });
    expect(job.body.total).toBe(3);
    const dead = { ...node1.ctx, nodeId: 'node-that-dies' };
    const item = (await claimItem(db1, dead.nodeId, new Date(), 1))!;
    const obtained = await obtainLink(dead, item, FAST); // its TSA call is made, then the node "hangs"
    expect(obtained.kind).toBe('link');
    await sleep(20); // the 1 ms lease is over
    const survivor = startDrainer(node2.ctx, { idleMs: 20, rate: FAST, log });
    const end = await untilSettled(node2.url, u.token, job.body.id, (p) => p.state === 'done');
    await survivor.stop();
    expect(end).toMatchObject({ done: 3, failed: 0, skipped: 0 });
    if (obtained.kind === 'link') expect(await keepLink(dead, item, obtained)).toBe(false);
    expect((await childCounts(u.tenantId!)).map((c) => Number(c.n))).toEqual([1, 1, 1]);
    const row = await db1.query<{ locked_by: string }>(
      'SELECT locked_by FROM restamp_items WHERE job_id = $1 AND transaction_id = $2',
      [item.jobId, item.transactionId],
    );
    expect(row[0]!.locked_by).toBe(node2.ctx.nodeId);
  }, 300_000);

  it('a database error after the quota was taken gives the stamp back, while obtaining and while keeping', async () => {
    const u = await tenantWithChains(1);
    const job = await call(node1.url, 'POST', '/api/restamp/bulk', {
      token: u.token,
      body: { expiringWithinDays: 30 },
    });
    expect(job.body.total).toBe(1);
    const usage = async () =>
      (await db1.query<{ stamps: number }>('SELECT stamps FROM usage WHERE tenant_id = $1', [u.tenantId]))[0]!.stamps;
    const before = await usage();
    const lost = () => Promise.reject(new Error('connection lost'));
    // the shared rate window's row is written between the reservation and the TSA call
    const rateFails: Database = {
      ...db1,
      query: (text, params) => (/tsa_rate/.test(text) ? lost() : db1.query(text, params)),
    };
    const ctx = { ...node1.ctx, nodeId: 'node-x' };
    const item = (await claimItem(db1, ctx.nodeId, new Date(), 60_000))!;
    await expect(obtainLink({ ...ctx, db: rateFails }, item, FAST)).rejects.toThrow('connection lost');
    expect(await usage()).toBe(before);
    const got = await obtainLink(ctx, item, FAST);
    expect(got.kind).toBe('link');
    expect(await usage()).toBe(before + 1);
    await expect(
      keepLink({ ...ctx, db: { ...db1, tx: lost } }, item, got as Extract<typeof got, { kind: 'link' }>),
    ).rejects.toThrow('connection lost');
    expect(await usage()).toBe(before);
    await finishItem(db1, item, { state: 'failed', error: 'test: connection lost' });
  });

  it('two nodes ending the last two items at once: the job closes (the job row is locked before the check)', async () => {
    const u = await tenantWithChains(2);
    const job = await call(node1.url, 'POST', '/api/restamp/bulk', {
      token: u.token,
      body: { expiringWithinDays: 30 },
    });
    expect(job.body.total).toBe(2);
    const x = (await claimItem(db1, 'node-x', new Date(), 60_000))!;
    const y = (await claimItem(db2, 'node-y', new Date(), 60_000))!;
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    // X ends first and its transaction stays open (its node is slow to commit) while Y ends on the other node.
    const first = db1.tx(async (sql) => {
      await finishItem(sql, x, { state: 'skipped', error: 'test' });
      await gate;
    });
    const second = db2.tx((sql) => finishItem(sql, y, { state: 'skipped', error: 'test' }));
    let secondEnded = false;
    void second.then(() => (secondEnded = true));
    // Y's transaction must wait for X's lock on the job row (a lock not granted in pg_locks), not decide alone.
    // Without that lock Y commits at once, having seen X still running, and the job stays `running` for ever.
    for (;;) {
      const waits = await db1.query<{ n: string }>('SELECT count(*) AS n FROM pg_locks WHERE NOT granted');
      if (secondEnded || Number(waits[0]!.n) > 0) break;
      await sleep(10);
    }
    open();
    await Promise.all([first, second]);
    const end = await call(node1.url, 'GET', `/api/restamp/bulk/${job.body.id}`, { token: u.token });
    expect(end.body).toMatchObject({ state: 'done', skipped: 2, running: 0, queued: 0 });
  }, 120_000);

  it('a TSA rate window shared by the nodes: one request per window, the rest wait for the next window', async () => {
    const u = await tenantWithChains(3);
    const hourly = { perWindow: 1, windowMs: 3_600_000 };
    await db1.query("DELETE FROM tsa_rate WHERE tsa_slug = 'tsa-b'");
    const before = tsas[1]!.requestCount();
    drainers = [node1, node2].map((n) => startDrainer(n.ctx, { idleMs: 20, rate: hourly, log }));
    const job = await call(node1.url, 'POST', '/api/restamp/bulk', {
      token: u.token,
      body: { expiringWithinDays: 30 },
    });
    const end = await untilSettled(
      node1.url,
      u.token,
      job.body.id,
      (p) => p.done === 1 && p.queued === 2 && p.running === 0,
    );
    await Promise.all(drainers.map((d) => d.stop()));
    expect(end).toMatchObject({ state: 'running', total: 3, done: 1, queued: 2, failed: 0, skipped: 0 });
    expect(tsas[1]!.requestCount() - before).toBe(1);
  }, 300_000);

  it('progress: owner-only enqueue, other tenants get 404, a bad body 400', async () => {
    const other = await newUser(node1.url, { organisation: 'Other' });
    const job = await call(node1.url, 'POST', '/api/restamp/bulk', {
      token: owner.token,
      body: { expiringWithinDays: 1 },
    });
    expect(job.body).toMatchObject({ total: 0, state: 'done', done: 0 });
    expect((await call(node1.url, 'GET', `/api/restamp/bulk/${job.body.id}`, { token: other.token })).status).toBe(404);
    expect((await call(node1.url, 'GET', '/api/restamp/bulk/not-a-uuid', { token: owner.token })).status).toBe(404);
    const bad = await call(node1.url, 'POST', '/api/restamp/bulk', {
      token: owner.token,
      body: { expiringWithinDays: -1 },
    });
    expect(bad.status).toBe(400);
    const member = await newUser(node1.url);
    const add = await call(node1.url, 'POST', '/api/tenants/members', {
      token: owner.token,
      body: { email: member.email },
    });
    expect(add.status).toBe(200);
    const token = (await call(node1.url, 'POST', '/auth/refresh', { token: member.token })).body.token;
    const refused = await call(node1.url, 'POST', '/api/restamp/bulk', { token, body: { expiringWithinDays: 30 } });
    expect(refused).toMatchObject({ status: 403, body: { message: 'owner role required' } });
    expect((await call(node1.url, 'GET', `/api/restamp/bulk/${job.body.id}`, { token })).status).toBe(200);
  }, 120_000);
});
