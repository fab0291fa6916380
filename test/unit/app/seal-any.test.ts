// core/app/seal-any, the one seal use case of CLI and desktop: routed by first bytes (PDF → PAdES judged by pdfsig
// and qpdf, other files → CAdES judged by `openssl cms -verify`), every option carried (contact, RSA-PSS, level,
// tsa, label: kept in the ledger), folders expanded without their seals, inputs never changed, options refused
// before any key is opened.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sealAny, type AppContext, type SealAnyItem } from '../../../core/app/seal-any.js';
import type { SecretNeed } from '../../../core/app/open-signer.js';
import {
  addTsa,
  getOperation,
  listOperations,
  listTsas,
  openLedger,
  setTsaEnabled,
  type Ledger,
} from '../../../core/ledger/index.js';
import { HttpTimeStampTransport } from '../../../core/tsp/index.js';
import { openssl } from '../../helpers/openssl.js';
import { createNssDb, pdfsigVerify, qpdfObjects, signatureValues } from '../../helpers/pdf-judges.js';
import { writeMinimalPdf } from '../../helpers/pdfs.js';
import { createTestPki, type TestPki } from '../../helpers/pki.js';
import { tempDir } from '../../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../../helpers/tsa-server.js';

const work = tempDir('seal-any');
let pki: TestPki;
let tsa: LoopbackTsa;
let nss: string;
let db: Ledger;
let ctx: AppContext;
let n = 0;

beforeAll(async () => {
  pki = await createTestPki(join(work.path, 'pki'));
  tsa = await startTsa({ pki });
  nss = await createNssDb(pki.root.certPath);
  const home = join(work.path, 'home');
  mkdirSync(home);
  db = openLedger(join(home, 'ledger.sqlite'));
  for (const t of listTsas(db)) setTsaEnabled(db, t.slug, false);
  addTsa(db, { slug: 'loop', url: tsa.url, name: 'Loopback TSA' });
  ctx = { db, transport: new HttpTimeStampTransport(), now: () => new Date(), timeoutMs: 20_000, home };
}, 120_000);
afterAll(async () => {
  db.close();
  await tsa.close();
  work.remove();
});

function folder(): string {
  const dir = join(work.path, `files-${++n}`);
  mkdirSync(dir);
  return dir;
}
const sha256 = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
const keySpec = () => ({ kind: 'key', keyPath: pki.signer.keyPath, chainPath: pki.signer.chainPath }) as const;
const ok = (i: SealAnyItem | undefined) => {
  if (!i || 'error' in i) throw new Error(`not sealed: ${JSON.stringify(i)}`);
  return i;
};

async function cmsVerifies(p7s: string, content: string): Promise<boolean> {
  const args = [
    'cms',
    '-verify',
    '-binary',
    '-inform',
    'DER',
    '-in',
    p7s,
    '-content',
    content,
    '-CAfile',
    pki.caFile,
    '-purpose',
    'any',
  ];
  return (await openssl([...args, '-out', '/dev/null'])).code === 0;
}

it('routes by first bytes: a PDF named .bin gets PAdES with its contact, a text file an RSA-PSS .p7s', async () => {
  const dir = folder();
  const pdf = writeMinimalPdf(join(dir, 'scan.bin'));
  const txt = join(dir, 'notes.txt');
  writeFileSync(txt, 'minutes of the meeting\n');
  const before = [sha256(pdf), sha256(txt)];
  const options = { signer: keySpec(), contact: 'seals@example.org', reason: 'approved', rsaPss: true, label: 'batch' };
  const [a, b] = await sealAny(ctx, [pdf, txt], options);

  const sealedPdf = ok(a);
  expect(sealedPdf).toMatchObject({
    file: pdf,
    kind: 'pades',
    outcome: { level: 'B-T', timestampedBy: 'Loopback TSA' },
  });
  expect(sealedPdf.outcome.outputPath).toBe(join(dir, 'scan_sealed.bin'));
  expect(await pdfsigVerify(sealedPdf.outcome.outputPath, nss)).toMatchObject([
    { signatureValid: true, certificateTrusted: true },
  ]);
  const [sig] = signatureValues(await qpdfObjects(sealedPdf.outcome.outputPath));
  expect(sig!.dict).toMatchObject({ '/ContactInfo': 'u:seals@example.org', '/Reason': 'u:approved' });

  const p7s = ok(b);
  expect(p7s).toMatchObject({
    file: txt,
    kind: 'cades',
    outcome: { outputPath: `${txt}.p7s`, timestampedBy: 'Loopback TSA' },
  });
  expect(await cmsVerifies(`${txt}.p7s`, txt)).toBe(true);
  const printed = await openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', `${txt}.p7s`]);
  expect(printed.stdout).toContain('rsassaPss');
  expect([sha256(pdf), sha256(txt)]).toEqual(before);
  // --label (the Seal view's Label field): kept on each operation of the ledger, found by History's search.
  const ids = [sealedPdf.outcome.operation.id, p7s.outcome.operation.id];
  expect(ids.map((id) => getOperation(db, id)?.label)).toEqual(['batch', 'batch']);
  const found = listOperations(db, { search: 'batch', page: 1, pageSize: 10 }).items.map((o) => o.id);
  expect(found.sort()).toEqual([...ids].sort());
});

