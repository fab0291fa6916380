// The world of the sync fault tests (issue 17): the real server on PGlite with a tenant and an API key, a loopback
// OpenSSL TSA, local ledgers whose stamps were made by `sealdesk stamp` while an account was set (so the outbox holds
// them), and the comparable state of both sides: server rows and ledger records/outbox reduced to what must match
// between two runs (ids the server or the ledger mint afresh are replaced by the records' hashes).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../cli/main.js';
import { addTsa, listTsas, openLedger, setSyncAccount, setTsaEnabled, type Ledger } from '../../core/ledger/index.js';
import type { Database } from '../../server/db/sql.js';
import { createTestPki, type TestPki } from './pki.js';
import { call, newUser } from './server-client.js';
import { openTestDatabase, startTestServer, type TestServer } from './server.js';
import { startTsa, type LoopbackTsa } from './tsa-server.js';

export type SyncWorld = {
  readonly pki: TestPki;
  readonly tsa: LoopbackTsa;
  readonly db: Database;
  readonly server: TestServer;
  readonly tenantId: string;
  readonly apiKey: string;
  close(): Promise<void>;
};

export async function startSyncWorld(pki?: TestPki): Promise<SyncWorld> {
  const p = pki ?? (await createTestPki());
  const tsa = await startTsa({ pki: p, signer: 'tsaEc' }); // EC: small tokens, so short requests to cut
  const db = await openTestDatabase('pglite');
  const server = await startTestServer(db);
  const user = await newUser(server.url, { organisation: 'Sync faults' });
  const key = await call(server.url, 'POST', '/api/keys', { token: user.token, body: { label: 'sync' } });
  if (key.status !== 200) throw new Error(`api key: ${key.status}`);
  return {
    pki: p,
    tsa,
    db,
    server,
    tenantId: user.tenantId!,
    apiKey: key.body.key as string,
    close: async () => {
      await server.close();
      await db.close();
      await tsa.close();
    },
  };
}

/** Forgets everything the tenant pushed (records and idempotency keys): the next run starts on an empty server. */
export async function resetServer(w: SyncWorld): Promise<void> {
  await w.db.query('DELETE FROM transactions WHERE tenant_id = $1 AND parent_id IS NOT NULL', [w.tenantId]);
  await w.db.query('DELETE FROM transactions WHERE tenant_id = $1', [w.tenantId]);
  await w.db.query('DELETE FROM idempotency WHERE scope = $1', [`tenant:${w.tenantId}`]);
}

/** `home`'s ledger, syncing with `serverUrl`, with `n` files stamped by `sealdesk stamp` (in-process) at `tsaUrl`. */
export async function stampedHome(home: string, serverUrl: string, tsaUrl: string, n: number): Promise<string[]> {
  mkdirSync(join(home, 'files'), { recursive: true });
  const db = openLedger(join(home, 'ledger.sqlite'));
  for (const t of listTsas(db)) if (t.enabled) setTsaEnabled(db, t.slug, false);
  addTsa(db, { slug: 'local', url: tsaUrl });
  setSyncAccount(db, serverUrl);
  db.close();
  const files = Array.from({ length: n }, (_, i) => {
    const f = join(home, 'files', `doc-${i}.txt`);
    writeFileSync(f, `document ${i} of ${home}\n`);
    return f;
  });
  let err = '';
  const io = { stdout: () => undefined, stderr: (t: string) => void (err += t), env: { SEALDESK_HOME: home } };
  const code = await main(['stamp', ...files, '--tsa', 'local', '--label', 'from here'], { ...io, isTTY: false });
  if (code !== 0) throw new Error(`sealdesk stamp: exit ${code}: ${err}`);
  return files;
}

export type ServerRow = { hash: string; token: string; label: string | null; parent: string | null; origin: string };

/** The tenant's records, by content (hash), their parent by the parent's hash. */
export async function serverState(w: SyncWorld): Promise<{ rows: ServerRow[]; hashOfId: Map<string, string> }> {
  const all = await w.db.query<{
    id: string;
    hash_hex: string;
    token_sha256: string;
    label: string | null;
    parent_id: string | null;
    origin: string;
  }>('SELECT id, hash_hex, token_sha256, label, parent_id, origin FROM transactions WHERE tenant_id = $1', [
    w.tenantId,
  ]);
  const hashOfId = new Map(all.map((r) => [r.id, r.hash_hex]));
  const rows = all
    .map((r) => ({
      hash: r.hash_hex,
      token: r.token_sha256,
      label: r.label,
      parent: r.parent_id ? (hashOfId.get(r.parent_id) ?? `?${r.parent_id}`) : null,
      origin: r.origin,
    }))
    .sort((a, b) => a.hash.localeCompare(b.hash));
  return { rows, hashOfId };
}

/** The ledger's records and outbox, ids replaced by content: a server id by its record's hash. */
export type LedgerSnapshot = {
  stamps: { origin: string; status: string; hash: string; remote: string | null }[];
  outbox: { kind: string; state: string; hash: string | null; remote: string | null }[];
  labels: unknown;
};

export function ledgerState(db: Ledger, hashOfId: ReadonlyMap<string, string>): LedgerSnapshot {
  const remote = (id: string | null) => (id === null ? null : (hashOfId.get(id) ?? `unknown ${id}`));
  const stamps = (
    db
      .prepare(
        `SELECT s.origin, s.status, s.label, lower(hex(s.imprint)) AS hash, s.tsr_sha256 AS token,
           lower(hex(p.imprint)) AS parent, s.remote_id FROM stamps s LEFT JOIN stamps p ON p.id = s.parent_id`,
      )
      .all() as { hash: string; origin: string; status: string; remote_id: string | null }[]
  )
    .map(({ remote_id, ...s }) => ({ ...s, remote: remote(remote_id) }))
    .sort((a, b) => `${a.hash}${a.origin}`.localeCompare(`${b.hash}${b.origin}`));
  const outbox = (
    db
      .prepare(
        `SELECT o.kind, o.state, lower(hex(s.imprint)) AS hash, o.remote_id
         FROM sync_outbox o LEFT JOIN stamps s ON s.id = o.record_id ORDER BY o.seq`,
      )
      .all() as { kind: string; state: string; hash: string | null; remote_id: string | null }[]
  ).map(({ remote_id, ...o }) => ({ ...o, remote: remote(remote_id) }));
  const labels = db.prepare('SELECT count(*) AS n FROM label_history').get();
  return { stamps, outbox, labels };
}
