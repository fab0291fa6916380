// Seed 001 "Timestamping", "Lookup", "Timestamps", "TSA Providers" on the real server, on PGlite and on PostgreSQL,
// with three loopback OpenSSL TSAs: shapes, auto round-robin and failover, the 502 body and the failure log, the 402
// and qualified quotas, restamp, verify-hash and inspect, lookup, pagination and search, labels, other-tenant 404s,
// the tenant's TSA allowlist, and the import extension (verified before stored, idempotent).
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/sql.js';
import { createTestPki } from '../helpers/pki.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { call, newUser } from '../helpers/server-client.js';
import { openTestDatabase, startTestServer, tsaProviders, type TestServer } from '../helpers/server.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const sha = (alg: string, data: Uint8Array | string) => createHash(alg).update(data).digest('hex');
const randomHash = (alg = 'sha256') => sha(alg, randomBytes(16));

let tsas: LoopbackTsa[];
let pg: TestPostgres;
beforeAll(async () => {
  const pki = await createTestPki();
  tsas = await Promise.all([startTsa({ pki }), startTsa({ pki, signer: 'tsaEc' }), startTsa({ pki })]);
  pg = await startPostgres();
}, 120_000);
afterAll(async () => {
  await Promise.all((tsas ?? []).map((t) => t.close()));
  await pg?.stop();
});
afterEach(() => tsas.forEach((t) => t.setMode('ok')));

/** Three ordinary TSAs, and a qualified one (SK ID ECC's slug) that auto never picks for an ordinary stamp. */
const providers = () => [
  ...tsaProviders(tsas.map((t, i) => ({ slug: `tsa-${'abc'[i]}`, name: `TSA ${'ABC'[i]}`, url: t.url }))),
  {
    ...tsaProviders([{ slug: 'skid-ecc', name: 'SK ID (test)', url: tsas[1]!.url }])[0]!,
    qualified: true,
    position: 4,
  },
];

