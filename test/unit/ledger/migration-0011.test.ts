// Ledger v11 (sync): the outbox rows are written by triggers in the record's own transaction — a stamp made through
// core/app while an account is set gets its row, one made without an account none; a pending stamp is queued when it
// completes; a label edit is queued and kept in the label history; `--include-existing` offers old records once.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stampInputs } from '../../../core/app/stamp-files.js';
import { fromHex } from '../../../core/asn1/bytes.js';
import { addTsa, listTsas, openLedger, setTsaEnabled, type Ledger } from '../../../core/ledger/index.js';
import { completeStamp, getStamp, insertStamp } from '../../../core/ledger/stamps.js';
import { setSyncAccount, syncAccount } from '../../../core/ledger/sync.js';
import type { StampContext } from '../../../core/stamp/index.js';
import { enqueueExisting, outboxRows } from '../../../core/sync/outbox.js';
import { HttpTimeStampTransport } from '../../../core/tsp/index.js';
import { createTestPki } from '../../helpers/pki.js';
import { tempDir } from '../../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../../helpers/tsa-server.js';

const work = tempDir('migration-0011');
let tsa: LoopbackTsa;
let db: Ledger;
let ctx: StampContext;

beforeAll(async () => {
  tsa = await startTsa({ pki: await createTestPki(join(work.path, 'pki')) });
  db = openLedger(join(work.path, 'ledger.sqlite'));
  for (const t of listTsas(db)) setTsaEnabled(db, t.slug, false);
  addTsa(db, { slug: 'loop', url: tsa.url, name: 'Loop TSA' });
  ctx = { db, transport: new HttpTimeStampTransport(), now: () => new Date(), timeoutMs: 30_000 };
}, 60_000);
afterAll(async () => {
  db.close();
  await tsa.close();
  work.remove();
});

async function stamp(name: string): Promise<string> {
  const p = join(work.path, name);
  writeFileSync(p, `${name} ${Math.random()}`);
  const [r] = await stampInputs(ctx, [p], { tsa: 'loop' });
  if (!r?.ok || r.outcome.kind === 'queued') throw new Error(`not stamped: ${JSON.stringify(r)}`);
  return r.outcome.record.id;
}

const pendingStamp = (id: string) =>
  insertStamp(db, {
    id,
    fileSha512: 'a'.repeat(128),
    imprintAlgorithm: 'sha512',
    imprint: fromHex('a'.repeat(128)),
    label: null,
    filePath: null,
    tsrPath: null,
    requestedTsa: 'auto',
    createdAt: new Date().toISOString(),
  });

describe('ledger v11: the sync outbox', () => {
  it('adds origin and remote id columns, and the records made before stay local', () => {
    const cols = (t: string) => (db.pragma(`table_info(${t})`) as { name: string }[]).map((c) => c.name);
    expect(cols('stamps')).toEqual(expect.arrayContaining(['origin', 'remote_id', 'remote_label_at']));
    expect(cols('operations')).toEqual(expect.arrayContaining(['origin', 'remote_id', 'remote_document_sha256']));
    expect(cols('sync_outbox')).toEqual(
      expect.arrayContaining(['seq', 'kind', 'record_id', 'payload', 'idempotency_key', 'state', 'remote_id']),
    );
  });

  let before: string;
  it('queues nothing while no account is set', async () => {
    before = await stamp('before.txt');
    expect(syncAccount(db)).toBeNull();
    expect(outboxRows(db)).toEqual([]);
  });

  it('queues a stamp made through core/app in the same transaction once an account is set', async () => {
    setSyncAccount(db, 'http://127.0.0.1:1');
    const id = await stamp('after.txt');
    const rows = outboxRows(db);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: 'stamp',
      recordId: id,
      state: 'pending',
      idempotencyKey: `sealdesk:stamp:${id}`,
    });
    expect(getStamp(db, id)).toMatchObject({ id });
  });

  it('queues a pending stamp when it completes, not before', () => {
    const p = pendingStamp('pending-1');
    expect(outboxRows(db).map((r) => r.recordId)).not.toContain(p.id);
    const done = getStamp(db, before)!;
    const facts = {
      tsaSlug: 'loop',
      tsaName: 'Loop TSA',
      genTime: done.genTime!,
      serialHex: '01',
      policyOid: '1.2.3',
      tsaCertNotAfter: null,
      tsr: done.tsr!,
      tsrSha256: 'b'.repeat(64),
      qualified: false,
    };
    expect(completeStamp(db, p.id, facts, null)).toBe(true);
    expect(
      outboxRows(db)
        .filter((r) => r.recordId === p.id)
        .map((r) => r.kind),
    ).toEqual(['stamp']);
  });

  it('queues a label edit with its value, and keeps the previous value in the label history', () => {
    db.prepare('UPDATE stamps SET label = ? WHERE id = ?').run('Contract 7', before);
    const row = outboxRows(db).find((r) => r.kind === 'label')!;
    expect(row).toMatchObject({ recordId: before, payload: { recordKind: 'stamp', label: 'Contract 7' } });
    const history = db
      .prepare('SELECT label, source, superseded_by FROM label_history WHERE record_id = ? ORDER BY seq')
      .all(before) as { label: string | null; source: string; superseded_by: number | null }[];
    expect(history.map((h) => [h.label, h.source, h.superseded_by === null])).toEqual([
      [null, 'local', false],
      ['Contract 7', 'local', true],
    ]);
  });

  it('a label applied from the server (remote_label_at moves) is history, not a push', () => {
    const at = '2030-01-01T00:00:00.000Z';
    db.prepare('UPDATE stamps SET label = ?, remote_label_at = ? WHERE id = ?').run('From server', at, before);
    expect(outboxRows(db).filter((r) => r.kind === 'label')).toHaveLength(1);
    const last = db.prepare('SELECT label, source, set_at FROM label_history ORDER BY seq DESC LIMIT 1').get();
    expect(last).toEqual({ label: 'From server', source: 'remote', set_at: at });
  });

  it('offers the records made before the account exactly once', () => {
    expect(enqueueExisting(db)).toBe(1);
    expect(outboxRows(db).filter((r) => r.recordId === before && r.kind === 'stamp')).toHaveLength(1);
    expect(enqueueExisting(db)).toBe(0);
  });

  it('stops queueing when the account is removed, and keeps what was queued', async () => {
    const n = outboxRows(db).length;
    setSyncAccount(db, null);
    await stamp('signed-out.txt');
    expect(outboxRows(db)).toHaveLength(n);
  });
});
