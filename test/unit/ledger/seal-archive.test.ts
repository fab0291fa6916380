// Ledger v8: seals due for restamping found by an index range scan; intents and seal journal items round-trip.
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import {
  EXPIRING_SEALS_SQL,
  STALE_PROTECTION_SQL,
  addJobSeals,
  clearIntent,
  createRestampJob,
  expiringSeals,
  getIntent,
  insertOperation,
  jobSeals,
  markJobSeal,
  openLedger,
  recordIntent,
  setProtectedUntil,
  staleProtection,
} from '../../../core/ledger/index.js';
import { tempDir } from '../../helpers/tmp.js';

const work = tempDir('seal-archive');
afterAll(() => work.remove());

it('selects the seals protected until before a date through operations_by_protected_until, soonest first; stale ones until read', () => {
  const db = openLedger(join(work.path, 'ledger.sqlite'));
  const add = (id: string, sha: string) =>
    insertOperation(db, {
      id,
      documentSha512: 'd'.repeat(128),
      label: null,
      status: 'success',
      signatureType: 'pades',
      certificateId: null,
      certLabel: null,
      filePath: null,
      outputPath: `/x/${id}.pdf`,
      outputSha256: sha.repeat(64),
      signature: null,
      tsaName: 'T',
      requestedTsa: 'auto',
      createdAt: '2026-01-01T00:00:00Z',
    });
  db.transaction(() => {
    for (let i = 0; i < 2000; i++) add(`far-${i}`, 'a');
    add('later', 'b');
    add('sooner', 'c');
    add('unread', 'd');
  })();
  expect(staleProtection(db, 5000)).toHaveLength(2003);
  db.transaction(() => {
    for (let i = 0; i < 2000; i++) setProtectedUntil(db, `far-${i}`, '2040-01-01T00:00:00.000Z', 'a'.repeat(64));
    setProtectedUntil(db, 'later', '2027-03-01T00:00:00.000Z', 'b'.repeat(64));
    setProtectedUntil(db, 'sooner', '2027-02-01T00:00:00.000Z', 'c'.repeat(64));
  })();
  expect(staleProtection(db).map((s) => s.id)).toEqual(['unread']);
  expect(expiringSeals(db, new Date('2028-01-01T00:00:00Z')).map((s) => s.id)).toEqual(['sooner', 'later']);
  const plan = (
    db.prepare(`EXPLAIN QUERY PLAN ${EXPIRING_SEALS_SQL}`).all('2028-01-01T00:00:00Z') as { detail: string }[]
  )
    .map((r) => r.detail)
    .join('\n');
  expect(plan).toMatch(
    /SEARCH operations USING INDEX operations_by_protected_until \((protected_until>\? AND )?protected_until<\?\)/,
  );
  expect(plan).not.toMatch(/SCAN operations/);
  // The stale ones too: a partial index holding only them, so 2,000 seals read already cost nothing per selection.
  const stalePlan = (db.prepare(`EXPLAIN QUERY PLAN ${STALE_PROTECTION_SQL}`).all(1000) as { detail: string }[])
    .map((r) => r.detail)
    .join('\n');
  expect(stalePlan).toMatch(/USING (COVERING )?INDEX operations_stale_protection/);

  recordIntent(db, {
    operationId: 'sooner',
    sha256: 'e'.repeat(64),
    size: 10,
    level: 'B-LTA',
    tsaName: 'T',
    at: '2026-12-01T00:00:00Z',
  });
  expect(getIntent(db, 'sooner')).toMatchObject({ sha256: 'e'.repeat(64), level: 'B-LTA' });
  clearIntent(db, 'sooner');
  expect(getIntent(db, 'sooner')).toBeUndefined();

  const job = createRestampJob(
    db,
    { createdAt: '2026-12-01T00:00:00Z', before: '2027-12-01T00:00:00Z', includeWeak: false, tsa: 'auto' },
    [],
  );
  addJobSeals(db, job.id, ['sooner', 'later']);
  addJobSeals(db, job.id, ['sooner']); // once per run
  markJobSeal(db, job.id, 'later', 'failed', 'no TSA answered');
  expect(jobSeals(db, job.id)).toEqual([
    { operationId: 'sooner', state: 'pending', error: null },
    { operationId: 'later', state: 'failed', error: 'no TSA answered' },
  ]);
  db.close();
});
