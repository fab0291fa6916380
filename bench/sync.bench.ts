// `npm run bench -- sync` (issue 17 "Done when"): push 10,000 local records to sealdesk-server (its own process, on
// PGlite, then on PostgreSQL when installed; BENCH_SYNC_DB=pglite|postgres for one) and pull 10,000 remote ones into a
// fresh ledger; prints records/s each way (goal ≥ 1,000), the CPU each side spent, and the client's resident memory,
// sampled every 20 ms and at each tenth of the work (goal: flat). The local records are real stamps in a real ledger
// (tokens minted in bulk by bench/sync-tokens.ts; the server checks every one on import), queued by the ledger's own
// outbox triggers. Asserts nothing.
import { spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { login } from '../core/app/account.js';
import { syncRun } from '../core/app/sync.js';
import { insertStamp, openLedger, setSyncAccount } from '../core/ledger/index.js';
import { openRemoteClient } from '../core/sync/http.js';
import { push } from '../core/sync/push.js';
import { closeConnections } from '../core/sync/transport.js';
import type { Account, AccountStore, SyncProgress } from '../core/sync/types.js';
import { createTestPki } from '../test/helpers/pki.js';
import { postgresBin, startPostgres } from '../test/helpers/postgres.js';
import { call, newUser } from '../test/helpers/server-client.js';
import { openTestDatabase, startTestServer } from '../test/helpers/server.js';
import { tokenMinter } from './sync-tokens.js';

const N = Number(process.env.BENCH_SYNC_RECORDS ?? 10_000);
const MB = (b: number) => (b / 1024 / 1024).toFixed(0);

/** `node sync.mjs server`: the server in a process of its own (its memory is not the client's); prints its URL. */
async function serve(pgUrl?: string): Promise<void> {
  const db = await openTestDatabase(pgUrl ? 'postgres' : 'pglite', pgUrl);
  const server = await startTestServer(db);
  process.stdout.write(`${server.url}\n`);
  process.stdin.resume().on('end', () => void server.close().then(() => db.close().then(() => process.exit(0))));
}

/** CPU seconds a process used so far (Linux /proc: utime + stime, in USER_HZ ticks). */
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Wall and CPU seconds of a phase, the CPU split between this client and the server's process. */
function clock(serverPid: number) {
  const t = performance.now();
  const c = process.cpuUsage();
  const s = cpuOf(serverPid);
  return (n: number) => {
    const wall = (performance.now() - t) / 1000;
    const client = (process.cpuUsage().user + process.cpuUsage().system - c.user - c.system) / 1e6;
    const server = cpuOf(serverPid) - s;
    return (
      `${n} records in ${wall.toFixed(1)} s = ${(n / wall).toFixed(0)} records/s; ` +
      `CPU ${client.toFixed(1)} s client + ` +
      `${server.toFixed(1)} s server = ${(n / (client + server)).toFixed(0)} records per CPU second`
    );
  };
}

function startServer(pgUrl?: string): Promise<{ url: string; pid: number; stop(): void }> {
  const args = [process.argv[1]!, 'server', ...(pgUrl ? [pgUrl] : [])];
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      if (buf.includes('\n')) resolve({ url: buf.split('\n')[0]!, pid: child.pid!, stop: () => child.stdin.end() });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

/** Peak RSS over a phase (sampled every 20 ms) and the RSS at each tenth of the work. */
function rssWatch() {
  let peak = process.memoryUsage().rss;
  const start = peak;
  const marks: string[] = [];
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  let nextMark = N / 10;
  return {
    onProgress: (p: SyncProgress) => {
      if (p.done < nextMark) return;
      nextMark += N / 10;
      marks.push(MB(process.memoryUsage().rss));
    },
    stop: () => {
      clearInterval(timer);
      return `RSS ${MB(start)} MB at start, peak ${MB(peak)} MB; by tenths: ${marks.join(' ')} MB`;
    },
  };
}

async function bench(kind: 'pglite' | 'postgres'): Promise<void> {
  const work = mkdtempSync(join(process.env.BENCH_WORK ?? '/tmp', 'sync-'));
  const pg = kind === 'postgres' ? await startPostgres() : null;
  const server = await startServer(pg?.url);
  console.log(`-- server on ${kind} (its own process${pg ? '; PostgreSQL’s CPU not counted' : ''})`);
  try {
    const user = await newUser(server.url, { organisation: 'Sync bench' });
    const key = await call(server.url, 'POST', '/api/keys', { token: user.token, body: { label: 'bench' } });
    let kept: Account | null = null;
    const store: AccountStore = {
      read: async () => kept,
      write: async (a) => void (kept = a),
      clear: async () => void (kept = null),
    };
    const account = await login(store, { serverUrl: server.url, apiKey: key.body.key as string });
    const client = openRemoteClient(account);

    // N local stamps, queued for push by the outbox triggers (the account is set) in the records' own transaction.
    const pki = await createTestPki(join(work, 'pki'));
    const mint = tokenMinter(pki.tsaEc);
    const local = openLedger(join(work, 'local', 'ledger.sqlite'));
    setSyncAccount(local, server.url);
    const t0 = performance.now();
    local.transaction(() => {
      for (let i = 0; i < N; i++) {
        const imprint = createHash('sha512').update(randomBytes(32)).digest();
        const tsr = mint(imprint, i, new Date());
        insertStamp(local, {
          id: randomUUID(),
          fileSha512: imprint.toString('hex'),
          imprintAlgorithm: 'sha512',
          imprint,
          label: `bench ${i}`,
          filePath: null,
          tsrPath: null,
          requestedTsa: 'auto',
          createdAt: new Date().toISOString(),
          token: {
            tsaSlug: 'bench',
            tsaName: 'Sealdesk Test TSA EC',
            genTime: new Date().toISOString(),
            serialHex: i.toString(16),
            policyOid: '1.3.6.1.4.1.99999.1.1',
            tsaCertNotAfter: '2040-01-01T00:00:00.000Z',
            tsr,
            tsrSha256: createHash('sha256').update(tsr).digest('hex'),
            qualified: false,
          },
        });
      }
    })();
    const queued = local.prepare("SELECT count(*) AS n FROM sync_outbox WHERE state = 'pending'").get() as {
      n: number;
    };
    console.log(`${N} local stamps made and queued (${queued.n} outbox rows) in ${ms(t0)}`);

    const pushRss = rssWatch();
    const t1 = clock(server.pid);
    const pushed = await push(local, client, { onProgress: pushRss.onProgress });
    console.log(`push  ${t1(pushed.pushed)}`);
    console.log(`      (goal ≥ 1,000/s; POST /api/transactions/import/batch, ≤ 500 a request) ${pushRss.stop()}`);
    local.close();

    const fresh = openLedger(join(work, 'fresh', 'ledger.sqlite'));
    const pullRss = rssWatch();
    const t2 = clock(server.pid);
    const pulled = await syncRun(fresh, client, { onProgress: pullRss.onProgress });
    console.log(`pull  ${t2(pulled.pulled)}`);
    console.log(`      (goal ≥ 1,000/s; a fresh ledger's first sync) ${pullRss.stop()}`);
    fresh.close();
  } finally {
    await closeConnections();
    server.stop();
    await pg?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

const ms = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} s`;

const only = process.env.BENCH_SYNC_DB;
if (process.argv[2] === 'server') await serve(process.argv[3]);
else
  for (const kind of ['pglite', 'postgres'] as const)
    if ((!only || only === kind) && (kind === 'pglite' || postgresBin())) await bench(kind);
