// Two sealdesk-server processes (the built server, as deployed) on one PostgreSQL with three loopback OpenSSL TSAs:
// 300 concurrent stamps of one tenant rotate exactly (each TSA first choice 100 times), a small quota is never exceeded
// by a race, an Idempotency-Key sent to both nodes at once is applied once, and a node killed with SIGKILL mid-run
// loses no acknowledged stamp and stores none twice.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki } from '../helpers/pki.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { call, newUser } from '../helpers/server-client.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';
import { tempDir } from '../helpers/tmp.js';

type Node = { readonly url: string; readonly child: ChildProcess };

const randomHash = () => createHash('sha256').update(randomBytes(16)).digest('hex');

let pgServer: TestPostgres;
let db: pg.Client;
let tsas: LoopbackTsa[];
let build: string;
let work: { path: string; remove(): void };
const nodes: Node[] = [];

/** Starts the built server on a free port and resolves once it listens (pino's "Server listening at …" line). */
function startNode(env: NodeJS.ProcessEnv, args: string[]): Promise<Node> {
  const child = spawn(process.execPath, [join(build, 'sealdesk-server.js'), ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ url: m[1]!, child });
      if (out.length > 100_000) out = out.slice(-10_000);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });
}

beforeAll(async () => {
  work = tempDir('concurrency');
  mkdirSync(join(process.cwd(), 'test-results'), { recursive: true });
  build = mkdtempSync(join(process.cwd(), 'test-results', 'server-build-'));
  execFileSync(process.execPath, ['scripts/build-server.mjs', '--out', build], { stdio: 'inherit' });
  const pki = await createTestPki(join(work.path, 'pki'));
  tsas = await Promise.all([0, 1, 2].map(() => startTsa({ pki })));
  const tsasFile = join(work.path, 'tsas.json');
  const list = tsas.map((t, i) => ({
    slug: `tsa-${i}`,
    name: `TSA ${i}`,
    url: t.url,
    preferredHashOid: '2.16.840.1.101.3.4.2.1',
    qualified: false,
  }));
  writeFileSync(tsasFile, JSON.stringify(list));
  pgServer = await startPostgres();
  // No attempt gives up while 100 requests queue at one loopback OpenSSL TSA (one reply at a time) on a busy machine.
  const env = { ...process.env, DATABASE_URL: pgServer.url, LOG_LEVEL: 'info', SEALDESK_TSA_TIMEOUT_MS: '600000' };
  for (const n of [0, 1])
    nodes.push(await startNode(env, ['--port', '0', '--tsas', tsasFile, '--data', join(work.path, `node${n}`)]));
  db = new pg.Client({ connectionString: pgServer.url });
  await db.connect();
}, 240_000);

afterAll(async () => {
  for (const n of nodes) n.child.kill('SIGKILL');
  await db?.end();
  await Promise.all((tsas ?? []).map((t) => t.close()));
  await pgServer?.stop();
  work?.remove();
  if (build) rmSync(build, { recursive: true, force: true });
});

/** Stamps `hashes` all at once, request i to node i % 2. */
const stampAll = (token: string, bodies: object[], headers?: (i: number) => Record<string, string>) =>
  Promise.all(
    bodies.map((body, i) => call(nodes[i % 2]!.url, 'POST', '/tsa/stamp-hash', { token, body, headers: headers?.(i) })),
  );

