// core/app/due-overview.ts against a real SQLite ledger and loopback OpenSSL TSAs: the chains due in a window counted
// by month and by TSA, the table's rows and the dry run's ids, and per enabled TSA whether a new link from it would
// outlast the window — none can: every chain due is no_tsa_extends_protection.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dueOverview } from '../../../core/app/due-overview.js';
import { stampInputs } from '../../../core/app/stamp-files.js';
import { x509 } from '../../../core/asn1/x509.js';
import { addTsa, listTsas, openLedger, setTsaEnabled, type Ledger } from '../../../core/ledger/index.js';
import type { StampContext } from '../../../core/stamp/index.js';
import { HttpTimeStampTransport } from '../../../core/tsp/index.js';
import { expiringTsaCert, withTsa } from '../../helpers/expiring-tsa.js';
import { createTestPki } from '../../helpers/pki.js';
import { tempDir } from '../../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../../helpers/tsa-server.js';

const work = tempDir('app-due');
let soon: LoopbackTsa;
let long: LoopbackTsa;
let soonNotAfter = '';
let db: Ledger;
let ctx: StampContext;
let ids: string[] = [];

beforeAll(async () => {
  const pki = await createTestPki(join(work.path, 'pki'));
  const cert = await expiringTsaCert(pki, { days: 10 });
  soonNotAfter = new Date(new x509.X509Certificate(cert.der).notAfter).toISOString();
  soon = await startTsa({ pki: withTsa(pki, cert) });
  long = await startTsa({ pki });
  db = openLedger(join(work.path, 'ledger.sqlite'));
  for (const t of listTsas(db)) setTsaEnabled(db, t.slug, false); // never the internet
  addTsa(db, { slug: 'soon', url: soon.url, name: 'Soon TSA' });
  addTsa(db, { slug: 'long', url: long.url, name: 'Long TSA' });
  ctx = { db, transport: new HttpTimeStampTransport(), now: () => new Date(), timeoutMs: 30_000 };
  const files = [0, 1, 2].map((i) => {
    const f = join(work.path, `due-${i}.txt`);
    writeFileSync(f, `due ${i} ${Math.random()}`);
    return f;
  });
  const stamped = await stampInputs(ctx, files, { tsa: 'soon' });
  ids = stamped.map((r) => (r.ok ? r.outcome.record.id : ''));
  const other = join(work.path, 'long.txt');
  writeFileSync(other, `long ${Math.random()}`);
  await stampInputs(ctx, [other], { tsa: 'long' }); // runs to 2040: never due here
}, 90_000);
afterAll(async () => {
  db.close();
  await soon.close();
  await long.close();
  work.remove();
});

it('counts the chains due by month and by TSA, lists them, and judges each enabled TSA for the new links', async () => {
  const d = await dueOverview(db, { expiringWithinDays: 30 }, { list: 2, ids: true });
  expect(d.stamps).toEqual({ selected: 3, byMonth: { [soonNotAfter.slice(0, 7)]: 3 }, byTsa: { 'Soon TSA': 3 } });
  expect(d.seals).toEqual({ selected: 0, byMonth: {}, byTsa: {}, ids: [] });
  expect({ total: d.total, byMonth: d.byMonth, byTsa: d.byTsa }).toEqual({
    total: 3,
    byMonth: d.stamps.byMonth,
    byTsa: d.stamps.byTsa,
  });
  expect([...d.ids!].sort()).toEqual([...ids].sort());
  expect(d.items).toHaveLength(2); // the table's limit; the counts cover all
  expect(d.items![0]).toMatchObject({
    kind: 'stamp',
    tsaName: 'Soon TSA',
    tsaCertNotAfter: soonNotAfter,
    hashAlgorithm: 'sha512',
  });
  expect(d.tsas.map((v) => [v.slug, v.reason])).toEqual([
    ['soon', 'expires_in_window'],
    ['long', 'extends'],
  ]);
  expect(d.noTsaExtendsProtection).toBe(0);
  expect(d.unfinished).toBeNull();
  expect(new Date(d.before).getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);
});

it('a window the certificates outlast holds nothing; a named TSA gets no verdicts', async () => {
  const d = await dueOverview(db, { expiringWithinDays: 5, tsa: 'long' });
  expect(d).toMatchObject({ total: 0, tsas: [], noTsaExtendsProtection: 0 });
  expect(d.ids).toBeUndefined();
  expect(d.items).toBeUndefined();
});

it('when no enabled TSA outlasts the window, every chain due is no_tsa_extends_protection (nothing would be asked)', async () => {
  setTsaEnabled(db, 'long', false);
  try {
    const d = await dueOverview(db, { expiringWithinDays: 30 });
    expect(d.tsas.map((v) => v.slug)).toEqual(['soon']);
    expect(d.noTsaExtendsProtection).toBe(3);
  } finally {
    setTsaEnabled(db, 'long', true);
  }
});
