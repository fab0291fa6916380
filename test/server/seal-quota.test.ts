// POST /seal/sign and the monthly stamp quota (seed 001: 402 "Monthly stamp limit of 50 reached…", qualified stamps
// counted apart) on the real server, on PGlite and PostgreSQL, with a loopback OpenSSL TSA and the platform
// certificate (a test-CA key, no token needed): a seal's time-stamp takes one stamp; at the limit the seal is refused
// before anything is signed or stored; the stamp is given back when no time-stamp was made (every TSA failed, none
// enabled) or the seal failed; a replayed Idempotency-Key takes nothing; concurrent seals never share the last stamp.
// POST /tsa/restamp counts from the same allowance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/sql.js';
import { platformId } from '../../server/sealing/keystore.js';
import { monthOf } from '../../server/stamping/quota.js';
import { createTestPki } from '../helpers/pki.js';
import { minimalPdf } from '../helpers/pdfs.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { call, newUser } from '../helpers/server-client.js';
import { openTestDatabase, startTestServer, tsaProviders, type TestServer } from '../helpers/server.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';

const LIMIT_MESSAGE = 'Monthly stamp limit of 50 reached. Upgrade your plan to continue.';
const QUALIFIED_MESSAGE = 'Monthly qualified stamp limit of 5 reached. Upgrade your plan to continue.';

let tsa: LoopbackTsa;
let pg: TestPostgres;
let platform: Parameters<typeof platformId>[0];
beforeAll(async () => {
  const pki = await createTestPki();
  tsa = await startTsa({ pki });
  pg = await startPostgres();
  platform = {
    label: 'Test platform seal',
    chainPem: pki.signer.certPem + pki.root.certPem,
    key: { kind: 'pem' as const, keyPem: pki.signer.keyPem },
  };
}, 120_000);
afterAll(async () => {
  await tsa?.close();
  await pg?.stop();
});

type Sealed = { status: number; headers: Headers; bytes: Buffer };

