// sealdesk-server under loopback load (issue 16 "Benchmarks"); prints figures and ratios, asserts nothing.
// 1. POST /tsa/stamp-hash throughput against the loopback OpenSSL TSA's own capacity measured in this run
//    (goal ≥ 0.8×), with one server node and with two (separate processes on one PostgreSQL).
// 2. GET /api/lookup/{sha512} p50/p99 latency with 1,000,000 records in PostgreSQL (bulk-inserted: generate_series,
//    then vacuumed and checkpointed as a table in service is).
// 3. PGlite (embedded) startup time and write rate of stamp records.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { buildTimeStampRequest } from '../core/tsp/request.js';
import { inspectTimeStamp } from '../core/tsp/token-report.js';
import { openDatabase } from '../server/db/open.js';
import { insertRecord } from '../server/stamping/record.js';
import { startPostgres } from '../test/helpers/postgres.js';
import { call, newUser } from '../test/helpers/server-client.js';
import { openTestDatabase, startTestServer, tsaProviders } from '../test/helpers/server.js';
import { startTsaProcess } from './tsa-process.js';

const N = Number(process.env.BENCH_STAMPS ?? 400);
const IN_FLIGHT = 8;
const LOOKUP_ROWS = Number(process.env.BENCH_LOOKUP_ROWS ?? 1_000_000);
const LOOKUPS = 2_000;
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** `node server.mjs node <pgUrl> <tsaUrl>`: one server node in its own process; prints its URL. */
async function serveNode(pgUrl: string, tsaUrl: string): Promise<void> {
  const db = await openTestDatabase('postgres', pgUrl);
  const server = await startTestServer(db, { tsas: tsaProviders([{ slug: 'local', url: tsaUrl }]) });
  process.stdout.write(`${server.url}\n`);
  process.stdin.resume().on(
    'end',
    () =>
      void server
        .close()
        .then(() => db.close())
        .then(() => process.exit(0)),
  );
}

function startNode(pgUrl: string, tsaUrl: string): Promise<{ url: string; child: ChildProcess }> {
  // BENCH_SERVER_CPU_PROF=<dir>: each node writes a V8 CPU profile there when it stops (where a stamp's time goes).
  const prof = process.env.BENCH_SERVER_CPU_PROF;
  const flags = prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [];
  const child = spawn(process.execPath, [...flags, process.argv[1]!, 'node', pgUrl, tsaUrl], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', (c: Buffer) => resolve({ url: c.toString().trim(), child }));
    child.once('exit', (code) => reject(new Error(`server node exited with ${code}`)));
  });
}
const stopNode = (n: { child: ChildProcess }) =>
  new Promise<void>((r) => {
    n.child.once('exit', () => r());
    n.child.stdin!.end();
  });

/** `count` calls of `one(i)` with IN_FLIGHT in flight; calls per second. */
async function rate(count: number, one: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < count) await one(next++);
    }),
  );
  return count / ((performance.now() - t0) / 1000);
}

async function tsaCapacity(url: string): Promise<number> {
  const queries = Array.from(
    { length: N },
    () => buildTimeStampRequest({ hashAlgorithm: 'sha256', imprint: randomBytes(32), nonce: randomBytes(8) }).der,
  );
  return rate(N, async (i) => {
    const res = await request(url, {
      method: 'POST',
      body: queries[i],
      headers: { 'content-type': 'application/timestamp-query' },
    });
    await res.body.arrayBuffer();
  });
}

async function stampRate(urls: readonly string[], token: string, count = N): Promise<number> {
  return rate(count, async (i) => {
    const r = await call(urls[i % urls.length]!, 'POST', '/tsa/stamp-hash', {
      token,
      body: { hashHex: sha256(randomBytes(16)), tsaSlug: 'auto' },
    });
    if (r.status !== 200) throw new Error(`stamp-hash: ${r.status} ${JSON.stringify(r.body)}`);
  });
}

/** GET each URL in turn; p50 and p99 of the round trips. A request that `ok` refuses stops the benchmark. */
async function latency(
  urls: readonly string[],
  ok: (status: number, body: { found?: boolean }) => boolean = (status) => status === 200,
): Promise<{ p50: number; p99: number }> {
  const ms: number[] = [];
  for (const u of urls) {
    const t0 = performance.now();
    const res = await request(u);
    const body = (await res.body.json()) as { found?: boolean };
    ms.push(performance.now() - t0);
    if (!ok(res.statusCode, body)) throw new Error(`GET ${u}: ${res.statusCode} ${JSON.stringify(body)}`);
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(ms.length * 0.5)]!, p99: ms[Math.floor(ms.length * 0.99)]! };
}

const lookupLatency = (url: string, hashes: readonly string[]) =>
  latency(
    hashes.map((h) => `${url}/api/lookup/${h}`),
    (status, body) => status === 200 && body.found === true,
  );

const staticLatency = (url: string, count: number) =>
  latency(Array.from({ length: count }, () => `${url}/api/capabilities`));

