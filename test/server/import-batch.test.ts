// POST /api/transactions/import/batch (issue 17's fast push) on the real server, on PGlite and on PostgreSQL: good
// and bad items in one batch (a bad token or unknown parent refuses that item only, with its reason), per-item
// answers in order, a repeat stores nothing twice (with and without the same Idempotency-Key), the same token twice in
// one batch is one record, the limits (no items, > 500 items, a malformed item) are 400, and the capability is named.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/sql.js';
import { createTestPki } from '../helpers/pki.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { call, newUser, type Session } from '../helpers/server-client.js';
import { openTestDatabase, startTestServer, tsaProviders, type TestServer } from '../helpers/server.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let tsa: LoopbackTsa;
let pg: TestPostgres;
beforeAll(async () => {
  tsa = await startTsa({ pki: await createTestPki() });
  pg = await startPostgres();
}, 120_000);
afterAll(async () => {
  await tsa?.close();
  await pg?.stop();
});

describe.each(['pglite', 'postgres'] as const)('POST /api/transactions/import/batch on %s', (kind) => {
  let db: Database;
  let server: TestServer;
  let maker: Session; // stamps online (another tenant): its tokens are what the importers bring
  beforeAll(async () => {
    db = await openTestDatabase(kind, pg.url);
    server = await startTestServer(db, { tsas: tsaProviders([{ slug: 'tsa-a', url: tsa.url }]) });
    maker = await newUser(server.url, { organisation: 'Token maker' });
  }, 120_000);
  /** A valid item: a fresh SHA-512 hash and a token for it from the loopback TSA. */
  const item = async (label?: string) => {
    const hashHex = createHash('sha512').update(randomBytes(32)).digest('hex');
    const made = await call(server.url, 'POST', '/tsa/stamp-hash', { token: maker.token, body: { hashHex } });
    if (made.status !== 200) throw new Error(`stamp-hash: ${made.status} ${JSON.stringify(made.body)}`);
    return { hashHex, tsrBase64: made.body.tsrBase64 as string, ...(label ? { label } : {}) };
  };
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });
  const batch = (token: string, items: unknown[], key?: string) =>
    call(server.url, 'POST', '/api/transactions/import/batch', {
      token,
      body: { items },
      ...(key ? { headers: { 'idempotency-key': key } } : {}),
    });
  const countOf = async (tenantId: string | null) =>
    (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM transactions WHERE tenant_id = $1', [tenantId]))[0]!
      .n;

  it('is named in /api/capabilities', async () => {
    const caps = await call(server.url, 'GET', '/api/capabilities');
    expect(caps.body.extensions).toContain('transactions-import-batch');
  });

  it('stores the good items in one go and refuses each bad one alone, answering per item in order', async () => {
    const u = await newUser(server.url, { organisation: 'Batch importer' });
    const [a, b, c, d, e] = await Promise.all([item('a.pdf'), item(), item('c.pdf'), item(), item()]);
    const wrongHash = { ...d, hashHex: createHash('sha512').update('other').digest('hex') };
    const orphan = { ...e, parentTransactionId: '00000000-0000-4000-8000-000000000000' };
    const junk = { hashHex: a.hashHex, tsrBase64: 'AAAA' };
    const r = await batch(u.token, [a, wrongHash, b, orphan, junk, c]);
    expect(r.status).toBe(200);
    const items = r.body.items as { created?: boolean; id?: string; error?: string }[];
    expect(items).toHaveLength(6);
    for (const i of [0, 2, 5]) expect(items[i]).toEqual({ created: true, id: expect.stringMatching(UUID) });
    expect(items[1]!.error).toMatch(/^the token does not verify against hashHex: File does not match/);
    expect(items[3]).toEqual({ error: 'parentTransactionId: not found' });
    expect(items[4]!.error).toMatch(/^not a time-stamp response or token: /);
    expect(new Set([items[0]!.id, items[2]!.id, items[5]!.id]).size).toBe(3);
    expect(await countOf(u.tenantId)).toBe(3);

    // What was stored is what the single import stores: the facts read from the token, the label, origin import.
    const rows = await db.query<{ id: string; hash_hex: string; label: string | null; origin: string }>(
      'SELECT id, hash_hex, label, origin FROM transactions WHERE tenant_id = $1 ORDER BY label NULLS LAST',
      [u.tenantId],
    );
    expect(rows).toEqual([
      { id: items[0]!.id, hash_hex: a.hashHex, label: 'a.pdf', origin: 'import' },
      { id: items[5]!.id, hash_hex: c.hashHex, label: 'c.pdf', origin: 'import' },
      { id: items[2]!.id, hash_hex: b.hashHex, label: null, origin: 'import' },
    ]);

    // Every fact stored is what the single import stores for the same token (another tenant imports it one by one).
    const single = await newUser(server.url, { organisation: 'Single importer' });
    const one = await call(server.url, 'POST', '/api/transactions/import', { token: single.token, body: a });
    const facts = (id: string) =>
      db.query(
        `SELECT hash_hex, hash_algorithm_oid, label, tsa_slug, tsa_name, serial, gen_time, tsr, token_sha256,
           cert_not_before, cert_not_after, qualified, policy_oid, parent_id, origin FROM transactions WHERE id = $1`,
        [id],
      );
    const [batched, alone] = [await facts(items[0]!.id!), await facts(one.body.id)];
    expect(batched).toEqual(alone);
    expect(Buffer.from(batched[0]!['tsr'] as Uint8Array).toString('base64')).toBe(a.tsrBase64);

    // A restamp link on a parent the tenant holds is taken, and points at it.
    const link = await batch(u.token, [{ ...(await item()), parentTransactionId: items[0]!.id }]);
    expect(link.body.items[0]).toEqual({ created: true, id: expect.stringMatching(UUID) });
    const parent = await db.query('SELECT parent_id FROM transactions WHERE id = $1', [link.body.items[0].id]);
    expect(parent).toEqual([{ parent_id: items[0]!.id }]);
  });

  it('a repeat stores nothing twice (same ids, created false); one token twice in a batch is one record', async () => {
    const u = await newUser(server.url, { organisation: 'Batch repeater' });
    const [x, y, z, extra, twice] = await Promise.all([item(), item(), item(), item(), item()]);
    const items = [x, y, z];
    const first = await batch(u.token, items, 'sealdesk:batch:test-1');
    const replay = await batch(u.token, items, 'sealdesk:batch:test-1');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    // One more row (another key): the three already there are found, not stored again.
    const more = await batch(u.token, [...items, extra], 'sealdesk:batch:test-2');
    expect(more.body.items.slice(0, 3)).toEqual(
      first.body.items.map((i: { id: string }) => ({ created: false, id: i.id })),
    );
    expect(more.body.items[3]).toMatchObject({ created: true });
    const dup = await batch(u.token, [twice, twice]);
    expect(dup.body.items[0]).toMatchObject({ created: true });
    expect(dup.body.items[1]).toEqual({ created: false, id: dup.body.items[0].id });
    expect(await countOf(u.tenantId)).toBe(5);
  });

  it('limits: no items, more than 500, a malformed item or no tenant → 400 or 403, nothing stored', async () => {
    const u = await newUser(server.url, { organisation: 'Batch limits' });
    expect((await batch(u.token, [])).status).toBe(400);
    const one = await item();
    expect((await batch(u.token, Array(501).fill(one))).status).toBe(400);
    expect((await batch(u.token, [one, { hashHex: 'xyz', tsrBase64: one.tsrBase64 }])).status).toBe(400);
    expect((await batch(u.token, [{ ...one, extra: 1 }])).status).toBe(400);
    expect(await countOf(u.tenantId)).toBe(0);
    const loner = await newUser(server.url);
    expect((await batch(loner.token, [one])).status).toBe(403);
  });
});