describe.each(['pglite', 'postgres'] as const)('seal quota on %s', (kind) => {
  let db: Database;
  let server: TestServer;
  beforeAll(async () => {
    db = await openTestDatabase(kind, pg.url);
    const tsas = [
      ...tsaProviders([{ slug: 'tsa-a', name: 'TSA A', url: tsa.url }]),
      { ...tsaProviders([{ slug: 'skid-ecc', name: 'SK ID (test)', url: tsa.url }])[0]!, qualified: true, position: 2 },
    ];
    server = await startTestServer(db, { tsas, ctx: { sealing: { store: null, platform } } });
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  /** A new tenant whose usage this month is already `stamps` (and `qualified`). */
  async function tenantWith(stamps: number, qualified = 0) {
    const u = await newUser(server.url, { organisation: 'Quota' });
    await db.query('INSERT INTO usage (tenant_id, month, stamps, qualified) VALUES ($1, $2, $3, $4)', [
      u.tenantId,
      monthOf(server.ctx.now()),
      stamps,
      qualified,
    ]);
    return u;
  }
  const usage = (tenantId: string | null) =>
    db.query<{ stamps: number; qualified: number }>('SELECT stamps, qualified FROM usage WHERE tenant_id = $1', [
      tenantId,
    ]);
  const operations = async (tenantId: string | null) =>
    (
      await db.query<{ n: number }>('SELECT count(*)::int AS n FROM seal_operations WHERE tenant_id = $1', [tenantId])
    )[0]!.n;

  async function seal(
    token: string,
    file: { name: string; bytes: Uint8Array },
    o: { qualified?: boolean; idempotencyKey?: string } = {},
  ): Promise<Sealed> {
    const fd = new FormData();
    fd.append('file', new Blob([file.bytes]), file.name);
    fd.append('certificateId', platformId(platform));
    fd.append('qualified', String(o.qualified ?? false));
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (o.idempotencyKey) headers['idempotency-key'] = o.idempotencyKey;
    const res = await fetch(`${server.url}/seal/sign`, { method: 'POST', body: fd, headers });
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  }
  const text = (s: string) => ({ name: 'report.json', bytes: Buffer.from(s) });
  const json = (r: Sealed) => JSON.parse(r.bytes.toString('utf8'));

  it("one stamp left: the seal is time-stamped and takes it; the next is the seed's 402, nothing made", async () => {
    const u = await tenantWith(49);
    const first = await seal(u.token, text('{"n":1}'));
    expect(first.status).toBe(200);
    expect(first.headers.get('x-seal-timestamped-by')).toBe('TSA A');
    expect(await usage(u.tenantId)).toEqual([{ stamps: 50, qualified: 0 }]);
    expect(await operations(u.tenantId)).toBe(1);

    const asked = tsa.requestCount();
    for (const file of [text('{"n":2}'), { name: 'doc.pdf', bytes: minimalPdf() }]) {
      const refused = await seal(u.token, file);
      expect(refused.status).toBe(402);
      expect(json(refused)).toEqual({ message: LIMIT_MESSAGE });
      expect(refused.headers.get('x-seal-operation-id')).toBeNull();
    }
    expect(tsa.requestCount()).toBe(asked);
    expect(await operations(u.tenantId)).toBe(1);
    expect(await usage(u.tenantId)).toEqual([{ stamps: 50, qualified: 0 }]);
  });

  it('every TSA failed: the seal is made without a time-stamp and the stamp given back', async () => {
    const u = await tenantWith(49);
    tsa.setMode('http503');
    let down: Sealed;
    try {
      down = await seal(u.token, { name: 'doc.pdf', bytes: minimalPdf() });
    } finally {
      tsa.setMode('ok');
    }
    expect(down.status).toBe(200);
    expect(down.headers.get('x-seal-timestamped-by')).toBe('none');
    expect(down.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(await usage(u.tenantId)).toEqual([{ stamps: 49, qualified: 0 }]);
    const [failure] = await db.query('SELECT tsa_slug, error_class FROM tsa_failures WHERE tenant_id = $1', [
      u.tenantId,
    ]);
    expect(failure).toEqual({ tsa_slug: 'tsa-a', error_class: 'http_status' });

    // the stamp given back is still there to take
    const up = await seal(u.token, text('{"after":"recovery"}'));
    expect(up.status).toBe(200);
    expect(up.headers.get('x-seal-timestamped-by')).toBe('TSA A');
    expect(await usage(u.tenantId)).toEqual([{ stamps: 50, qualified: 0 }]);
    expect(await operations(u.tenantId)).toBe(2);
  });

  it('a seal that fails after the reservation gives the stamp back', async () => {
    const u = await tenantWith(49);
    const broken = await seal(u.token, { name: 'broken.pdf', bytes: Buffer.from('%PDF-1.7\nnot a pdf at all\n') });
    expect(broken.status).toBe(400);
    expect(await usage(u.tenantId)).toEqual([{ stamps: 49, qualified: 0 }]);
    expect(await operations(u.tenantId)).toBe(0);
  });

  it('no TSA enabled for the tenant: sealed without a time-stamp, nothing taken even at the limit', async () => {
    const u = await tenantWith(50);
    await db.query("UPDATE tenants SET enabled_tsa_slugs = ARRAY['gone'] WHERE id = $1", [u.tenantId]);
    const r = await seal(u.token, text('{"no":"tsa"}'));
    expect(r.status).toBe(200);
    expect(r.headers.get('x-seal-timestamped-by')).toBe('none');
    expect(await usage(u.tenantId)).toEqual([{ stamps: 50, qualified: 0 }]);
    expect(await operations(u.tenantId)).toBe(1);
  });

  it('a replayed Idempotency-Key returns the stored seal and takes nothing, even at the limit', async () => {
    const u = await tenantWith(49);
    const file = text('{"idempotent":true}');
    const first = await seal(u.token, file, { idempotencyKey: 'seal-once' });
    expect(first.status).toBe(200);
    expect(await usage(u.tenantId)).toEqual([{ stamps: 50, qualified: 0 }]);

    const asked = tsa.requestCount();
    const again = await seal(u.token, file, { idempotencyKey: 'seal-once' });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('x-seal-operation-id')).toBe(first.headers.get('x-seal-operation-id'));
    expect(again.bytes.equals(first.bytes)).toBe(true);
    expect(tsa.requestCount()).toBe(asked);
    expect(await usage(u.tenantId)).toEqual([{ stamps: 50, qualified: 0 }]);
    expect(await operations(u.tenantId)).toBe(1);
  });

  it('a node killed after the commit, before its response was stored: the retry answers from the operation', async () => {
    const u = await tenantWith(40);
    for (const file of [text('{"crash":1}'), { name: 'doc.pdf', bytes: minimalPdf() }]) {
      const idempotencyKey = `crash-${file.name}`;
      const first = await seal(u.token, file, { idempotencyKey });
      expect(first.status).toBe(200);
      // What a kill -9 between the operation's commit and the stored response leaves: the key pending, 11 minutes old.
      await db.query(
        `UPDATE idempotency SET state = 'pending', status_code = NULL, headers = NULL, body = NULL,
         created_at = now() - interval '11 minutes' WHERE key = $1`,
        [idempotencyKey],
      );
      const [asked, before, ops] = [tsa.requestCount(), await usage(u.tenantId), await operations(u.tenantId)];
      const retry = await seal(u.token, file, { idempotencyKey });
      expect(retry.status).toBe(200);
      expect(retry.headers.get('idempotent-replayed')).toBeNull(); // it ran again, and found its operation
      expect(retry.bytes.equals(first.bytes)).toBe(true);
      for (const h of ['x-seal-operation-id', 'x-seal-timestamped-by', 'x-seal-format', 'content-type'])
        expect(retry.headers.get(h)).toBe(first.headers.get(h));
      expect(tsa.requestCount()).toBe(asked);
      expect(await usage(u.tenantId)).toEqual(before);
      expect(await operations(u.tenantId)).toBe(ops);
    }
  });

  it('a qualified seal takes a qualified stamp, counted apart (5 a month)', async () => {
    const u = await tenantWith(0, 4);
    const q = await seal(u.token, text('{"q":1}'), { qualified: true });
    expect(q.status).toBe(200);
    expect(q.headers.get('x-seal-qualified')).toBe('true');
    expect(q.headers.get('x-seal-timestamped-by')).toBe('SK ID (test)');
    expect(await usage(u.tenantId)).toEqual([{ stamps: 0, qualified: 5 }]);

    const refused = await seal(u.token, text('{"q":2}'), { qualified: true });
    expect(refused.status).toBe(402);
    expect(json(refused)).toEqual({ message: QUALIFIED_MESSAGE });
    const ordinary = await seal(u.token, text('{"q":3}'));
    expect(ordinary.status).toBe(200);
    expect(await usage(u.tenantId)).toEqual([{ stamps: 1, qualified: 5 }]);
    expect(await operations(u.tenantId)).toBe(2);
  });

  it('three concurrent seals for the last stamp: one is time-stamped, two are 402', async () => {
    const u = await tenantWith(49);
    const results = await Promise.all([1, 2, 3].map((n) => seal(u.token, text(`{"race":${n}}`))));
    expect(results.map((r) => r.status).sort()).toEqual([200, 402, 402]);
    expect(results.find((r) => r.status === 200)!.headers.get('x-seal-timestamped-by')).toBe('TSA A');
    expect(await usage(u.tenantId)).toEqual([{ stamps: 50, qualified: 0 }]);
    expect(await operations(u.tenantId)).toBe(1);
  });

  it('POST /tsa/restamp takes from the same allowance: the last stamp, then 402', async () => {
    const u = await tenantWith(48);
    const hashHex = 'ab'.repeat(32);
    const made = await call(server.url, 'POST', '/tsa/stamp-hash', {
      token: u.token,
      body: { hashHex, tsaSlug: 'auto' },
    });
    expect(made.status).toBe(200);
    const [row] = await db.query<{ id: string }>('SELECT id FROM transactions WHERE tenant_id = $1', [u.tenantId]);
    const restamp = () =>
      call(server.url, 'POST', '/tsa/restamp', { token: u.token, body: { transactionId: row!.id, tsaSlug: 'auto' } });
    expect((await restamp()).status).toBe(200);
    expect(await usage(u.tenantId)).toEqual([{ stamps: 50, qualified: 0 }]);
    expect(await restamp()).toMatchObject({ status: 402, body: { message: LIMIT_MESSAGE } });
    expect(await usage(u.tenantId)).toEqual([{ stamps: 50, qualified: 0 }]);
  });
});
