// Sync against the real sealdesk-server (PGlite, and once PostgreSQL) on loopback, with loopback OpenSSL TSAs: ledger A
// stamps, restamps and seals, syncs (push); ledger B (a colleague's SEALDESK_HOME) pulls, and `lookup` finds A's stamp
// with origin remote; the same token from both sides stays one record; a label edited on both sides ends as the
// server's later value with the loser in the label history; `--include-existing` offers old records once; a server
// without the import extensions (as the real Sigill) refuses them with reasons, and is pulled by a full scan.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../../core/app/account.js';
import { historyList, lookup } from '../../core/app/history.js';
import { setLabel } from '../../core/app/label.js';
import { restampOne, runBulkRestamp, startBulkRestamp, type BulkRestampOptions } from '../../core/app/restamp.js';
import { sealAny, type AppContext } from '../../core/app/seal-any.js';
import { stampInputs } from '../../core/app/stamp-files.js';
import { syncRun } from '../../core/app/sync.js';
import { addTsa, listTsas, openLedger, setSyncAccount, setTsaEnabled, type Ledger } from '../../core/ledger/index.js';
import { fileAccountStore } from '../../core/sync/account-file.js';
import { openRemoteClient } from '../../core/sync/http.js';
import { outboxRows } from '../../core/sync/outbox.js';
import { closeConnections } from '../../core/sync/transport.js';
import type { Account, RemoteClient } from '../../core/sync/types.js';
import { HttpTimeStampTransport } from '../../core/tsp/index.js';
import type { Database } from '../../server/db/sql.js';
import { cliRunner } from '../helpers/cli.js';
import { closedPortUrl } from '../helpers/net.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { call, newUser } from '../helpers/server-client.js';
import { openTestDatabase, startTestServer, tsaProviders, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';

const work = tempDir('sync-push-pull');
const PASSWORD = 'correct horse battery'; // newUser's
let pki: TestPki;
let tsa: LoopbackTsa;
let pg: TestPostgres;
const opened: Ledger[] = [];

beforeAll(async () => {
  pki = await createTestPki(join(work.path, 'pki'));
  tsa = await startTsa({ pki });
  pg = await startPostgres();
}, 180_000);
afterAll(async () => {
  for (const db of opened) db.close();
  await closeConnections();
  await tsa?.close();
  await pg?.stop();
  work.remove();
});

type Machine = { db: Ledger; ctx: AppContext; client: RemoteClient; account: Account; home: string };
let homes = 0;

/** A workstation: its own SEALDESK_HOME and ledger, signed in to `server` as the owner of the organisation. */
async function machine(server: TestServer, email: string, o: { signIn?: boolean } = {}): Promise<Machine> {
  const home = join(work.path, `home-${++homes}`);
  mkdirSync(home, { recursive: true });
  const db = openLedger(join(home, 'ledger.sqlite'));
  opened.push(db);
  for (const t of listTsas(db)) setTsaEnabled(db, t.slug, false); // never the internet
  addTsa(db, { slug: 'loop', url: tsa.url, name: 'Loop TSA' });
  const ctx = { db, transport: new HttpTimeStampTransport(), now: () => new Date(), timeoutMs: 20_000, home };
  const m = { db, ctx, home } as Machine;
  if (o.signIn !== false) await signIn(m, server, email);
  return m;
}

async function signIn(m: Machine, server: TestServer, email: string): Promise<void> {
  m.account = await login(fileAccountStore(m.home), { serverUrl: server.url, email, password: PASSWORD }, m.db);
  setSyncAccount(m.db, m.account.serverUrl);
  m.client = openRemoteClient(m.account);
}

async function stamp(m: Machine, name: string, label?: string): Promise<{ id: string; path: string }> {
  const path = join(m.home, name);
  writeFileSync(path, `${name} ${Math.random()}`);
  const [r] = await stampInputs(m.ctx, [path], { tsa: 'loop', label });
  if (!r?.ok || r.outcome.kind === 'queued') throw new Error(`not stamped: ${JSON.stringify(r)}`);
  return { id: r.outcome.record.id, path };
}

const remoteIdOf = (m: Machine, id: string) =>
  (m.db.prepare('SELECT remote_id FROM stamps WHERE id = ?').get(id) as { remote_id: string | null }).remote_id;
const count = (m: Machine, table: string) =>
  (m.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe.each(['pglite', 'postgres'] as const)('sync on %s', (kind) => {
  let sdb: Database;
  let server: TestServer;
  let owner: Awaited<ReturnType<typeof newUser>>;
  let a: Machine;
  let b: Machine;
  let first: { id: string; path: string };

  beforeAll(async () => {
    sdb = await openTestDatabase(kind, pg.url);
    server = await startTestServer(sdb, { tsas: tsaProviders([{ slug: 'server-loop', url: tsa.url }]) });
    owner = await newUser(server.url, { organisation: `Sync ${kind}` });
    a = await machine(server, owner.email);
    b = await machine(server, owner.email);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await sdb?.close();
  });

  it('pushes stamps, a restamp link and a seal in order; the server holds the chain and the seal', async () => {
    first = await stamp(a, 'contract.txt', 'Contract 7');
    const second = await stamp(a, 'minutes.txt');
    const link = await restampOne(a.ctx, first.id, 'loop');
    if (link.kind !== 'stamp') throw new Error('not a stamp restamp');
    const sealed = await sealAny(a.ctx, [second.path], {
      signer: { kind: 'key', keyPath: pki.signer.keyPath, chainPath: pki.signer.chainPath },
      tsa: 'loop',
      label: 'Minutes sealed',
    });
    expect(sealed[0]).not.toHaveProperty('error');
    expect(outboxRows(a.db).map((r) => r.kind)).toEqual(['stamp', 'stamp', 'restamp', 'seal']);

    const r = await syncRun(a.db, a.client);
    expect(r).toMatchObject({ pushed: 4, pending: 0, refused: [], status: { state: 'synced', pending: 0 } });
    expect(outboxRows(a.db).every((x) => x.state === 'sent' && x.remoteId)).toBe(true);
    const q = `/api/transactions/details?tenantId=${owner.tenantId}&pageSize=200`;
    const details = (await call(server.url, 'GET', q, { token: owner.token })).body;
    expect(details.total).toBe(3);
    const byId = new Map(details.items.map((i: { id: string }) => [i.id, i]));
    expect(byId.get(remoteIdOf(a, link.record.id)!)).toMatchObject({
      parentTransactionId: remoteIdOf(a, first.id),
      origin: 'import',
    });
    expect(byId.get(remoteIdOf(a, first.id)!)).toMatchObject({ label: 'Contract 7' });
    const seals = (await call(server.url, 'GET', '/seal/operations', { token: owner.token })).body;
    expect(seals.items).toMatchObject([{ label: 'Minutes sealed', signatureType: 'cades' }]);
  });

  it('a colleague’s ledger pulls them: lookup finds them with origin remote; pulling back adds nothing', async () => {
    const r = await syncRun(b.db, b.client);
    expect(r).toMatchObject({ pushed: 0, pulled: 4, status: { state: 'synced' } });
    const found = await lookup(b.db, first.path);
    // The chain (first stamp and its restamp link) is found by the file, as on A, with the exact token bytes.
    expect(found.records).toMatchObject([
      { origin: 'remote', label: 'Contract 7', parentId: expect.any(String) },
      { origin: 'remote', label: 'Contract 7', parentId: null },
    ]);
    const onA = (await lookup(a.db, first.path)).records;
    expect(found.records.map((x) => Buffer.from(x.tsr!).toString('hex'))).toEqual(
      onA.map((x) => Buffer.from(x.tsr!).toString('hex')),
    );
    const chainChild = b.db.prepare('SELECT count(*) AS n FROM stamps WHERE parent_id IS NOT NULL').get();
    expect(chainChild).toEqual({ n: 1 });
    const list = historyList(b.db, {});
    expect(list.items.map((i) => i.origin)).toEqual(['remote', 'remote', 'remote', 'remote']);
    expect(list.items.find((i) => i.kind === 'seal')).toMatchObject({ label: 'Minutes sealed', origin: 'remote' });

    const before = [count(a, 'stamps'), count(a, 'operations')];
    expect(await syncRun(a.db, a.client)).toMatchObject({ pushed: 0, pulled: 0 });
    expect([count(a, 'stamps'), count(a, 'operations')]).toEqual(before);
    expect(await syncRun(b.db, b.client)).toMatchObject({ pushed: 0, pulled: 0 });
  });

  it('a label edited on both sides ends as the server’s later value; the loser stays in label history', async () => {
    const onB = (await lookup(b.db, first.path)).records.find((x) => x.parentId === null)!;
    expect(setLabel(a.db, first.id, 'Edited on A')).toMatchObject({ queued: true, previous: 'Contract 7' });
    expect(setLabel(b.db, onB.id, 'Edited on B')).toMatchObject({ queued: true, origin: 'remote' });
    await syncRun(a.db, a.client);
    await syncRun(b.db, b.client); // B's edit reaches the server later: it wins there
    const r = await syncRun(a.db, a.client);
    expect(r.pulled).toBe(1);
    const label = (m: Machine, id: string) =>
      (m.db.prepare('SELECT label FROM stamps WHERE id = ?').get(id) as { label: string }).label;
    expect([label(a, first.id), label(b, onB.id)]).toEqual(['Edited on B', 'Edited on B']);
    const history = a.db
      .prepare(
        'SELECT label, source, superseded_by IS NOT NULL AS old FROM label_history WHERE record_id = ? ORDER BY seq',
      )
      .all(first.id);
    expect(history).toEqual([
      { label: 'Contract 7', source: 'local', old: 1 },
      { label: 'Edited on A', source: 'local', old: 1 },
      { label: 'Edited on B', source: 'remote', old: 0 },
    ]);
  });

  it('offers the records made before the account once (--include-existing)', async () => {
    if (kind === 'postgres') return; // the outbox is the client's: once is enough
    const c = await machine(server, owner.email, { signIn: false });
    await stamp(c, 'old-1.txt');
    await stamp(c, 'old-2.txt');
    await signIn(c, server, owner.email);
    expect(await syncRun(c.db, c.client)).toMatchObject({ pushed: 0 });
    expect(await syncRun(c.db, c.client, { includeExisting: true })).toMatchObject({ pushed: 2, pending: 0 });
    expect(await syncRun(c.db, c.client, { includeExisting: true })).toMatchObject({ pushed: 0 });
    expect(outboxRows(c.db)).toHaveLength(2);
  });

  it('a server without the import extensions refuses local records with reasons; pulled by a full scan', async () => {
    if (kind === 'postgres') return;
    const d = await machine(server, owner.email);
    const plain = openRemoteClient({ ...d.account, capabilities: [] }); // what the real Sigill announces
    const mine = await stamp(d, 'offline-made.txt');
    const r = await syncRun(d.db, plain);
    expect(r.refused).toEqual([
      {
        kind: 'stamp',
        recordId: mine.id,
        reason: 'the server does not take stamps made offline (no transactions-import extension)',
      },
    ]);
    expect(r.status).toMatchObject({ refused: 1, pending: 0 });
    // The full scan brings every stamp of the organisation (tokens from the public lookup) and its seal.
    expect(r.pulled).toBe(count(a, 'stamps') + 2 + 1);
    const chain = (await lookup(d.db, first.path)).records;
    expect(chain).toHaveLength(2);
    expect(chain.find((x) => x.parentId === null)).toMatchObject({ origin: 'remote', label: 'Edited on B' });
  });

  it.runIf(kind === 'pglite')('bulk restamp: local chains by default, pulled ones with --scope remote', async () => {
    const o = (scope?: 'local' | 'remote'): BulkRestampOptions => ({ expiringWithinDays: 36_500, tsa: 'loop', scope });
    const local = await startBulkRestamp(b.db, { by: 'window' }, o());
    expect(local.total).toBe(0); // B made nothing itself
    await runBulkRestamp(b.ctx, local, o()); // closes the empty run
    const remote = await startBulkRestamp(b.db, { by: 'window' }, o('remote'));
    expect(remote.total).toBe(2); // the newest link of the contract's chain, and the minutes' stamp
    const items = b.db.prepare(
      'SELECT s.origin FROM restamp_job_items i JOIN stamps s ON s.id = i.stamp_id WHERE job_id = ?',
    );
    expect(items.all(remote.job.id)).toEqual([{ origin: 'remote' }, { origin: 'remote' }]);
  });

  it('the CLI: sync --json, label, history with its origin column; offline is exit 4 with the work kept', async () => {
    if (kind === 'postgres') return;
    const sealdesk = cliRunner({ SEALDESK_HOME: b.home, SEALDESK_SYNC_ATTEMPTS: '1' });
    const first = await sealdesk('sync', '--json');
    expect(first.code, first.stderr).toBe(0);
    expect(first.json()).toMatchObject({ pushed: 0, status: { state: 'synced', pending: 0 } });
    const hist = await sealdesk('history');
    expect(hist.stdout).toMatch(/ remote {2}/);
    const [row] = (await sealdesk('history', '--json')).json().items as { id: string; origin: string }[];
    expect(row!.origin).toBe('remote');
    const labelled = await sealdesk('label', row!.id.slice(0, 12), 'Set from the CLI', '--json');
    expect(labelled.code, labelled.stderr).toBe(0);
    expect(labelled.json()).toMatchObject({ id: row!.id, label: 'Set from the CLI', queued: true });
    // The server is unreachable: the label stays queued, exit 4.
    const store = fileAccountStore(b.home);
    const account = (await store.read())!;
    const down = await closedPortUrl();
    await store.write({ ...account, serverUrl: down });
    setSyncAccount(b.db, down);
    const offline = await sealdesk('sync');
    expect(offline.code, offline.stderr).toBe(4);
    expect(outboxRows(b.db, 'pending').map((x) => x.kind)).toEqual(['label']);
    await store.write(account);
    setSyncAccount(b.db, account.serverUrl);
    const again = await sealdesk('sync', '--json');
    expect(again.json()).toMatchObject({ pushed: 1, status: { state: 'synced', pending: 0 } });
  });

  it('pulls page by page from the cursor (and by a full scan) to the same records as one big page', async () => {
    if (kind === 'postgres') return;
    const facts = (m: Machine) =>
      m.db
        .prepare(
          'SELECT remote_id, label, tsr_sha256, file_sha512, parent_id IS NULL AS root FROM stamps ORDER BY remote_id',
        )
        .all();
    const small = await machine(server, owner.email);
    const scan = await machine(server, owner.email);
    const r = await syncRun(small.db, small.client, { pageSize: 2 });
    const s = await syncRun(scan.db, openRemoteClient({ ...scan.account, capabilities: [] }), { pageSize: 2 });
    expect(r.pulled).toBe(6); // 5 stamps (3 pages of 2) and the seal
    expect(s.pulled).toBe(r.pulled);
    expect(facts(small)).toEqual(facts(b));
    expect(facts(scan)).toEqual(facts(b));
    expect(await syncRun(small.db, small.client, { pageSize: 2 })).toMatchObject({ pulled: 0 });
  });

  it('the server’s sync-since extension: named in /api/capabilities, label times, a bad since refused', async () => {
    const caps = (await call(server.url, 'GET', '/api/capabilities')).body;
    expect(caps.extensions).toContain('sync-since');
    const q = `/api/transactions/details?tenantId=${owner.tenantId}`;
    const [item] = (await call(server.url, 'GET', `${q}&pageSize=1`, { token: owner.token })).body.items;
    expect(item).not.toHaveProperty('tsrBase64');
    const put = await call(server.url, 'PUT', `/api/transactions/${item.id}/label`, {
      token: owner.token,
      body: { label: 'Relabelled' },
    });
    expect(put.body).toMatchObject({ id: item.id, label: 'Relabelled', labelUpdatedAt: expect.any(String) });
    const since = await call(server.url, 'GET', `${q}&since=${put.body.labelUpdatedAt}&includeToken=true`, {
      token: owner.token,
    });
    expect(since.body.items).toMatchObject([
      { id: item.id, labelUpdatedAt: put.body.labelUpdatedAt, changedAt: put.body.labelUpdatedAt },
    ]);
    expect(since.body.items[0].tsrBase64).toMatch(/^MII/);
    for (const path of [`${q}&since=yesterday`, '/seal/operations?since=yesterday'])
      expect((await call(server.url, 'GET', path, { token: owner.token })).status).toBe(400);
  });

  it('a colleague’s stamp of a SHA-256 through the API (/tsa/stamp-hash) is found by lookup of the file', async () => {
    const file = join(work.path, `api-${kind}.txt`);
    writeFileSync(file, `stamped through the API on ${kind}`);
    const hashHex = createHash('sha256').update(readFileSync(file)).digest('hex');
    const made = await call(server.url, 'POST', '/tsa/stamp-hash', {
      token: owner.token,
      body: { hashHex, label: 'via API' },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    await syncRun(b.db, b.client);
    const found = await lookup(b.db, file);
    expect(found.records).toMatchObject([
      { origin: 'remote', label: 'via API', imprintAlgorithm: 'sha256', imprintHex: hashHex },
    ]);
  });

  it.runIf(kind === 'pglite')(
    'a pulled chain restamped here: its link kept in the ledger, pushed to the server',
    async () => {
      const o: BulkRestampOptions = { expiringWithinDays: 36_500, tsa: 'loop', scope: 'remote' };
      const remote = await startBulkRestamp(b.db, { by: 'window' }, o);
      expect(remote.total).toBeGreaterThan(0);
      // No file here for a pulled chain: each new link is kept in the ledger, and pushed at the next sync.
      const run = await runBulkRestamp(b.ctx, remote, o);
      expect(run.chains).toMatchObject({ done: remote.total, failed: 0 });
      const links = b.db
        .prepare(
          `SELECT tsr_path, origin FROM stamps
         WHERE parent_id IN (SELECT stamp_id FROM restamp_job_items WHERE job_id = ?)`,
        )
        .all(remote.job.id);
      expect(links).toEqual(Array.from({ length: remote.total }, () => ({ tsr_path: null, origin: 'local' })));
      const children = async () =>
        Number(
          (
            await sdb.query<{ n: string }>(
              'SELECT count(*) AS n FROM transactions WHERE tenant_id = $1 AND parent_id IS NOT NULL',
              [owner.tenantId],
            )
          )[0]!.n,
        );
      const before = await children();
      expect(await syncRun(b.db, b.client)).toMatchObject({ pushed: remote.total, refused: [] });
      expect(await children()).toBe(before + remote.total);
    },
  );
});
