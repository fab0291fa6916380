// core/app/verify-any, the one verify use case of CLI and desktop: a dropped folder is routed file by file (PDF alone,
// file + .p7s, file + .tsr, enveloping .p7m by its bytes), each verified in an isolated worker against the trust store
// and the extra anchors; a changed file fails, a named file that fits no route is a clear error, cancel is honoured.
import { appendFileSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { exportReport } from '../../../core/app/export-report.js';
import { inspectTokens } from '../../../core/app/inspect.js';
import { sealAny, type AppContext } from '../../../core/app/seal-any.js';
import { verifyAny, type VerifyAnyContext, type VerifyAnyItem } from '../../../core/app/verify-any.js';
import {
  addTrustAnchor,
  addTsa,
  listTsas,
  openLedger,
  setTsaEnabled,
  type Ledger,
} from '../../../core/ledger/index.js';
import { stampFiles } from '../../../core/stamp/index.js';
import { HttpTimeStampTransport } from '../../../core/tsp/index.js';
import { openssl } from '../../helpers/openssl.js';
import { writeMinimalPdf } from '../../helpers/pdfs.js';
import { createTestPki, type TestPki } from '../../helpers/pki.js';
import { tempDir } from '../../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../../helpers/tsa-server.js';

const work = tempDir('verify-any');
const home = join(work.path, 'home');
const dropped = join(work.path, 'dropped');
let pki: TestPki;
let tsa: LoopbackTsa;
let db: Ledger;
let ctx: VerifyAnyContext;

beforeAll(async () => {
  pki = await createTestPki(join(work.path, 'pki'));
  tsa = await startTsa({ pki });
  mkdirSync(home);
  mkdirSync(dropped);
  db = openLedger(join(home, 'ledger.sqlite'));
  for (const t of listTsas(db)) setTsaEnabled(db, t.slug, false);
  addTsa(db, { slug: 'loop', url: tsa.url, name: 'Loopback TSA' });
  const app: AppContext = {
    db,
    transport: new HttpTimeStampTransport(),
    now: () => new Date(),
    timeoutMs: 20_000,
    home,
  };
  const key = { kind: 'key', keyPath: pki.signer.keyPath, chainPath: pki.signer.chainPath } as const;
  const pdf = writeMinimalPdf(join(work.path, 'contract.pdf'));
  await sealAny(app, [pdf], { signer: key, out: join(dropped, 'contract.pdf') });
  for (const [name, text] of [
    ['notes.txt', 'notes'],
    ['data.csv', 'a,b\n1,2\n'],
    ['random.bin', 'no signature'],
    ['orphan.txt', 'o'],
  ]) {
    writeFileSync(join(dropped, name!), text!);
  }
  await sealAny(app, [join(dropped, 'notes.txt')], { signer: key });
  await stampFiles(app, [join(dropped, 'data.csv'), join(dropped, 'orphan.txt')], { tsa: 'loop' });
  copyFileSync(join(dropped, 'orphan.txt.tsr'), join(dropped, 'lone.tsr'));
  const signed = [
    'cms',
    '-sign',
    '-binary',
    '-nodetach',
    '-in',
    join(dropped, 'random.bin'),
    '-signer',
    pki.signer.certPath,
    '-inkey',
    pki.signer.keyPath,
  ];
  expect(
    (await openssl([...signed, '-md', 'sha256', '-outform', 'DER', '-out', join(dropped, 'enveloped.der'), '-cades']))
      .code,
  ).toBe(0);
  addTrustAnchor(db, {
    subject: 'test root',
    der: pki.root.der,
    notAfter: '2099-01-01T00:00:00Z',
    at: new Date().toISOString(),
  });
  ctx = { db, ledgerPath: join(home, 'ledger.sqlite') };
}, 180_000);
afterAll(async () => {
  db.close();
  await tsa.close();
  work.remove();
});

const summary = (items: readonly VerifyAnyItem[]) =>
  items.map((i) => [
    i.file.slice(dropped.length + 1),
    'error' in i ? (i.error as { code: string }).code : i.kind,
    'error' in i ? null : i.report.indication,
  ]);

it('routes a dropped folder file by file and verifies each against the trust store', async () => {
  const totals: number[] = [];
  const items = await verifyAny(ctx, [dropped], {}, { onItem: (done, total) => totals.push(total) });
  // random.bin (no signature beside it) and lone.tsr (no file of its name) are skipped inside a folder.
  expect(summary(items)).toEqual([
    ['contract.pdf', 'pdf', 'TOTAL-PASSED'],
    ['data.csv', 'tsr', 'TOTAL-PASSED'],
    ['enveloped.der', 'p7m', 'TOTAL-PASSED'],
    ['notes.txt', 'p7s', 'TOTAL-PASSED'],
    ['orphan.txt', 'tsr', 'TOTAL-PASSED'],
  ]);
  expect(totals).toEqual([5, 5, 5, 5, 5, 5]);
  const byName = new Map(items.map((i) => [i.file.slice(dropped.length + 1), i]));
  expect(byName.get('notes.txt')).toMatchObject({
    signature: join(dropped, 'notes.txt.p7s'),
    report: { intact: true, certificate: { trust: 'chained' } },
  });
  expect(byName.get('data.csv')).toMatchObject({
    token: join(dropped, 'data.csv.tsr'),
    report: { verdict: { valid: true, hashMatch: true } },
  });
});

it('a file changed after its seal or stamp fails; the others are untouched by it', async () => {
  const dir = join(work.path, 'changed');
  mkdirSync(dir);
  for (const f of ['notes.txt', 'notes.txt.p7s', 'data.csv', 'data.csv.tsr', 'contract.pdf'])
    copyFileSync(join(dropped, f), join(dir, f));
  appendFileSync(join(dir, 'notes.txt'), ' amended');
  appendFileSync(join(dir, 'data.csv'), '3,4\n');
  const items = await verifyAny(ctx, [
    join(dir, 'notes.txt'),
    join(dir, 'notes.txt.p7s'),
    join(dir, 'data.csv'),
    join(dir, 'data.csv.tsr'),
    join(dir, 'contract.pdf'),
  ]);
  expect(items.map((i) => ['error' in i ? 'error' : i.kind, 'error' in i ? null : i.report.indication])).toEqual([
    ['p7s', 'TOTAL-FAILED'],
    ['tsr', 'TOTAL-FAILED'],
    ['pdf', 'TOTAL-PASSED'],
  ]);
  expect(items[0]).toMatchObject({ report: { hashMatch: false, valid: false } });
  expect(items[1]).toMatchObject({ report: { verdict: { hashMatch: false, valid: false } } });
});

it('named: a file with no signature and a token without its file are errors; --p7s and --tsr name them', async () => {
  const items = await verifyAny(ctx, [
    join(dropped, 'random.bin'),
    join(dropped, 'lone.tsr'),
    join(work.path, 'nowhere.pdf'),
  ]);
  expect(summary(items).map(([, code]) => code)).toEqual(['USAGE', 'USAGE', 'INPUT_UNREADABLE']);
  const [viaFlag] = await verifyAny(ctx, [join(dropped, 'orphan.txt')], { tsr: join(dropped, 'lone.tsr') });
  expect(viaFlag).toMatchObject({ kind: 'tsr', report: { verdict: { valid: true } } });
  await expect(
    verifyAny(ctx, [join(dropped, 'notes.txt'), join(dropped, 'data.csv')], { p7s: join(dropped, 'notes.txt.p7s') }),
  ).rejects.toMatchObject({ code: 'USAGE' });
});

it('extra anchors: without a trust store entry a --trust-dev CA is dev_ca, never TOTAL-PASSED', async () => {
  const other = openLedger(join(work.path, 'empty-ledger.sqlite'));
  try {
    const bare = { db: other, ledgerPath: join(work.path, 'empty-ledger.sqlite') };
    const p7s = { p7s: join(dropped, 'notes.txt.p7s') };
    const [untrusted] = await verifyAny(bare, [join(dropped, 'notes.txt')], p7s);
    const [dev] = await verifyAny(bare, [join(dropped, 'notes.txt')], { ...p7s, trustDev: [pki.root.der] });
    const [trusted] = await verifyAny(bare, [join(dropped, 'notes.txt')], { ...p7s, trust: [pki.root.der] });
    expect(untrusted).toMatchObject({ report: { intact: true, valid: false } });
    expect(dev).toMatchObject({ report: { intact: true, valid: false, certificate: { trust: 'dev_ca' } } });
    expect(trusted).toMatchObject({ report: { intact: true, valid: true, certificate: { trust: 'chained' } } });
  } finally {
    other.close();
  }
});

it('once cancelled, the files not started end as CANCELLED', async () => {
  const controller = new AbortController();
  controller.abort();
  const items = await verifyAny(ctx, [dropped], {}, { signal: controller.signal });
  expect(items).toHaveLength(5);
  expect(items.every((i) => 'error' in i && (i.error as { code: string }).code === 'CANCELLED')).toBe(true);
});

it('cancelled while a file is being read: its worker is stopped, it and the rest end as CANCELLED', async () => {
  const controller = new AbortController();
  const started: string[] = [];
  const second = join(work.path, 'second.pdf');
  copyFileSync(join(dropped, 'contract.pdf'), second);
  const onStarted = (file: string) => {
    started.push(file);
    controller.abort(); // the first file's job is in its worker now
  };
  const inputs = [join(dropped, 'contract.pdf'), second];
  const items = await verifyAny(ctx, inputs, {}, { signal: controller.signal, onStarted, threads: 1 });
  expect(started).toEqual([join(dropped, 'contract.pdf')]);
  const errors = items.map((i) => ('error' in i ? (i.error as { code: string; message: string }) : null));
  expect(errors.map((e) => e?.code)).toEqual(['CANCELLED', 'CANCELLED']);
  expect(errors[0]!.message).toBe(`${join(dropped, 'contract.pdf')}: not verified, cancelled`);
});

it('export-report verifies again and writes HTML, never over a file; inspect reads tokens', async () => {
  const out = join(work.path, 'report.html');
  const done = await exportReport(ctx, [join(dropped, 'contract.pdf')], out, { tool: 'Sealdesk test' });
  expect(done.path).toBe(out);
  const html = readFileSync(out, 'utf8');
  expect(html).toContain(join(dropped, 'contract.pdf'));
  expect(html).toContain('TOTAL-PASSED');
  await expect(exportReport(ctx, [join(dropped, 'contract.pdf')], out, { tool: 'x' })).rejects.toMatchObject({
    code: 'OUTPUT_EXISTS',
  });
  await expect(exportReport(ctx, [dropped], join(work.path, 'r.txt'), { tool: 'x' })).rejects.toMatchObject({
    code: 'USAGE',
  });

  const [token, notToken] = await inspectTokens([join(dropped, 'data.csv.tsr'), join(dropped, 'notes.txt')]);
  expect(token).toMatchObject({
    report: { signer: { subject: expect.stringContaining('Sealdesk Test TSA') }, problems: [] },
  });
  expect(notToken).toMatchObject({ error: { code: 'TOKEN_MALFORMED' } });
});
