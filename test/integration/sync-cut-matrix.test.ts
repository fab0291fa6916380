// The cut-proxy matrix of issue 17: a sync whose connection is cut at every byte offset of one request and of one
// response, for push and for pull, then an uncut sync, leaves the server and the ledger identical to an uncut run.
// (The proxy itself is held to its word in sync-cut-proxy.test.ts: a cut after k bytes delivers exactly those k bytes.)
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { login } from '../../core/app/account.js';
import { syncRun } from '../../core/app/sync.js';
import { CoreError } from '../../core/errors.js';
import { openLedger, setSyncAccount, type Ledger } from '../../core/ledger/index.js';
import { fileAccountStore } from '../../core/sync/account-file.js';
import { openRemoteClient } from '../../core/sync/http.js';
import { closeConnections } from '../../core/sync/transport.js';
import { startCutProxy, type CutRule, type Exchange } from '../helpers/cut-proxy.js';
import {
  ledgerState,
  resetServer,
  serverState,
  stampedHome,
  startSyncWorld,
  type LedgerSnapshot,
} from '../helpers/sync-world.js';
import { tempDir } from '../helpers/tmp.js';

// The real client (core/sync/http.ts) and `syncRun`, in-process, through the proxy to the server.
const FAST = { retry: { attempts: 6, baseMs: 1, maxMs: 1 }, sleep: async () => undefined, random: () => 0 };
const PUSH = /^POST \/api\/transactions\/import\/batch /; // the server offers batches: one stamp is a 1-item batch
const PULL = /^GET \/api\/transactions\/details/;
/** Every offset when SYNC_CUTS=all; else every offset of the heads, first and last 64 of a body, every 8th between. */
const EVERY = process.env['SYNC_CUTS'] === 'all';

function offsets(head: number, total: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < total; k++)
    if (EVERY || k < head + 64 || k >= total - 64 || (k - head - 64) % 8 === 0) out.push(k);
  return out;
}

const work = tempDir('sync-cuts');
const world = await startSyncWorld();
const proxy = await startCutProxy(world.server.url);
const account = await login(fileAccountStore(join(work.path, 'account')), {
  serverUrl: proxy.url,
  apiKey: world.apiKey,
});
// Push: one local stamp, queued in the outbox (made by `sealdesk stamp` while the account was set).
const pushTemplate = join(work.path, 'push', 'ledger.sqlite');
await stampedHome(join(work.path, 'push'), proxy.url, world.tsa.url, 1);
// Pull: a colleague's stamp on the server, and a fresh ledger that has never synced.
const pullTemplate = join(work.path, 'pull', 'ledger.sqlite');
const colleagueTemplate = join(work.path, 'colleague', 'ledger.sqlite');
await stampedHome(join(work.path, 'colleague'), proxy.url, world.tsa.url, 1);
const fresh = openLedger(pullTemplate);
setSyncAccount(fresh, proxy.url);
fresh.close();

let runs = 0;
type Outcome = { state: unknown; cutRunFinished: boolean; log: Exchange[] };

/** A copy of `template` in a file of its own, removed after `use`. */
async function withCopy<T>(template: string, use: (db: Ledger) => Promise<T>): Promise<T> {
  const path = join(work.path, 'runs', `${++runs}.sqlite`);
  mkdirSync(dirname(path), { recursive: true });
  copyFileSync(template, path);
  const db = openLedger(path);
  try {
    return await use(db);
  } finally {
    db.close();
    for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
  }
}

