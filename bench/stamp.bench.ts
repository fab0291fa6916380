// 500 stamps against a loopback OpenSSL TSA: Sealdesk vs the TSA's own capacity vs a shell loop of openssl + curl.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { addTsa, openLedger, setTsaEnabled, listTsas } from '../core/ledger/index.js';
import { main } from '../cli/main.js';
import { startTsaProcess } from './tsa-process.js';

const N = Number(process.env.BENCH_STAMPS ?? 500);
const SHELL_N = Math.min(N, 100);
const work = mkdtempSync(join(process.env.BENCH_WORK ?? '/tmp', 'stamp-'));
const tsa = await startTsaProcess(work);

try {
  const files = Array.from({ length: N }, (_, i) => {
    const p = join(work, 'files', `doc-${i}.txt`);
    mkdirSync(join(work, 'files'), { recursive: true });
    writeFileSync(p, `document ${i}\n`);
    return p;
  });

  // 1. Capacity: pre-built queries posted with 4 in flight, so the TSA is never idle.
  const queries = files.slice(0, N).map((f, i) => {
    const q = join(work, `q-${i}.tsq`);
    execFileSync('openssl', ['ts', '-query', '-data', f, '-sha512', '-cert', '-out', q], { stdio: 'ignore' });
    return readFileSync(q);
  });
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < queries.length) {
        const body = queries[next++]!;
        const res = await request(tsa.url, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/timestamp-query' },
        });
        await res.body.arrayBuffer();
      }
    }),
  );
  const capacity = N / ((performance.now() - t0) / 1000);

  // 2. The shell loop people write: openssl ts -query + curl, one file at a time.
  const query = 'openssl ts -query -data "$f" -sha512 -cert -out "$f.tsq" 2>/dev/null';
  const post = `curl -s -H 'Content-Type: application/timestamp-query' --data-binary @"$f.tsq" -o "$f.shell.tsr" ${tsa.url}`;
  const script = `for f in "$@"; do ${query} && ${post}; done`;
  const t1 = performance.now();
  await new Promise((resolve) =>
    spawn('bash', ['-c', script, 'loop', ...files.slice(0, SHELL_N)], { stdio: 'ignore' }).on('exit', resolve),
  );
  const shell = SHELL_N / ((performance.now() - t1) / 1000);

  // 3. `sealdesk stamp <500 files>`: hash, request, check every response, record in a real ledger, write each .tsr.
  const db = openLedger(join(work, 'home', 'ledger.sqlite'));
  for (const t of listTsas(db)) if (t.enabled) setTsaEnabled(db, t.slug, false);
  addTsa(db, { slug: 'local', url: tsa.url });
  db.close();
  let stdout = '';
  const io = {
    stdout: (t: string) => (stdout += t),
    stderr: () => undefined,
    env: { SEALDESK_HOME: join(work, 'home') },
    isTTY: false,
  };
  const t2 = performance.now();
  const code = await main(['stamp', ...files, '--json'], io);
  const ours = N / ((performance.now() - t2) / 1000);
  const stamped = (JSON.parse(stdout) as { tsrPath?: string }[]).filter((r) => r.tsrPath).length;
  if (code !== 0 || stamped !== N) throw new Error(`sealdesk stamp: exit ${code}, ${stamped}/${N} stamped`);

  console.log(`TSA capacity (4 in flight, raw HTTP)  ${capacity.toFixed(1)} stamps/s`);
  console.log(
    `shell loop openssl + curl (${SHELL_N})    ${shell.toFixed(1)} stamps/s  = ${(shell / capacity).toFixed(2)}× capacity`,
  );
  console.log(
    `sealdesk stamp <${N} files>          ${ours.toFixed(1)} stamps/s  = ${(ours / capacity).toFixed(2)}× capacity (goal ≥ 0.8)`,
  );
} finally {
  await tsa.stop();
  rmSync(work, { recursive: true, force: true });
}