describe('two server processes on one PostgreSQL', () => {
  it('300 concurrent stamps: every TSA is first choice exactly 100 times, the cursor ends at 300', async () => {
    const u = await newUser(nodes[0]!.url, { organisation: 'Busy' });
    await db.query("UPDATE tenants SET plan = 'enterprise' WHERE id = $1", [u.tenantId]);
    const results = await stampAll(
      u.token,
      Array.from({ length: 300 }, () => ({ hashHex: randomHash() })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(300).fill(200));
    // no TSA failed, so the TSA that served each stamp is the one its cursor value chose first
    expect(
      (await db.query('SELECT count(*)::int AS n FROM tsa_failures WHERE tenant_id = $1', [u.tenantId])).rows,
    ).toEqual([{ n: 0 }]);
    const bySlug = await db.query(
      'SELECT tsa_slug, count(*)::int AS n FROM transactions WHERE tenant_id = $1 GROUP BY tsa_slug ORDER BY tsa_slug',
      [u.tenantId],
    );
    expect(bySlug.rows).toEqual([
      { tsa_slug: 'tsa-0', n: 100 },
      { tsa_slug: 'tsa-1', n: 100 },
      { tsa_slug: 'tsa-2', n: 100 },
    ]);
    const t = await db.query('SELECT tsa_cursor::int AS c FROM tenants WHERE id = $1', [u.tenantId]);
    expect(t.rows).toEqual([{ c: 300 }]);
    expect((await db.query('SELECT stamps FROM usage WHERE tenant_id = $1', [u.tenantId])).rows).toEqual([
      { stamps: 300 },
    ]);
  }, 600_000);

  it('a quota of 50 with 120 concurrent stamps on both nodes: exactly 50 made, 70 refused with 402', async () => {
    const u = await newUser(nodes[1]!.url, { organisation: 'Free plan' });
    const results = await stampAll(
      u.token,
      Array.from({ length: 120 }, () => ({ hashHex: randomHash() })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(50);
    expect(statuses.filter((s) => s === 402)).toHaveLength(70);
    expect(results.find((r) => r.status === 402)!.body).toEqual({
      message: 'Monthly stamp limit of 50 reached. Upgrade your plan to continue.',
    });
    expect(
      (await db.query('SELECT count(*)::int AS n FROM transactions WHERE tenant_id = $1', [u.tenantId])).rows,
    ).toEqual([{ n: 50 }]);
    expect((await db.query('SELECT stamps FROM usage WHERE tenant_id = $1', [u.tenantId])).rows).toEqual([
      { stamps: 50 },
    ]);
  }, 600_000);

  it('one Idempotency-Key sent to both nodes at once is applied once (replay or 409, never twice)', async () => {
    const u = await newUser(nodes[0]!.url, { organisation: 'Retries' });
    await db.query("UPDATE tenants SET plan = 'enterprise' WHERE id = $1", [u.tenantId]);
    const bodies = Array.from({ length: 40 }, () => ({ hashHex: randomHash(), force: true }));
    const twice = bodies.flatMap((b) => [b, b]); // pair i: requests 2i (node 0) and 2i+1 (node 1)
    const results = await stampAll(u.token, twice, (i) => ({ 'idempotency-key': `key-${Math.floor(i / 2)}` }));
    for (let k = 0; k < 40; k++) {
      const [a, b] = [results[2 * k]!, results[2 * k + 1]!];
      expect([a.status, b.status].sort()).toEqual(a.status === b.status ? [200, 200] : [200, 409]);
      if (a.status === 200 && b.status === 200) expect(a.body).toEqual(b.body);
    }
    const rows = await db.query(
      'SELECT hash_hex, count(*)::int AS n FROM transactions WHERE tenant_id = $1 GROUP BY hash_hex',
      [u.tenantId],
    );
    expect(rows.rows).toHaveLength(40);
    expect(rows.rows.every((r: { n: number }) => r.n === 1)).toBe(true);
  }, 600_000);

  it('kill -9 of one node mid-run: every acknowledged stamp is stored, none twice', async () => {
    const u = await newUser(nodes[0]!.url, { organisation: 'Crash' });
    await db.query("UPDATE tenants SET plan = 'enterprise' WHERE id = $1", [u.tenantId]);
    const victim = nodes[1]!;
    let ackedByVictim = 0;
    const hashes = Array.from({ length: 200 }, () => randomHash());
    const results = await Promise.all(
      hashes.map(async (hashHex, i) => {
        const node = nodes[i % 2]!;
        const r = await call(node.url, 'POST', '/tsa/stamp-hash', { token: u.token, body: { hashHex } }).catch(
          () => null,
        );
        if (r?.status === 200 && node === victim && ++ackedByVictim === 20) victim.child.kill('SIGKILL');
        return r;
      }),
    );
    expect(victim.child.signalCode ?? (await new Promise((r) => victim.child.once('exit', (_c, s) => r(s))))).toBe(
      'SIGKILL',
    );
    const acked = hashes.filter((_, i) => results[i]?.status === 200);
    const lost = results.filter((r) => r === null).length;
    expect(lost).toBeGreaterThan(0); // the kill did cut requests short
    const stored = await db.query(
      'SELECT hash_hex, count(*)::int AS n FROM transactions WHERE tenant_id = $1 GROUP BY hash_hex',
      [u.tenantId],
    );
    const count = new Map(stored.rows.map((r: { hash_hex: string; n: number }) => [r.hash_hex, r.n]));
    expect(acked.filter((h) => count.get(h) !== 1)).toEqual([]);
    expect([...count.values()].every((n) => n === 1)).toBe(true);
    // node 0 answered every one of its requests
    expect(results.filter((r, i) => i % 2 === 0 && r?.status === 200)).toHaveLength(100);
  }, 600_000);
});
