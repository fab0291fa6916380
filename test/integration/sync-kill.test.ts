// Kill -9 of `sealdesk sync` (issue 17, "Faults, proven"): the CLI as shipped, syncing a ledger with many outbox rows
// through a loopback proxy that counts its requests, is killed with SIGKILL as the 1st request, a middle one and the
// last one start to arrive; the next `sealdesk sync` finishes (exit 0), and the server and the ledger are then what an
// uncut run leaves: every record once on the server, every outbox row sent with its record's server id.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../../core/app/account.js';
import { openLedger } from '../../core/ledger/index.js';
import { ACCOUNT_FILE, fileAccountStore } from '../../core/sync/account-file.js';
import { startCutProxy, type CutProxy } from '../helpers/cut-proxy.js';
import {
  ledgerState,
  resetServer,
  serverState,
  stampedHome,
  startSyncWorld,
  type SyncWorld,
} from '../helpers/sync-world.js';
import { tempDir } from '../helpers/tmp.js';

const ROWS = 12;
const work = tempDir('sync-kill');
// Our own build of the CLI (inside node_modules so it finds its packages), so no other build can swap it mid-test.
const outdir = resolve('node_modules/.cache/sealdesk-sync-kill');
const bin = join(outdir, 'sealdesk.js');
const template = join(work.path, 'template');
let world: SyncWorld;
let proxy: CutProxy;

beforeAll(async () => {
  mkdirSync(outdir, { recursive: true });
  execFileSync(process.execPath, ['scripts/build.mjs', '--cli-only', '--cli-out', outdir], { stdio: 'pipe' });
  world = await startSyncWorld();
  proxy = await startCutProxy(world.server.url);
  await login(fileAccountStore(template), { serverUrl: proxy.url, apiKey: world.apiKey });
  await stampedHome(template, proxy.url, world.tsa.url, ROWS);
}, 300_000);
afterAll(async () => {
  await proxy?.close();
  await world?.close();
  work.remove();
  rmSync(outdir, { recursive: true, force: true });
});

let homes = 0;
/** A copy of the template's ledger and account in a home of its own, on an empty server. */
async function freshHome(): Promise<string> {
  await resetServer(world);
  const home = join(work.path, `home-${++homes}`);
  mkdirSync(home, { mode: 0o700 });
  for (const f of ['ledger.sqlite', ACCOUNT_FILE]) copyFileSync(join(template, f), join(home, f));
  chmodSync(join(home, ACCOUNT_FILE), 0o600);
  return home;
}

type Run = { code: number | null; signal: NodeJS.Signals | null; stderr: string; requests: number };

/** `sealdesk sync --json` in `home`; SIGKILL as request number `killAt` (counted by the proxy) starts to arrive. */
function sync(home: string, killAt?: number): Promise<Run> {
  proxy.reset(null);
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, 'sync', '--json'], { env: { ...process.env, SEALDESK_HOME: home } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.resume();
    proxy.onRequest = (ex) => {
      if (ex.index === killAt) child.kill('SIGKILL');
    };
    child.on('close', (code, signal) => {
      proxy.onRequest = null;
      done({ code, signal, stderr, requests: proxy.log.length });
    });
  });
}

async function state(home: string): Promise<unknown> {
  const server = await serverState(world);
  const db = openLedger(join(home, 'ledger.sqlite'));
  try {
    return { server: server.rows, ledger: ledgerState(db, server.hashOfId) };
  } finally {
    db.close();
  }
}

describe('sealdesk sync under kill -9 (issue 17)', () => {
  it(`killed at the 1st, a middle and the last request of a ${ROWS}-row sync, the next run finishes it`, async () => {
    const refHome = await freshHome();
    const ref = await sync(refHome);
    expect(ref.code, ref.stderr).toBe(0);
    const reference = await state(refHome);
    const refState = reference as { server: unknown[]; ledger: { outbox: { state: string }[] } };
    expect(refState.server).toHaveLength(ROWS);
    expect(refState.ledger.outbox.map((o) => o.state)).toEqual(Array(ROWS).fill('sent'));

    // The push's requests come first (one batch import for these rows when the server offers batches).
    const pushes = proxy.log.filter((e) => /^POST \/api\/transactions\/import/.test(e.line)).length;
    const moments = [1, Math.ceil(ref.requests / 2), ref.requests];
    const seen: string[] = [];
    for (const at of moments) {
      const home = await freshHome();
      const killed = await sync(home, at);
      expect(killed.signal, `kill at request ${at} of ${ref.requests}`).toBe('SIGKILL');
      const left = (await state(home)) as { server: unknown[]; ledger: { outbox: { state: string }[] } };
      const sent = left.ledger.outbox.filter((o) => o.state === 'sent').length;
      // A kill as an import arrives leaves work undone (else it would prove nothing).
      if (at <= pushes) expect(sent).toBeLessThan(ROWS);
      seen.push(`killed at request ${at}/${ref.requests}: ${left.server.length} on the server, ${sent} marked sent`);
      const next = await sync(home);
      expect(next.code, next.stderr).toBe(0);
      expect(await state(home), `after a kill at request ${at} of ${ref.requests}`).toEqual(reference);
    }
    console.info(seen.join('\n')); // what each kill left behind, for the record
  }, 300_000);
});