async function seedRecords(pgUrl: string, tenantId: string, tsr: Uint8Array): Promise<void> {
  const db = await openTestDatabase('postgres', pgUrl);
  const step = 100_000;
  for (let from = 1; from <= LOOKUP_ROWS; from += step) {
    await db.query(
      `INSERT INTO transactions (tenant_id, hash_hex, hash_algorithm_oid, tsa_slug, tsa_name, serial, gen_time, tsr,
         token_sha256,
         cert_not_after)
       SELECT $1, encode(sha512(convert_to(i::text, 'UTF8')), 'hex'), '2.16.840.1.101.3.4.2.3',
         'local', 'Local', to_hex(i),
         now() - i * interval '1 second', $2, encode(sha256(convert_to('t' || i, 'UTF8')), 'hex'),
         now() + interval '10 years'
       FROM generate_series($3::int, $4::int) AS i`,
      [tenantId, tsr, from, Math.min(from + step - 1, LOOKUP_ROWS)],
    );
  }
  // A table in service has been vacuumed and checkpointed since its rows came; a fresh bulk insert has not, and the
  // autovacuum and checkpointer would then run during the measurement, on the same two cores.
  await db.query('VACUUM (ANALYZE) transactions');
  await db.query('CHECKPOINT');
  await db.close();
}

async function pgliteFigures(
  work: string,
  tokens: readonly Uint8Array[],
): Promise<{ startMs: number; perSecond: number }> {
  const t0 = performance.now();
  const db = await openDatabase({ dataDir: join(work, 'pglite-data') });
  const startMs = performance.now() - t0;
  try {
    const [t] = await db.query<{ id: string }>("INSERT INTO tenants (name) VALUES ('bench') RETURNING id");
    const reports = await Promise.all(tokens.map((tsr) => inspectTimeStamp(tsr)));
    const t1 = performance.now();
    for (const [i, tsr] of tokens.entries()) {
      await insertRecord(db, {
        tenantId: t!.id,
        userId: null,
        hashHex: sha256(tsr),
        label: null,
        tsaSlug: 'local',
        qualified: false,
        parentId: null,
        origin: 'stamp',
        tsr,
        report: reports[i]!,
      });
    }
    return { startMs, perSecond: tokens.length / ((performance.now() - t1) / 1000) };
  } finally {
    await db.close();
  }
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(process.env.BENCH_WORK ?? '/tmp', 'server-'));
  const tsa = await startTsaProcess(work);
  const pg = await startPostgres();
  const nodes: { url: string; child: ChildProcess }[] = [];
  try {
    nodes.push(await startNode(pg.url, tsa.url), await startNode(pg.url, tsa.url));
    const u = await newUser(nodes[0]!.url, { organisation: 'Bench' });
    const admin = await openTestDatabase('postgres', pg.url);
    await admin.query("UPDATE tenants SET plan = 'enterprise' WHERE id = $1", [u.tenantId]);
    await stampRate(
      nodes.map((n) => n.url),
      u.token,
      50,
    ); // warm-up (JIT, pools, sockets)
    // the TSA's capacity before and after the server runs: the higher one is the reference (a busy machine varies)
    const before = await tsaCapacity(tsa.url);
    const one = await stampRate([nodes[0]!.url], u.token);
    const two = await stampRate(
      nodes.map((n) => n.url),
      u.token,
    );
    const capacity = Math.max(before, await tsaCapacity(tsa.url));
    const tokens = (await admin.query<{ tsr: Uint8Array }>('SELECT tsr FROM transactions LIMIT $1', [N])).map(
      (r) => r.tsr,
    );
    await admin.close();
    console.log(`TSA capacity (${IN_FLIGHT} in flight, raw HTTP)   ${capacity.toFixed(1)} stamps/s`);
    const x = (n: number) => `${(n / capacity).toFixed(2)}× capacity`;
    console.log(`POST /tsa/stamp-hash, one node          ${one.toFixed(1)} stamps/s = ${x(one)} (goal ≥ 0.8)`);
    console.log(
      `POST /tsa/stamp-hash, two nodes         ${two.toFixed(1)} stamps/s = ${x(two)},`,
      `${(two / one).toFixed(2)}× one node`,
    );

    const t0 = performance.now();
    await seedRecords(pg.url, u.tenantId!, tokens[0]!);
    console.log(
      `seeded ${LOOKUP_ROWS} records with generate_series in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const picks = Array.from({ length: LOOKUPS }, () => 1 + Math.floor(Math.random() * LOOKUP_ROWS));
    const hashes = picks.map((i) => createHash('sha512').update(String(i)).digest('hex'));
    await lookupLatency(nodes[0]!.url, hashes.slice(0, 200)); // warm-up
    const l = await lookupLatency(nodes[0]!.url, hashes);
    const latency = `p50 ${l.p50.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms (goal p99 < 5 ms)`;
    console.log(`GET /api/lookup/{sha512}, ${LOOKUP_ROWS} records: ${latency}`);
    // The same loop on a route that touches no database: what the machine (HTTP on loopback, the scheduler) adds.
    const floor = await staticLatency(nodes[0]!.url, hashes.length);
    console.log(
      `GET /api/capabilities (static, no database), same loop: p50 ${floor.p50.toFixed(2)} ms, p99 ${floor.p99.toFixed(2)} ms`,
    );

    const p = await pgliteFigures(work, tokens);
    const pglite = `startup with migrations ${p.startMs.toFixed(0)} ms, ${p.perSecond.toFixed(0)} stamp records/s`;
    console.log(`PGlite (embedded, on disk): ${pglite} written`);
  } finally {
    await Promise.all(nodes.map(stopNode));
    await pg.stop();
    await tsa.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'node') await serveNode(process.argv[3]!, process.argv[4]!);
else await main();
