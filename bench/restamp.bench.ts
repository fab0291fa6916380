// Bulk restamp at scale: two loopback OpenSSL TSAs, each in its own process. Their combined capacity driven directly,
// then `sealdesk restamp --expiring-within` (the built CLI, in its own process) over N real chains: throughput against
// that capacity (goal ≥ 0.8×) and the CLI's peak RSS (/usr/bin/time -v), at N = 1,000 and N = 10,000 (BENCH_CHAINS).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Agent, request } from 'undici';
import { addTsa, getStamp, listTsas, openLedger, setTsaEnabled } from '../core/ledger/index.js';
import { buildTimeStampRequest } from '../core/tsp/request.js';
import { main } from '../cli/main.js';
import { insertChainCopies } from '../test/helpers/chain-fixtures.js';
import { expiringTsaCert, withTsa } from '../test/helpers/expiring-tsa.js';
import { createTestPki } from '../test/helpers/pki.js';
import { startTsa } from '../test/helpers/tsa-server.js';
import { startTsaProcess } from './tsa-process.js';

const SIZES = [...new Set([1_000, Number(process.env.BENCH_CHAINS ?? 10_000)])];
/** Requests in flight per TSA, the same for the capacity measurement and for the CLI (`--per-tsa`). */
const PER_TSA = Number(process.env.BENCH_PER_TSA ?? 4);
const CAPACITY_QUERIES = Number(process.env.BENCH_CAPACITY_QUERIES ?? 400); // per TSA
// The seed chains start at a TSA whose certificate expires in 30 days (not measured); the bench TSAs' run to 2040, so
// each new link extends its chain (a restamp that would not is refused: no_tsa_extends_protection).
const WINDOW = '60d';
const work = mkdtempSync(join(process.env.BENCH_WORK ?? '/tmp', 'restamp-'));
const tsas = await Promise.all(['a', 'b'].map((n) => startTsaProcess(join(work, `tsa-${n}`))));

try {
  const cli = await buildCli(join(work, 'cli'));
  for (const n of SIZES) {
    const home = join(work, `home-${n}`);
    await buildLedger(home, n);
    // Right before and right after each run, so both see the same machine (the TSAs share its cores with the CLI, and
    // with whatever else runs): the ratio is against the mean of the two.
    const before = await combinedCapacity(tsas.map((t) => t.url));
    const args = [
      'restamp',
      '--expiring-within',
      WINDOW,
      '--per-tsa',
      String(PER_TSA),
      ...(process.env.BENCH_CONCURRENCY ? ['--concurrency', process.env.BENCH_CONCURRENCY] : []),
    ];
    const tsaCpu0 = tsas.reduce((n, t) => n + t.cpuSeconds(), 0);
    const run = await timedRun(cli, args, home);
    const tsaCpu = tsas.reduce((n, t) => n + t.cpuSeconds(), 0) - tsaCpu0;
    const restamped = countRestamped(home);
    if (run.code !== 0 || restamped < n)
      throw new Error(`sealdesk ${args.join(' ')}: exit ${run.code}, ${restamped}/${n} chains restamped\n${run.tail}`);
    const after = await combinedCapacity(tsas.map((t) => t.url));
    const capacity = (before + after) / 2;
    console.log(
      `two TSAs, driven directly (${PER_TSA} in flight each, ${CAPACITY_QUERIES} each)   ` +
        `${before.toFixed(1)} replies/s before the run, ${after.toFixed(1)} after`,
    );
    const rate = restamped / run.seconds;
    console.log(
      `sealdesk ${args.join(' ')}  ${String(restamped).padStart(6)} chains  ${run.seconds.toFixed(1)} s  ` +
        `${rate.toFixed(1)} chains/s  = ${(rate / capacity).toFixed(2)}× capacity (goal ≥ 0.8)  ` +
        `peak RSS ${(run.maxRssKb / 1024).toFixed(0)} MB  ` +
        `CPU per chain: CLI ${((run.cpuSeconds * 1000) / restamped).toFixed(2)} ms ` +
        `(${((run.sysSeconds * 1000) / restamped).toFixed(2)} in the kernel), ` +
        `TSAs ${((tsaCpu * 1000) / restamped).toFixed(2)} ms`,
    );
  }
} finally {
  await Promise.all(tsas.map((t) => t.stop()));
  rmSync(work, { recursive: true, force: true });
}

/** The CLI as scripts/build.mjs builds it, into the bench's own folder (a concurrent `npm run build` cannot pull it away). */
async function buildCli(dir: string): Promise<string> {
  await build({
    bundle: true,
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    entryPoints: { sealdesk: 'cli/sealdesk.ts', 'verify-worker': 'cli/verify-worker.ts' },
    outdir: dir,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    packages: 'external',
  });
  return join(dir, 'sealdesk.js');
}

