// The bulk-restamp selection stays an index range scan (checked with EXPLAIN QUERY PLAN) and picks only newest links.
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import {
  EXPIRING_LIGHT_SQL,
  EXPIRING_SQL,
  JOB_PAGE_SQL,
  WEAK_LIGHT_SQL,
  WEAK_SQL,
  countRestampJob,
  createRestampJobFor,
  expiringLinkFacts,
  expiringLinks,
  insertStamp,
  markRestampItem,
  openLedger,
  restampJobItems,
  restampJobPage,
} from '../../../core/ledger/index.js';
import { countDue } from '../../../core/archive/due-counts.js';
import { tempDir } from '../../helpers/tmp.js';

const work = tempDir('expiring');
afterAll(() => work.remove());

it('uses the expiry and parent indexes, and returns the newest link of each expiring chain', () => {
  const db = openLedger(join(work.path, 'ledger.sqlite'));
  const token = (notAfter: string, tsr: number) => ({
    tsaSlug: 'x',
    tsaName: 'X',
    genTime: '2026-01-01T00:00:00.000Z',
    serialHex: '01',
    policyOid: '1.2',
    tsaCertNotAfter: notAfter,
    tsr: new Uint8Array([tsr]),
    tsrSha256: 'a'.repeat(64),
    qualified: false,
  });
  const add = (id: string, notAfter: string, parentId: string | null = null, alg: 'sha1' | 'sha512' = 'sha512') =>
    insertStamp(db, {
      id,
      fileSha512: 'f'.repeat(128),
      imprintAlgorithm: alg,
      imprint: new Uint8Array(alg === 'sha1' ? 20 : 64),
      label: null,
      filePath: null,
      tsrPath: null,
      requestedTsa: 'auto',
      createdAt: '2026-01-01T00:00:00Z',
      token: token(notAfter, 1),
      parentId,
    });
  db.transaction(() => {
    for (let i = 0; i < 5000; i++) add(`far-${i}`, '2040-01-01T00:00:00.000Z');
    add('soon-root', '2027-01-01T00:00:00.000Z');
    add('soon-child', '2027-02-01T00:00:00.000Z', 'soon-root');
    add('alone', '2027-03-01T00:00:00.000Z');
    add('weak', '2040-01-01T00:00:00.000Z', null, 'sha1');
  })();
  const ids = (o: { includeWeak?: boolean }) =>
    expiringLinks(db, { before: new Date('2028-01-01T00:00:00Z'), ...o }).map((r) => r.id);
  expect(ids({})).toEqual(['soon-child', 'alone']);
  expect(ids({ includeWeak: true }).sort()).toEqual(['alone', 'soon-child', 'weak']);
  const plan = (q: string) =>
    (
      db.prepare(`EXPLAIN QUERY PLAN ${q}`).all(...(q.includes('?') ? ['2028-01-01T00:00:00Z'] : [])) as {
        detail: string;
      }[]
    )
      .map((r) => r.detail)
      .join('\n');
  expect(plan(EXPIRING_SQL)).toMatch(/SEARCH s USING INDEX stamps_by_cert_expiry \(tsa_cert_not_after<\?\)/);
  expect(plan(EXPIRING_SQL)).toMatch(/SEARCH c USING (COVERING )?INDEX stamps_by_parent \(parent_id=\?\)/);
  expect(plan(WEAK_SQL)).toMatch(/USING INDEX stamps_weak_imprint/);
  expect(plan(EXPIRING_SQL)).not.toMatch(/SCAN s\b/);
  // The blob-free selection a bulk run journals and counts plans the same way.
  expect(plan(EXPIRING_LIGHT_SQL)).toMatch(/SEARCH s USING INDEX stamps_by_cert_expiry \(tsa_cert_not_after<\?\)/);
  expect(plan(EXPIRING_LIGHT_SQL)).toMatch(/SEARCH c USING (COVERING )?INDEX stamps_by_parent \(parent_id=\?\)/);
  expect(plan(EXPIRING_LIGHT_SQL)).not.toMatch(/SCAN s\b/);
  expect(plan(WEAK_LIGHT_SQL)).toMatch(/USING INDEX stamps_weak_imprint/);
  const before = new Date('2028-01-01T00:00:00Z');
  expect([...expiringLinkFacts(db, { before })]).toEqual([
    { id: 'soon-child', tsaName: 'X', tsaCertNotAfter: '2027-02-01T00:00:00.000Z', imprintAlgorithm: 'sha512' },
    { id: 'alone', tsaName: 'X', tsaCertNotAfter: '2027-03-01T00:00:00.000Z', imprintAlgorithm: 'sha512' },
  ]);
  expect(countDue(expiringLinkFacts(db, { before, includeWeak: true }))).toEqual(
    countDue(expiringLinks(db, { before, includeWeak: true })),
  );
  db.close();
});