/** One sync of a copy of `template`, cut by `rule` (null: uncut), then one uncut sync; the state both sides end in. */
function cutThenSync(template: string, rule: CutRule | null): Promise<Outcome> {
  return withCopy(template, async (db) => {
    const client = openRemoteClient(account, FAST);
    proxy.reset(rule);
    const cutRunFinished = await syncRun(db, client).then(
      (r) => r.status.lastError === null, // a pull cut for good is reported, not thrown
      (err: unknown) => {
        if (!(err instanceof CoreError) || err.code !== 'OFFLINE') throw err;
        return false;
      },
    );
    const log = [...proxy.log];
    if (rule) expect(proxy.fired(), `the cut ${JSON.stringify(rule)} never happened`).toBe(true);
    proxy.reset(null);
    await syncRun(db, client);
    const server = await serverState(world);
    return { state: { server: server.rows, ledger: ledgerState(db, server.hashOfId) }, cutRunFinished, log };
  });
}

/** The server holds exactly the colleague's record (pushed uncut from a copy of their ledger). */
async function seedColleague(): Promise<void> {
  await resetServer(world);
  await withCopy(colleagueTemplate, async (db) => void (await syncRun(db, openRemoteClient(account, FAST))));
}

type Scenario = { name: string; template: string; match: RegExp; perCut?: () => Promise<void>; ref: Outcome };
async function scenario(
  s: Omit<Scenario, 'ref'>,
  before: () => Promise<void>,
): Promise<Scenario & { before(): Promise<void> }> {
  await before();
  await s.perCut?.();
  return { ...s, before, ref: await cutThenSync(s.template, null) };
}
const reset = () => resetServer(world);
const scenarios = [
  await scenario(
    { name: 'push (a batch import of one stamp)', template: pushTemplate, match: PUSH, perCut: reset },
    reset,
  ),
  await scenario(
    { name: 'pull (a page of /api/transactions/details)', template: pullTemplate, match: PULL },
    seedColleague,
  ),
];
afterAll(async () => {
  await proxy.close();
  await closeConnections();
  await world.close();
  work.remove();
});

describe('sync under a cut connection (issue 17: the cut-proxy matrix)', () => {
  it('the uncut runs: push sends the stamp once, pull brings the colleague’s record once', () => {
    const [push, pull] = scenarios.map((s) => s.ref.state as { server: unknown[]; ledger: LedgerSnapshot });
    expect(push!.server).toHaveLength(1);
    expect(push!.ledger.stamps).toMatchObject([{ origin: 'local', status: 'stamped', remote: expect.any(String) }]);
    expect(push!.ledger.outbox).toMatchObject([{ kind: 'stamp', state: 'sent' }]);
    expect(pull!.server).toHaveLength(1);
    expect(pull!.ledger.stamps).toHaveLength(1);
    for (const r of pull!.ledger.stamps) expect(r).toMatchObject({ origin: 'remote', remote: r.hash });
    expect(pull!.ledger.outbox).toEqual([]);
  });

  for (const s of scenarios) {
    const ex = s.ref.log.find((e) => s.match.test(e.line));
    if (!ex) throw new Error(`${s.name}: no ${s.match} in ${JSON.stringify(s.ref.log)}`);
    const request = offsets(ex.requestHeadBytes, ex.requestBytes).map((at) => ({ side: 'request' as const, at }));
    const response = offsets(ex.responseHeadBytes!, ex.responseBytes!).map((at) => ({ side: 'response' as const, at }));
    const what = EVERY ? 'every offset' : 'every header offset, the first/last 64 body bytes and every 8th between';
    it(
      `${s.name}: ${request.length + response.length} cuts (${what}: ` +
        `${request.length} of the ${ex.requestBytes}-byte ` +
        `request, ${response.length} of the ${ex.responseBytes}-byte response), each followed by one sync, end as ` +
        'the uncut run: nothing lost, nothing twice',
      async () => {
        await s.before();
        let finished = 0;
        for (const cut of [...request, ...response]) {
          await s.perCut?.();
          const out = await cutThenSync(s.template, { nth: 1, match: s.match, ...cut });
          expect(out.state, `cut after ${cut.at} bytes of the ${cut.side}`).toEqual(s.ref.state);
          if (out.cutRunFinished) finished++;
        }
        console.info(`${s.name}: ${finished} of ${request.length + response.length} cut runs finished by retrying`);
      },
      900_000,
    );
  }
});
