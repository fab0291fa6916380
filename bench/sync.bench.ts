// `npm run bench -- sync` (issue 17 "Done when"): push 10,000 local records to sealdesk-server (its own process, on
// PGlite, loopback) and pull 10,000 remote ones into a fresh ledger; prints records/s each way (goal ≥ 1,000) and the
// client's resident memory, sampled every 20 ms and at each tenth of the work (goal: flat). The local records are
// real stamps in a real ledger (tokens minted in bulk by bench/sync-tokens.ts; the server checks every one on import),
// queued by the ledger's own outbox triggers. Asserts nothing.
import { spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { login } from '../core/app/account.js';
import { syncRun } from '../core/app/sync.js';
import { insertStamp, openLedger, setSyncAccount } from '../core/ledger/index.js';
import { openRemoteClient } from '../core/sync/http.js';
import { push } from '../core/sync/push.js';
import { closeConnections } from '../core/sync/transport.js';
import type { Account, AccountStore, SyncProgress } from '../core/sync/types.js';
import { createTestPki } from '../test/helpers/pki.js';
import { call, newUser } from '../test/helpers/server-client.js';
import { openTestDatabase, startTestServer } from '../test/helpers/server.js';
import { tokenMinter } from './sync-tokens.js';

const N = Number(process.env.BENCH_SYNC_RECORDS ?? 10_000);
const MB = (b: number) => (b / 1024 / 1024).toFixed(0);

/** `node sync.mjs server`: the server in a process of its own (its memory is not the client's); prints its URL. */
async function serve(): Promise<void> {
  const db = await openTestDatabase('pglite');
  const server = await startTestServer(db);
  process.stdout.write(`${server.url}\n`);
  process.stdin.resume().on('end', () => void server.close().then(() => db.close().then(() => process.exit(0))));
}

function startServer(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, [process.argv[1]!, 'server'], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      if (buf.includes('\n')) resolve({ url: buf.split('\n')[0]!, stop: () => child.stdin.end() });
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

async function bench(): Promise<void> {
  const work = mkdtempSync(join(process.env.BENCH_WORK ?? '/tmp', 'sync-'));
  const server = await startServer();
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
    const t1 = performance.now();
    const pushed = await push(local, client, { onProgress: pushRss.onProgress });
    const pushS = (performance.now() - t1) / 1000;
    console.log(
      `push  ${pushed.pushed} records in ${pushS.toFixed(1)} s = ${(pushed.pushed / pushS).toFixed(0)} records/s`,
    );
    console.log(`      (goal ≥ 1,000/s; one POST /api/transactions/import per record) ${pushRss.stop()}`);
    local.close();

    const fresh = openLedger(join(work, 'fresh', 'ledger.sqlite'));
    const pullRss = rssWatch();
    const t2 = performance.now();
    const pulled = await syncRun(fresh, client, { onProgress: pullRss.onProgress });
    const pullS = (performance.now() - t2) / 1000;
    console.log(
      `pull  ${pulled.pulled} records in ${pullS.toFixed(1)} s = ${(pulled.pulled / pullS).toFixed(0)} records/s`,
    );
    console.log(`      (goal ≥ 1,000/s; a fresh ledger's first sync) ${pullRss.stop()}`);
    fresh.close();
  } finally {
    await closeConnections();
    server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

const ms = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} s`;

if (process.argv[2] === 'server') await serve();
else await bench();
