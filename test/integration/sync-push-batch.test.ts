// Push in batches against the real server (issue 17's fast push, core/sync/push-batch.ts): a run of stamp rows is
// one POST /api/transactions/import/batch; a token the server refuses is refused alone, with its reason, and the
// others are sent; a repeat sends nothing. After a lost answer and a label change, the same row set's batch is
// another body under the same key (422): that batch's rows go one request each, nothing is stored twice, and the rows
// after them go in batches again.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { login } from '../../core/app/account.js';
import { setLabel } from '../../core/app/label.js';
import { syncRun } from '../../core/app/sync.js';
import { CoreError } from '../../core/errors.js';
import { openLedger, type Ledger } from '../../core/ledger/index.js';
import { fileAccountStore } from '../../core/sync/account-file.js';
import { openRemoteClient } from '../../core/sync/http.js';
import { outboxRows } from '../../core/sync/outbox.js';
import { closeConnections } from '../../core/sync/transport.js';
import type { Account, RemoteClient, RemoteRequest } from '../../core/sync/types.js';
import { resetServer, serverState, stampedHome, startSyncWorld, type SyncWorld } from '../helpers/sync-world.js';
import { tempDir } from '../helpers/tmp.js';

const ROWS = 4;
const work = tempDir('sync-push-batch');
let world: SyncWorld;
let account: Account;
const template = join(work.path, 'home', 'ledger.sqlite');
const opened: Ledger[] = [];
let copies = 0;

beforeAll(async () => {
  world = await startSyncWorld();
  account = await login(fileAccountStore(join(work.path, 'account')), {
    serverUrl: world.server.url,
    apiKey: world.apiKey,
  });
  await stampedHome(join(work.path, 'home'), world.server.url, world.tsa.url, ROWS);
}, 120_000);
afterAll(async () => {
  for (const db of opened) db.close();
  await closeConnections();
  await world?.close();
  work.remove();
});

/** A home with a copy of the template ledger (ROWS stamps queued), against an empty server. */
async function freshLedger(): Promise<{ db: Ledger; home: string }> {
  await resetServer(world);
  const home = join(work.path, 'runs', String(++copies));
  mkdirSync(home, { recursive: true });
  copyFileSync(template, join(home, 'ledger.sqlite'));
  const db = openLedger(join(home, 'ledger.sqlite'));
  opened.push(db);
  return { db, home };
}

/** One more local stamp in `home` (`sealdesk stamp`, in-process), queued after the rows already there. */
async function stampOneMore(home: string): Promise<void> {
  const file = join(home, 'later.txt');
  writeFileSync(file, `stamped later in ${home}\n`);
  const io = { stdout: () => undefined, stderr: () => undefined, env: { SEALDESK_HOME: home }, isTTY: false };
  expect(await main(['stamp', file, '--tsa', 'local'], io)).toBe(0);
}

/** The real client, with every request it is asked to make written down (`loseFirst`: a batch's answer is lost). */
function recording(o: { loseFirstBatch?: boolean } = {}) {
  const real = openRemoteClient(account);
  const log: string[] = [];
  let lost = !o.loseFirstBatch;
  const client: RemoteClient = {
    account: real.account,
    has: (e) => real.has(e),
    send: (r, s) => (log.push(`${r.method} ${r.path}`), real.send(r, s)),
    json: async <T>(r: RemoteRequest, s?: AbortSignal) => {
      log.push(`${r.method} ${r.path}`);
      const answer = await real.json<T>(r, s);
      if (!lost && r.path.endsWith('/batch')) {
        lost = true;
        throw new CoreError('OFFLINE', 'the answer was lost on the way back');
      }
      return answer;
    },
  };
  return { client, log };
}

const remoteOf = (db: Ledger, id: string) =>
  (db.prepare('SELECT remote_id FROM stamps WHERE id = ?').get(id) as { remote_id: string }).remote_id;
const imports = (log: string[]) => log.filter((l) => l.startsWith('POST /api/transactions/import'));

describe('sync push in batches (issue 17)', () => {
  it('one batch for a run of stamps; a bad token is refused alone, with its reason; a repeat sends none', async () => {
    const { db } = await freshLedger();
    const ids = outboxRows(db).map((r) => r.recordId);
    expect(ids).toHaveLength(ROWS);
    // The second stamp's token no longer matches its hash (as if the ledger were damaged): the server refuses it.
    db.prepare('UPDATE stamps SET imprint = zeroblob(length(imprint)) WHERE id = ?').run(ids[1]);
    const { client, log } = recording();
    const r = await syncRun(db, client);
    expect(imports(log)).toEqual(['POST /api/transactions/import/batch']);
    expect(r.pushed).toBe(ROWS - 1);
    expect(r.refused).toEqual([
      { kind: 'stamp', recordId: ids[1], reason: expect.stringMatching(/^the token does not verify against hashHex/) },
    ]);
    expect(outboxRows(db).map((o) => o.state)).toEqual(['sent', 'refused', 'sent', 'sent']);
    const server = await serverState(world);
    expect(server.rows).toHaveLength(ROWS - 1);
    const remote = db.prepare('SELECT id, remote_id FROM stamps ORDER BY rowid').all() as { remote_id: string }[];
    expect(remote.filter((s) => s.remote_id !== null).map((s) => server.hashOfId.has(s.remote_id))).toEqual([
      true,
      true,
      true,
    ]);

    const again = recording();
    expect(await syncRun(db, again.client)).toMatchObject({ pushed: 0, pending: 0 }); // the refusal stays reported
    expect(imports(again.log)).toEqual([]);
  });

  it('a lost answer, then a label change: the batch is refused (422), its rows go one by one', async () => {
    const { db, home } = await freshLedger();
    const ids = outboxRows(db).map((r) => r.recordId);
    const cut = recording({ loseFirstBatch: true });
    const err = await syncRun(db, cut.client).catch((e: unknown) => e);
    expect((err as CoreError).code).toBe('OFFLINE');
    expect(outboxRows(db).map((o) => o.state)).toEqual(Array(ROWS).fill('pending'));
    expect((await serverState(world)).rows).toHaveLength(ROWS); // the server did the work; the client never heard

    setLabel(db, ids[0]!, 'renamed while offline');
    await stampOneMore(home);
    const { client, log } = recording();
    const r = await syncRun(db, client);
    expect(r).toMatchObject({ pushed: ROWS + 2, refused: [], pending: 0 });
    // The refused batch's rows alone, the label, then batches again for the stamp made after it.
    expect(log.filter((l) => !l.startsWith('GET'))).toEqual([
      'POST /api/transactions/import/batch',
      ...Array(ROWS).fill('POST /api/transactions/import'),
      `PUT /api/transactions/${encodeURIComponent(remoteOf(db, ids[0]!))}/label`,
      'POST /api/transactions/import/batch',
    ]);
    const server = await serverState(world);
    expect(server.rows).toHaveLength(ROWS + 1);
    expect(server.rows.filter((s) => s.label === 'renamed while offline')).toHaveLength(1);
    expect(outboxRows(db).map((o) => `${o.kind} ${o.state}`)).toEqual([
      ...Array(ROWS).fill('stamp sent'),
      'label sent',
      'stamp sent',
    ]);
  });
});