it('expands a folder without its hidden files and seals; an unreadable input fails alone, in its place', async () => {
  const dir = folder();
  const inner = join(dir, 'in');
  mkdirSync(inner);
  writeFileSync(join(inner, 'a.txt'), 'a');
  writeFileSync(join(inner, 'old.txt.p7s'), 'an earlier seal');
  writeFileSync(join(inner, '.hidden'), 'h');
  const missing = join(dir, 'missing.txt');
  const items = await sealAny(ctx, [missing, inner], { signer: keySpec(), tsa: 'none' });
  expect(items.map((i) => [i.file, 'error' in i ? (i.error as { code: string }).code : i.kind])).toEqual([
    [missing, 'INPUT_UNREADABLE'],
    [join(inner, 'a.txt'), 'cades'],
  ]);
  expect(readdirSync(inner).sort()).toEqual(['.hidden', 'a.txt', 'a.txt.p7s', 'old.txt.p7s']);
  expect(await cmsVerifies(join(inner, 'a.txt.p7s'), join(inner, 'a.txt'))).toBe(true);
});

it('--tsa none makes PAdES B-B; a level needing a time-stamp without a TSA is refused, no key asked', async () => {
  const dir = folder();
  const pdf = writeMinimalPdf(join(dir, 'doc.pdf'));
  const [item] = await sealAny(ctx, [pdf], { signer: keySpec(), tsa: 'none' });
  expect(ok(item).outcome).toMatchObject({ level: 'B-B', timestampedBy: null, queued: false });

  const asked: SecretNeed[] = [];
  const ask = async (need: SecretNeed) => (asked.push(need), 'never used');
  const p12 = { kind: 'p12', path: join(dir, 'none.p12') } as const;
  await expect(sealAny(ctx, [pdf], { signer: p12, tsa: 'none', level: 'B-LT' }, { ask })).rejects.toMatchObject({
    code: 'USAGE',
  });
  const out = join(dir, 'not-a-folder.pdf');
  await expect(sealAny(ctx, [pdf, pdf + '.x'], { signer: p12, out }, { ask })).rejects.toMatchObject({ code: 'USAGE' });
  await expect(sealAny(ctx, [pdf], { signer: p12, visible: '1:nonsense' }, { ask })).rejects.toMatchObject({
    code: 'USAGE',
  });
  expect(asked).toEqual([]);
});

it('a PKCS#12 without its password asks for it once (never stored); with no one to ask it is KEY_LOCKED', async () => {
  const dir = folder();
  const p12 = join(dir, 'seal.p12');
  const exported = await openssl([
    'pkcs12',
    '-export',
    '-inkey',
    pki.signer.keyPath,
    '-in',
    pki.signer.certPath,
    '-certfile',
    pki.caFile,
    '-passout',
    'pass:s3cret',
    '-out',
    p12,
  ]);
  expect(exported.code).toBe(0);
  const txt = join(dir, 'x.txt');
  writeFileSync(txt, 'x');
  await expect(sealAny(ctx, [txt], { signer: { kind: 'p12', path: p12 }, tsa: 'none' })).rejects.toMatchObject({
    code: 'KEY_LOCKED',
  });
  expect(existsSync(`${txt}.p7s`)).toBe(false);

  const asked: SecretNeed[] = [];
  const ask = async (need: SecretNeed) => (asked.push(need), 's3cret');
  const [item] = await sealAny(ctx, [txt], { signer: { kind: 'p12', path: p12 }, tsa: 'none' }, { ask });
  expect(ok(item).kind).toBe('cades');
  expect(asked).toEqual([{ kind: 'password', what: 'the PKCS#12 password' }]);
  expect(await cmsVerifies(`${txt}.p7s`, txt)).toBe(true);
});

it('once cancelled, the files not started end as CANCELLED and nothing is written for them', async () => {
  const dir = folder();
  const files = [1, 2, 3].map((i) => {
    const p = join(dir, `f${i}.txt`);
    writeFileSync(p, `file ${i}`);
    return p;
  });
  const controller = new AbortController();
  const progress: number[] = [];
  const items = await sealAny(
    ctx,
    files,
    { signer: keySpec(), tsa: 'none' },
    {
      signal: controller.signal,
      concurrency: 1,
      onItem: (done) => {
        progress.push(done);
        controller.abort();
      },
    },
  );
  expect(items.map((i) => ('error' in i ? (i.error as { code: string }).code : i.kind))).toEqual([
    'cades',
    'CANCELLED',
    'CANCELLED',
  ]);
  expect(progress).toEqual([1, 2, 3]);
  expect(readdirSync(dir).sort()).toEqual(['f1.txt', 'f1.txt.p7s', 'f2.txt', 'f3.txt']);
});
