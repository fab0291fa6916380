// The bulk-restamp selection stays an index range scan (checked with EXPLAIN QUERY PLAN) and picks only newest links.
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { EXPIRING_SQL, WEAK_SQL, expiringLinks, insertStamp, openLedger } from '../../../core/ledger/index.js';
import { tempDir } from '../../helpers/tmp.js';

const work = tempDir('expiring');
afterAll(() => work.remove());

it('uses the expiry and parent indexes, and returns the newest link of each expiring chain', () => {
  const db = openLedger(join(work.path, 'ledger.sqlite'));
  const token = (notAfter: string, tsr: number) => ({ tsaSlug: 'x', tsaName: 'X', genTime: '2026-01-01T00:00:00.000Z', serialHex: '01', policyOid: '1.2', tsaCertNotAfter: notAfter, tsr: new Uint8Array([tsr]), tsrSha256: 'a'.repeat(64), qualified: false });
  const add = (id: string, notAfter: string, parentId: string | null = null, alg: 'sha1' | 'sha512' = 'sha512') =>
    insertStamp(db, { id, fileSha512: 'f'.repeat(128), imprintAlgorithm: alg, imprint: new Uint8Array(alg === 'sha1' ? 20 : 64), label: null, filePath: null, tsrPath: null, requestedTsa: 'auto', createdAt: '2026-01-01T00:00:00Z', token: token(notAfter, 1), parentId });
  db.transaction(() => {
    for (let i = 0; i < 5000; i++) add(`far-${i}`, '2040-01-01T00:00:00.000Z');
    add('soon-root', '2027-01-01T00:00:00.000Z');
    add('soon-child', '2027-02-01T00:00:00.000Z', 'soon-root');
    add('alone', '2027-03-01T00:00:00.000Z');
    add('weak', '2040-01-01T00:00:00.000Z', null, 'sha1');
  })();
  const ids = (o: { includeWeak?: boolean }) => expiringLinks(db, { before: new Date('2028-01-01T00:00:00Z'), ...o }).map((r) => r.id);
  expect(ids({})).toEqual(['soon-child', 'alone']);
  expect(ids({ includeWeak: true }).sort()).toEqual(['alone', 'soon-child', 'weak']);
  const plan = (q: string) => (db.prepare(`EXPLAIN QUERY PLAN ${q}`).all(...(q.includes('?') ? ['2028-01-01T00:00:00Z'] : [])) as { detail: string }[]).map((r) => r.detail).join('\n');
  expect(plan(EXPIRING_SQL)).toMatch(/SEARCH s USING INDEX stamps_by_cert_expiry \(tsa_cert_not_after<\?\)/);
  expect(plan(EXPIRING_SQL)).toMatch(/SEARCH c USING (COVERING )?INDEX stamps_by_parent \(parent_id=\?\)/);
  expect(plan(WEAK_SQL)).toMatch(/USING INDEX stamps_weak_imprint/);
  expect(plan(EXPIRING_SQL)).not.toMatch(/SCAN s\b/);
  db.close();
});