describe.each(['pglite', 'postgres'] as const)('time-stamping routes on %s', (kind) => {
  let db: Database;
  let server: TestServer;
  let small: TestServer; // the same database, a plan of 2 stamps (and 1 qualified) a month
  beforeAll(async () => {
    db = await openTestDatabase(kind, pg.url);
    server = await startTestServer(db, { tsas: providers() });
    small = await startTestServer(db, {
      tsas: providers(),
      ctx: { plans: { free: { monthlyStamps: 2, monthlyQualified: 1 } } },
    });
  }, 180_000);
  afterAll(async () => {
    await small?.close();
    await server?.close();
    await db?.close();
  });
  const slugsOf = async (tenantId: string) =>
    (
      await db.query<{ tsa_slug: string }>(
        'SELECT tsa_slug FROM transactions WHERE tenant_id = $1 ORDER BY created_at, gen_time',
        [tenantId],
      )
    ).map((r) => r.tsa_slug);

  it("stamp-hash: the seed's 200 shape; auto rotates over the three TSAs from the tenant's own cursor", async () => {
    const u = await newUser(server.url, { organisation: 'Rotate' });
    const hash = randomHash();
    const r = await call(server.url, 'POST', '/tsa/stamp-hash', {
      token: u.token,
      body: { hashHex: hash.toUpperCase(), tsaSlug: 'auto', label: 'a.pdf' },
    });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(
      ['genTime', 'hashAlgorithmOid', 'hashHex', 'qualified', 'policyOid', 'serial', 'tsaName', 'tsrBase64'].sort(),
    );
    expect(r.body).toMatchObject({
      hashHex: hash,
      hashAlgorithmOid: '2.16.840.1.101.3.4.2.1',
      tsaName: 'TSA A',
      qualified: false,
      policyOid: null,
    });
    expect(new Date(r.body.genTime).toISOString()).toBe(r.body.genTime);
    // the token is a real RFC 3161 reply over this hash
    const v = await call(server.url, 'POST', '/tsa/verify-hash', {
      body: { fileHashHex: hash, tsrBase64: r.body.tsrBase64 },
    });
    expect(v.body).toMatchObject({ valid: true, details: { hashMatch: true, serial: r.body.serial } });
    for (let i = 0; i < 5; i++) {
      const s = await call(server.url, 'POST', '/tsa/stamp-hash', {
        token: u.token,
        body: { hashHex: randomHash('sha512') },
      });
      expect(s.status).toBe(200);
    }
    expect(await slugsOf(u.tenantId!)).toEqual(['tsa-a', 'tsa-b', 'tsa-c', 'tsa-a', 'tsa-b', 'tsa-c']);
    // another tenant starts at the first TSA: the cursor is per tenant
    const other = await newUser(server.url, { organisation: 'Other' });
    expect(
      (await call(server.url, 'POST', '/tsa/stamp-hash', { token: other.token, body: { hashHex: randomHash() } })).body
        .tsaName,
    ).toBe('TSA A');
  });

  it('a stamped hash again gives its existing proof (no TSA asked); force: true makes a second one', async () => {
    const u = await newUser(server.url, { organisation: 'Twice' });
    const hashHex = randomHash('sha384');
    const first = await call(server.url, 'POST', '/tsa/stamp-hash', { token: u.token, body: { hashHex } });
    expect(first.body.hashAlgorithmOid).toBe('2.16.840.1.101.3.4.2.2');
    const asked = tsas.reduce((n, t) => n + t.requestCount(), 0);
    const again = await call(server.url, 'POST', '/tsa/stamp-hash', { token: u.token, body: { hashHex } });
    expect(again).toMatchObject({ status: 200, body: first.body });
    expect(tsas.reduce((n, t) => n + t.requestCount(), 0)).toBe(asked);
    const forced = await call(server.url, 'POST', '/tsa/stamp-hash', {
      token: u.token,
      body: { hashHex, force: true },
    });
    expect(forced.status).toBe(200);
    expect(forced.body.serial).not.toBe(first.body.serial);
    expect((await call(server.url, 'POST', '/tsa/stamp-hash', { token: u.token, body: { hashHex } })).body.serial).toBe(
      forced.body.serial,
    );
    expect(await db.query('SELECT stamps FROM usage WHERE tenant_id = $1', [u.tenantId])).toEqual([{ stamps: 2 }]);
  });

  it('a pinned slug uses that TSA alone; auto fails over past a failing TSA, logged with its class', async () => {
    const u = await newUser(server.url, { organisation: 'Failover' });
    const pinned = await call(server.url, 'POST', '/tsa/stamp-hash', {
      token: u.token,
      body: { hashHex: randomHash(), tsaSlug: 'tsa-c' },
    });
    expect(pinned.body.tsaName).toBe('TSA C');
    tsas[0]!.setMode('http503');
    const r = await call(server.url, 'POST', '/tsa/stamp-hash', { token: u.token, body: { hashHex: randomHash() } });
    expect(r.status).toBe(200);
    expect(r.body.tsaName).toBe('TSA B');
    const log = await db.query(
      'SELECT tsa_slug, tsa_name, error_class, status_code FROM tsa_failures WHERE tenant_id = $1',
      [u.tenantId],
    );
    expect(log).toEqual([{ tsa_slug: 'tsa-a', tsa_name: 'TSA A', error_class: 'http_status', status_code: 503 }]);
    const unknown = await call(server.url, 'POST', '/tsa/stamp-hash', {
      token: u.token,
      body: { hashHex: randomHash(), tsaSlug: 'nope' },
    });
    expect(unknown.status).toBe(400);
  });

  it("every TSA failing: the seed's exact 502 body, each failure logged, the stamp not counted", async () => {
    const u = await newUser(small.url, { organisation: 'AllFail' });
    tsas[0]!.setMode('http503');
    tsas[1]!.setMode('garbage');
    tsas[2]!.setMode('rejection');
    const r = await call(small.url, 'POST', '/tsa/stamp-hash', { token: u.token, body: { hashHex: randomHash() } });
    expect(r.status).toBe(502);
    expect(Object.keys(r.body)).toEqual(['message', 'attemptsTried', 'failures']);
    expect(r.body.message).toBe('All enabled TSAs failed.');
    expect(r.body.attemptsTried).toBe(3);
    for (const f of r.body.failures)
      expect(Object.keys(f).sort()).toEqual(['errorClass', 'latencyMs', 'message', 'statusCode', 'tsa']);
    expect(
      r.body.failures.map((f: { tsa: string; errorClass: string; statusCode: number | null }) => [
        f.tsa,
        f.errorClass,
        f.statusCode,
      ]),
    ).toEqual([
      ['TSA A', 'http_status', 503],
      ['TSA B', 'parse', 200],
      ['TSA C', 'parse', 200],
    ]);
    const log = await db.query<{ tsa_slug: string }>(
      'SELECT tsa_slug FROM tsa_failures WHERE tenant_id = $1 ORDER BY id',
      [u.tenantId],
    );
    expect(log.map((l) => l.tsa_slug)).toEqual(['tsa-a', 'tsa-b', 'tsa-c']);
    const usage = await db.query<{ stamps: number }>('SELECT stamps FROM usage WHERE tenant_id = $1', [u.tenantId]);
    expect(usage.map((x) => x.stamps)).toEqual([0]);
  });

  it("monthly quota: the plan's limit, then 402 with the seed's message; qualified stamps counted apart", async () => {
    const u = await newUser(small.url, { organisation: 'Quota' });
    for (let i = 0; i < 2; i++)
      expect(
        (await call(small.url, 'POST', '/tsa/stamp-hash', { token: u.token, body: { hashHex: randomHash() } })).status,
      ).toBe(200);
    const over = await call(small.url, 'POST', '/tsa/stamp-hash', { token: u.token, body: { hashHex: randomHash() } });
    expect(over).toMatchObject({
      status: 402,
      body: { message: 'Monthly stamp limit of 2 reached. Upgrade your plan to continue.' },
    });
    // qualified: to the qualified TSA only, with its policy, from its own allowance of 1
    const q = await call(small.url, 'POST', '/tsa/stamp-hash', {
      token: u.token,
      body: { hashHex: randomHash(), qualified: true },
    });
    expect(q).toMatchObject({
      status: 200,
      body: { qualified: true, tsaName: 'SK ID (test)', policyOid: '1.3.6.1.4.1.99999.1.1' },
    });
    const q2 = await call(small.url, 'POST', '/tsa/stamp-hash', {
      token: u.token,
      body: { hashHex: randomHash(), qualified: true },
    });
    expect(q2).toMatchObject({
      status: 402,
      body: { message: 'Monthly qualified stamp limit of 1 reached. Upgrade your plan to continue.' },
    });
    const notQualified = await call(small.url, 'POST', '/tsa/stamp-hash', {
      token: u.token,
      body: { hashHex: randomHash(), qualified: true, tsaSlug: 'tsa-a' },
    });
    expect(notQualified.status).toBe(400);
    expect(await db.query('SELECT stamps, qualified FROM usage WHERE tenant_id = $1', [u.tenantId])).toEqual([
      { stamps: 2, qualified: 1 },
    ]);
  });

  it("restamp hashes the stored token (RFC 3161 §4) into a child record; another tenant's record is 404", async () => {
    const u = await newUser(server.url, { organisation: 'Restamp' });
    const s = await call(server.url, 'POST', '/tsa/stamp-hash', {
      token: u.token,
      body: { hashHex: randomHash(), label: 'x' },
    });
    const [parent] = await db.query<{ id: string }>('SELECT id FROM transactions WHERE tenant_id = $1', [u.tenantId]);
    const r = await call(server.url, 'POST', '/tsa/restamp', {
      token: u.token,
      body: { transactionId: parent!.id, tsaSlug: 'tsa-c' },
    });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['genTime', 'id', 'parentTransactionId', 'tsaName']);
    expect(r.body).toMatchObject({
      id: expect.stringMatching(UUID),
      parentTransactionId: parent!.id,
      tsaName: 'TSA C',
    });
    // auto: SHA-512 of the TSR bytes, so the public lookup of that digest finds the child
    const auto = await call(server.url, 'POST', '/tsa/restamp', {
      token: u.token,
      body: { transactionId: parent!.id },
    });
    const tsrSha512 = sha('sha512', Buffer.from(s.body.tsrBase64, 'base64'));
    const found = await call(server.url, 'GET', `/api/lookup/${tsrSha512}`);
    expect(found.body).toMatchObject({ found: true, count: 1, latest: { id: auto.body.id } });
    const stranger = await newUser(server.url, { organisation: 'Stranger' });
    const other = await call(server.url, 'POST', '/tsa/restamp', {
      token: stranger.token,
      body: { transactionId: parent!.id },
    });
    expect(other).toMatchObject({ status: 404, body: { message: 'not found' } });
    expect((await call(server.url, 'POST', '/tsa/restamp', { body: { transactionId: parent!.id } })).status).toBe(401);
  });

  it('a node killed after the commit, before its response was stored: the retry answers from the record', async () => {
    const u = await newUser(server.url, { organisation: 'Crash' });
    const s = await call(server.url, 'POST', '/tsa/stamp-hash', { token: u.token, body: { hashHex: randomHash() } });
    expect(s.status).toBe(200);
    const [parent] = await db.query<{ id: string }>('SELECT id FROM transactions WHERE tenant_id = $1', [u.tenantId]);
    const cases = [
      { path: '/tsa/stamp-hash', body: { hashHex: randomHash(), force: true, label: 'crash' } },
      { path: '/tsa/restamp', body: { transactionId: parent!.id } },
    ];
    for (const c of cases) {
      const headers = { 'idempotency-key': `crash-${c.path}` };
      const first = await call(server.url, 'POST', c.path, { token: u.token, body: c.body, headers });
      expect(first.status).toBe(200);
      // What a kill -9 between the record's commit and the stored response leaves: the key pending, 11 minutes old.
      await db.query(
        `UPDATE idempotency SET state = 'pending', status_code = NULL, headers = NULL, body = NULL,
         created_at = now() - interval '11 minutes' WHERE key = $1`,
        [headers['idempotency-key']],
      );
      const asked = tsas.map((t) => t.requestCount());
      const records = await db.query('SELECT id FROM transactions WHERE tenant_id = $1', [u.tenantId]);
      const retry = await call(server.url, 'POST', c.path, { token: u.token, body: c.body, headers });
      expect(retry).toMatchObject({ status: 200, body: first.body });
      expect(retry.headers.get('idempotent-replayed')).toBeNull(); // it ran again, and found its record
      expect(tsas.map((t) => t.requestCount())).toEqual(asked);
      expect(await db.query('SELECT id FROM transactions WHERE tenant_id = $1', [u.tenantId])).toHaveLength(
        records.length,
      );
    }
  });

  it("verify-hash and inspect (public): the seed's shapes; a wrong hash is valid: false; garbage is 400", async () => {
    const u = await newUser(server.url, { organisation: 'Verify' });
    const hashHex = randomHash('sha512');
    const s = await call(server.url, 'POST', '/tsa/stamp-hash', {
      token: u.token,
      body: { hashHex, tsaSlug: 'tsa-b' },
    });
    const i = await call(server.url, 'POST', '/tsa/inspect', { body: { tsrBase64: s.body.tsrBase64 } });
    expect(i.status).toBe(200);
    expect(Object.keys(i.body).sort()).toEqual([
      'certNotAfter',
      'certNotBefore',
      'genTime',
      'hashAlg',
      'serial',
      'tsaName',
    ]);
    expect(i.body).toMatchObject({ genTime: s.body.genTime, serial: s.body.serial, hashAlg: '2.16.840.1.101.3.4.2.3' });
    expect(Date.parse(i.body.certNotAfter)).toBeGreaterThan(Date.parse(i.body.certNotBefore));
    const good = await call(server.url, 'POST', '/tsa/verify-hash', {
      body: { fileHashHex: hashHex, tsrBase64: s.body.tsrBase64 },
    });
    expect(good.body).toEqual({
      valid: true,
      message: 'File matches the timestamp.',
      details: {
        serial: s.body.serial,
        genTime: s.body.genTime,
        hashAlgorithmOid: '2.16.840.1.101.3.4.2.3',
        claimedHashHex: hashHex,
        providedHashHex: hashHex,
        hashMatch: true,
      },
    });
    const bad = await call(server.url, 'POST', '/tsa/verify-hash', {
      body: { fileHashHex: randomHash('sha512'), tsrBase64: s.body.tsrBase64 },
    });
    expect(bad.body).toMatchObject({ valid: false, details: { hashMatch: false, claimedHashHex: hashHex } });
    const junk = await call(server.url, 'POST', '/tsa/inspect', {
      body: { tsrBase64: Buffer.from('not a token').toString('base64') },
    });
    expect(junk.status).toBe(400);
  });

  it("lookup (public): found with the seed's record shape, not found, 400 for a non-SHA-512", async () => {
    const u = await newUser(server.url, { organisation: 'Lookup' });
    const hashHex = randomHash('sha512');
    await call(server.url, 'POST', '/tsa/stamp-hash', { token: u.token, body: { hashHex, label: 'doc.pdf' } });
    const second = await call(server.url, 'POST', '/tsa/stamp-hash', {
      token: u.token,
      body: { hashHex, force: true },
    });
    const r = await call(server.url, 'GET', `/api/lookup/${hashHex.toUpperCase()}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ found: true, count: 2 });
    expect(r.body.records).toHaveLength(2);
    expect(Object.keys(r.body.latest).sort()).toEqual([
      'certNotAfter',
      'genTime',
      'id',
      'label',
      'tsaName',
      'tsrBase64',
    ]);
    expect(r.body.records.map((x: { tsrBase64: string }) => x.tsrBase64)).toContain(second.body.tsrBase64);
    expect((await call(server.url, 'GET', `/api/lookup/${randomHash('sha512')}`)).body).toEqual({
      found: false,
      count: 0,
      latest: null,
      records: [],
    });
    expect((await call(server.url, 'GET', `/api/lookup/${randomHash('sha256')}`)).status).toBe(400);
  });

  it('transactions/details: pages ≤ 200, search on label or hash prefix, another tenant 404; labels', async () => {
    const u = await newUser(server.url, { organisation: 'Details' });
    const hashes: string[] = [];
    for (let i = 0; i < 5; i++) {
      hashes.push(randomHash());
      await call(server.url, 'POST', '/tsa/stamp-hash', {
        token: u.token,
        body: { hashHex: hashes[i], label: i === 3 ? 'Contract 100%.pdf' : `file${i}` },
      });
    }
    const q = (s: string) =>
      call(server.url, 'GET', `/api/transactions/details?tenantId=${u.tenantId}${s}`, { token: u.token });
    const p1 = await q('&page=1&pageSize=2');
    expect(p1.body).toMatchObject({ total: 5, page: 1, pageSize: 2 });
    const p3 = await q('&page=3&pageSize=2');
    expect(p3.body.items).toHaveLength(1);
    const all = await q('');
    expect(all.body).toMatchObject({ total: 5, page: 1, pageSize: 50 });
    expect(new Set(all.body.items.map((x: { hashHex: string }) => x.hashHex))).toEqual(new Set(hashes));
    expect((await q('&search=contract%20100%25')).body.items.map((x: { label: string }) => x.label)).toEqual([
      'Contract 100%.pdf',
    ]);
    expect((await q('&search=100_')).body.total).toBe(0);
    expect(
      (await q(`&search=${hashes[2]!.slice(0, 12)}`)).body.items.map((x: { hashHex: string }) => x.hashHex),
    ).toEqual([hashes[2]]);
    expect((await q('&pageSize=201')).status).toBe(400);
    expect((await q('&page=0')).status).toBe(400);
    const stranger = await newUser(server.url, { organisation: 'Nosy' });
    const other = await call(server.url, 'GET', `/api/transactions/details?tenantId=${u.tenantId}`, {
      token: stranger.token,
    });
    expect(other).toMatchObject({ status: 404, body: { message: 'not found' } });
    const id = all.body.items[0].id;
    const label = await call(server.url, 'PUT', `/api/transactions/${id}/label`, {
      token: u.token,
      body: { label: 'renamed' },
    });
    expect(label).toMatchObject({ status: 200, body: { id, label: 'renamed' } });
    expect(
      (
        await call(server.url, 'PUT', `/api/transactions/${id}/label`, {
          token: u.token,
          body: { label: 'x'.repeat(256) },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call(server.url, 'PUT', `/api/transactions/${id}/label`, {
          token: stranger.token,
          body: { label: 'mine' },
        })
      ).status,
    ).toBe(404);
    expect(
      (await call(server.url, 'PUT', '/api/transactions/not-a-uuid/label', { token: u.token, body: { label: 'y' } }))
        .status,
    ).toBe(404);
    expect((await q('&search=renamed')).body.items.map((x: { id: string }) => x.id)).toEqual([id]);
  });

  it("/proxy/services in the seed's shape; an owner's allowlist narrows auto; members may not set it", async () => {
    const services = await call(server.url, 'GET', '/proxy/services');
    expect(services.body).toEqual([
      ...['a', 'b', 'c'].map((x, i) => ({
        id: `tsa-${x}`,
        name: `TSA ${x.toUpperCase()}`,
        proxySlug: `tsa-${x}`,
        endpointUrl: tsas[i]!.url,
        preferredHashOid: '2.16.840.1.101.3.4.2.1',
        isActive: true,
      })),
      {
        id: 'skid-ecc',
        name: 'SK ID (test)',
        proxySlug: 'skid-ecc',
        endpointUrl: tsas[1]!.url,
        preferredHashOid: '2.16.840.1.101.3.4.2.1',
        isActive: true,
      },
    ]);
    const owner = await newUser(server.url, { organisation: 'Allow' });
    const set = await call(server.url, 'PUT', '/api/tenant/settings', {
      token: owner.token,
      body: { enabledTsaSlugs: ['tsa-b'], storeCadesSeals: true },
    });
    expect(set.body).toMatchObject({ enabledTsaSlugs: ['tsa-b'], storeCadesSeals: true });
    for (let i = 0; i < 2; i++) {
      expect(
        (await call(server.url, 'POST', '/tsa/stamp-hash', { token: owner.token, body: { hashHex: randomHash() } }))
          .body.tsaName,
      ).toBe('TSA B');
    }
    expect(
      (
        await call(server.url, 'POST', '/tsa/stamp-hash', {
          token: owner.token,
          body: { hashHex: randomHash(), tsaSlug: 'tsa-a' },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call(server.url, 'PUT', '/api/tenant/settings', {
          token: owner.token,
          body: { enabledTsaSlugs: ['nope'] },
        })
      ).status,
    ).toBe(400);
    const member = await newUser(server.url);
    await call(server.url, 'POST', '/api/tenants/members', { token: owner.token, body: { email: member.email } });
    const memberToken = (await call(server.url, 'POST', '/auth/refresh', { token: member.token })).body.token;
    expect(
      (await call(server.url, 'PUT', '/api/tenant/settings', { token: memberToken, body: { storeCadesSeals: false } }))
        .status,
    ).toBe(403);
  });

  it('import: a token verifying against the hash is stored once (a repeat: same record); others 400', async () => {
    const maker = await newUser(server.url, { organisation: 'Offline maker' });
    const hashHex = randomHash('sha512');
    const made = await call(server.url, 'POST', '/tsa/stamp-hash', { token: maker.token, body: { hashHex } });
    const u = await newUser(server.url, { organisation: 'Importer' });
    const body = { hashHex, tsrBase64: made.body.tsrBase64, label: 'offline.pdf' };
    const first = await call(server.url, 'POST', '/api/transactions/import', { token: u.token, body });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      id: expect.stringMatching(UUID),
      hashHex,
      label: 'offline.pdf',
      origin: 'import',
      serial: made.body.serial,
      created: true,
    });
    const again = await call(server.url, 'POST', '/api/transactions/import', { token: u.token, body });
    expect(again.body).toMatchObject({ id: first.body.id, created: false });
    const wrong = await call(server.url, 'POST', '/api/transactions/import', {
      token: u.token,
      body: { ...body, hashHex: randomHash('sha512') },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toMatch(/does not verify/);
    const junk = await call(server.url, 'POST', '/api/transactions/import', {
      token: u.token,
      body: { hashHex, tsrBase64: 'AAAA' },
    });
    expect(junk.status).toBe(400);
    const child = await call(server.url, 'POST', '/api/transactions/import', {
      token: u.token,
      body: { hashHex, tsrBase64: made.body.tsrBase64, parentTransactionId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(child.status).toBe(404);
    expect(await db.query('SELECT count(*)::int AS n FROM transactions WHERE tenant_id = $1', [u.tenantId])).toEqual([
      { n: 1 },
    ]);
  });
});
