// Sync against a server that fails mid-run (issue 17, "Faults, proven"): 500, 502 and 503 are retried and nothing is
// lost; a 429's Retry-After is the wait the client takes (read from its injected sleep, not the wall clock); a 401
// stops the run with AUTH_REQUIRED, the unsent rows stay pending, and after a new login the next run finishes. The
// scripted answers come from a proxy in front of the real server (test/helpers/fault-server.ts); it forwards the rest.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { login } from '../../core/app/account.js';
import { syncRun } from '../../core/app/sync.js';
import { CoreError } from '../../core/errors.js';
import { openLedger, type Ledger } from '../../core/ledger/index.js';
import { fileAccountStore } from '../../core/sync/account-file.js';
import { openRemoteClient } from '../../core/sync/http.js';
import { closeConnections } from '../../core/sync/transport.js';
import type { Account } from '../../core/sync/types.js';
import { startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import {
  ledgerState,
  resetServer,
  serverState,
  stampedHome,
  startSyncWorld,
  type SyncWorld,
} from '../helpers/sync-world.js';
import { tempDir } from '../helpers/tmp.js';

const ROWS = 3;
const IMPORT = /^POST \/api\/transactions\/import$/;
const DETAILS = /^GET \/api\/transactions\/details\?/;
const work = tempDir('sync-faults');
let world: SyncWorld;
let faults: FaultServer;
let account: Account;
const store = () => fileAccountStore(join(work.path, 'account'));
const template = join(work.path, 'home', 'ledger.sqlite');
let db: Ledger;
let n = 0;

/** A client whose waits are recorded, not slept; one import per row (batches: sync-cut-matrix, sync-push-pull). */
function client(a: Account = account) {
  const waits: number[] = [];
  const single = { ...a, capabilities: a.capabilities.filter((c) => c !== 'transactions-import-batch') };
  const c = openRemoteClient(single, {
    retry: { attempts: 6, baseMs: 100, maxMs: 2_000 },
    sleep: async (ms) => void waits.push(ms),
  });
  return { c, waits };
}

beforeAll(async () => {
  world = await startSyncWorld();
  faults = await startFaultServer(world.server.url);
  account = await login(store(), { serverUrl: faults.url, apiKey: world.apiKey });
  await stampedHome(join(work.path, 'home'), faults.url, world.tsa.url, ROWS);
}, 120_000);
afterAll(async () => {
  await closeConnections();
  await faults.close();
  await world.close();
  work.remove();
});
beforeEach(async () => {
  db?.close();
  await resetServer(world);
  const path = join(work.path, 'runs', `${++n}.sqlite`);
  mkdirSync(join(work.path, 'runs'), { recursive: true });
  copyFileSync(template, path);
  db = openLedger(path);
});

/** Every local record on the server once, every outbox row sent, each stamp holding its server id. */
async function expectAllSynced(): Promise<void> {
  const server = await serverState(world);
  expect(server.rows).toHaveLength(ROWS);
  const ledger = ledgerState(db, server.hashOfId);
  expect(ledger.stamps).toHaveLength(ROWS);
  for (const s of ledger.stamps) expect(s).toMatchObject({ origin: 'local', remote: s.hash });
  expect(ledger.outbox.map((o) => o.state)).toEqual(Array(ROWS).fill('sent'));
}

describe('sync with a failing server (issue 17)', () => {
  it('500, 502 and 503 on a push and 503 on a pull page are retried with backoff; all arrives once', async () => {
    faults.script([
      { match: IMPORT, skip: 1, status: 500 },
      { match: IMPORT, status: 502 },
      { match: IMPORT, status: 503 },
      { match: DETAILS, status: 503 },
    ]);
    const { c, waits } = client();
    const r = await syncRun(db, c);
    expect(r).toMatchObject({ pushed: ROWS, pending: 0, refused: [] });
    expect(r.status.lastError).toBeNull();
    const answered = faults.seen.filter((s) => !s.forwarded).map((s) => `${s.status} ${s.method}`);
    expect(answered).toEqual(['500 POST', '502 POST', '503 POST', '503 GET']);
    expect(faults.seen.filter((s) => s.forwarded && s.method === 'POST')).toHaveLength(ROWS);
    // The 2nd row: three failures in a row, each wait within its growing ceiling (full jitter: 0 … base·2^n).
    expect(waits).toHaveLength(4);
    waits.slice(0, 3).forEach((w, i) => expect(w).toBeLessThanOrEqual(100 * 2 ** i));
    await expectAllSynced();
  });

  it('429 with Retry-After: 1 → the client waits exactly the 1,000 ms the server asked for, then goes on', async () => {
    faults.script([{ match: IMPORT, skip: 1, status: 429, headers: { 'retry-after': '1' } }]);
    const { c, waits } = client();
    const r = await syncRun(db, c);
    expect(r).toMatchObject({ pushed: ROWS, pending: 0 });
    expect(waits).toEqual([1_000]);
    expect(faults.seen.filter((s) => !s.forwarded)).toMatchObject([{ status: 429, method: 'POST' }]);
    await expectAllSynced();
  });

  it('401 mid-run stops the run (AUTH_REQUIRED), the unsent rows stay pending; a new login finishes it', async () => {
    faults.script([{ match: IMPORT, skip: 1, status: 401, body: { error: 'Unauthorized' } }]);
    const err = await syncRun(db, client().c).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CoreError);
    expect((err as CoreError).code).toBe('AUTH_REQUIRED');
    // The first row went; the second was refused by the 401 and not retried; the third was never tried.
    expect(faults.seen.map((s) => `${s.status} ${s.method} ${s.forwarded}`)).toEqual([
      '200 POST true',
      '401 POST false',
    ]);
    const server = await serverState(world);
    expect(server.rows).toHaveLength(1);
    const ledger = ledgerState(db, server.hashOfId);
    expect(ledger.outbox.map((o) => o.state)).toEqual(['sent', 'pending', 'pending']);

    const again = await login(store(), { serverUrl: faults.url, apiKey: world.apiKey });
    const r = await syncRun(db, client(again).c);
    expect(r).toMatchObject({ pushed: ROWS - 1, pending: 0, refused: [] });
    expect(r.status.state).toBe('synced');
    await expectAllSynced();
  });
});