/** Both TSAs at once, each kept busy with PER_TSA requests in flight: how many replies per second they give together. */
async function combinedCapacity(urls: readonly string[]): Promise<number> {
  const queries = urls.map(() =>
    Array.from(
      { length: CAPACITY_QUERIES },
      () => buildTimeStampRequest({ hashAlgorithm: 'sha512', imprint: randomBytes(64), nonce: randomBytes(8) }).der,
    ),
  );
  const agent = new Agent(); // fresh connections: a kept-alive one the TSA closed meanwhile would fail a POST
  const t0 = performance.now();
  await Promise.all(
    urls.flatMap((url, u) => {
      let next = 0;
      return Array.from({ length: PER_TSA }, async () => {
        while (next < CAPACITY_QUERIES) {
          const res = await request(url, {
            dispatcher: agent,
            method: 'POST',
            body: queries[u]![next++]!,
            headers: { 'content-type': 'application/timestamp-query' },
          });
          await res.body.arrayBuffer();
          if (res.statusCode !== 200) throw new Error(`TSA ${url} answered ${res.statusCode}`);
        }
      });
    }),
  );
  const rate = (urls.length * CAPACITY_QUERIES) / ((performance.now() - t0) / 1000);
  await agent.close();
  return rate;
}

/** A ledger with the two TSAs and `n` chains due: seed stamps made by each TSA, copied with their own ids and bytes. */
async function buildLedger(home: string, n: number): Promise<void> {
  const files = join(home, 'files');
  mkdirSync(files, { recursive: true });
  const db = openLedger(join(home, 'ledger.sqlite'));
  for (const t of listTsas(db)) if (t.enabled) setTsaEnabled(db, t.slug, false);
  tsas.forEach((t, i) => addTsa(db, { slug: `tsa-${i}`, name: `Bench TSA ${i}`, url: t.url }));
  const pki = await createTestPki(join(home, 'seed-pki'));
  const seedTsa = await startTsa({ pki: withTsa(pki, await expiringTsaCert(pki, { days: 30 })) });
  addTsa(db, { slug: 'seed', name: 'Seed TSA (expires in 30 days)', url: seedTsa.url });
  setTsaEnabled(db, 'seed', false); // only `stamp --tsa seed` below: not in the run's round-robin
  db.close();
  const seeds: string[] = [];
  try {
    for (let i = 0; i < 8; i++) {
      const f = join(files, `seed-${i}.txt`);
      writeFileSync(f, `seed ${i} ${Math.random()}\n`);
      let out = '';
      const code = await main(['stamp', f, '--tsa', 'seed', '--json'], {
        stdout: (t) => (out += t),
        stderr: () => undefined,
        env: { SEALDESK_HOME: home },
        isTTY: false,
      });
      if (code !== 0) throw new Error(`seed stamp failed: ${out}`);
      seeds.push((JSON.parse(out) as { id: string }).id);
    }
  } finally {
    await seedTsa.close();
  }
  const ledger = openLedger(join(home, 'ledger.sqlite'));
  try {
    // The seeds are due too: restamping them gives each its link; the copies are the N chains.
    insertChainCopies(
      ledger,
      seeds.map((id) => getStamp(ledger, id)!),
      n - seeds.length,
      { prefix: 'bench', dir: files },
    );
  } finally {
    ledger.close();
  }
}

type Run = {
  code: number | null;
  seconds: number;
  maxRssKb: number;
  cpuSeconds: number;
  sysSeconds: number;
  tail: string;
};

/** The CLI in its own process under /usr/bin/time -v: wall time and the process's peak RSS. */
function timedRun(cli: string, args: readonly string[], home: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(
      '/usr/bin/time',
      ['-v', process.execPath, ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), cli, ...args],
      { env: { ...process.env, SEALDESK_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let tail = '';
    const keep = (c: Buffer) => (tail = (tail + c.toString()).slice(-4000));
    child.stdout.on('data', keep);
    if (process.env.BENCH_CLI_LOG) child.stdout.pipe(createWriteStream(process.env.BENCH_CLI_LOG, { flags: 'a' })); // e.g. with BENCH_NODE_ARGS=--trace-gc
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => {
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(tail);
      const status = /Exit status: (\d+)/.exec(tail);
      const cpu = ['User', 'System'].map((k) =>
        Number(new RegExp(`${k} time \\(seconds\\): ([\\d.]+)`).exec(tail)?.[1] ?? NaN),
      );
      resolve({
        code: status ? Number(status[1]) : code,
        seconds: (performance.now() - t0) / 1000,
        maxRssKb: rss ? Number(rss[1]) : NaN,
        cpuSeconds: cpu[0]! + cpu[1]!,
        sysSeconds: cpu[1]!,
        tail,
      });
    });
  });
}

function countRestamped(home: string): number {
  const db = openLedger(join(home, 'ledger.sqlite'));
  try {
    return (
      db.prepare('SELECT count(DISTINCT parent_id) AS n FROM stamps WHERE parent_id IS NOT NULL').get() as { n: number }
    ).n;
  } finally {
    db.close();
  }
}