it('journals the selection inside SQLite and pages through it by rowid, never scanning the whole journal', () => {
  const db = openLedger(join(work.path, 'journal.sqlite'));
  const add = (id: string, notAfter: string) =>
    insertStamp(db, {
      id,
      fileSha512: 'f'.repeat(128),
      imprintAlgorithm: 'sha512',
      imprint: new Uint8Array(64),
      label: null,
      filePath: null,
      tsrPath: null,
      requestedTsa: 'auto',
      createdAt: '2026-01-01T00:00:00Z',
      token: {
        tsaSlug: 'x',
        tsaName: 'X',
        genTime: '2026-01-01T00:00:00.000Z',
        serialHex: '01',
        policyOid: '1.2',
        tsaCertNotAfter: notAfter,
        tsr: new Uint8Array([1]),
        tsrSha256: 'a'.repeat(64),
        qualified: false,
      },
    });
  db.transaction(() => {
    for (let i = 0; i < 10; i++) add(`s${i}`, `2027-01-${String(20 - i).padStart(2, '0')}T00:00:00.000Z`);
    add('late', '2040-01-01T00:00:00.000Z');
  })();
  const before = new Date('2028-01-01T00:00:00Z');
  const job = createRestampJobFor(
    db,
    { createdAt: '2026-06-01T00:00:00Z', before: before.toISOString(), includeWeak: false, tsa: 'auto' },
    { before },
  );
  const all = restampJobItems(db, job.id).map((i) => i.stampId);
  expect(all).toEqual(Array.from({ length: 10 }, (_, i) => `s${9 - i}`)); // soonest expiry first, 'late' not selected
  markRestampItem(db, job.id, 's7', 'done', { newId: 'n7' });
  markRestampItem(db, job.id, 's4', 'failed', { error: 'down' });
  expect(countRestampJob(db, job.id)).toEqual({ total: 10, done: 1, failed: 1, pending: 8 });
  const pages: string[][] = [];
  for (
    let p = restampJobPage(db, job.id, { after: 0, limit: 4, todo: true });
    p.length > 0;
    p = restampJobPage(db, job.id, { after: p.at(-1)!.seq, limit: 4, todo: true })
  )
    pages.push(p.map((i) => i.stampId));
  expect(pages).toEqual([['s9', 's8', 's6', 's5'], ['s4', 's3', 's2', 's1'], ['s0']]); // done skipped, failed retried
  expect(restampJobPage(db, job.id, { after: 0, limit: 100 })).toHaveLength(10);
  const pagePlan = (db.prepare(`EXPLAIN QUERY PLAN ${JOB_PAGE_SQL}`).all(0, job.id, 1, 4) as { detail: string }[])
    .map((r) => r.detail)
    .join('\n');
  expect(pagePlan).toMatch(/SEARCH restamp_job_items USING INTEGER PRIMARY KEY \(rowid>\?\)/);
  expect(pagePlan).not.toMatch(/TEMP B-TREE/);
  db.close();
});
