// `sealdesk seal <file.pdf>`: PAdES B-B … B-LTA judged by pdfsig (NSS db trusting the test CA), mutool, qpdf and
// OpenSSL, with a loopback OpenSSL TSA and OpenSSL's OCSP responder / CRL on loopback.
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cliRunner, isolateTsas } from '../helpers/cli.js';
import { closedPortUrl } from '../helpers/net.js';
import { startRevocationServer, type RevocationServer } from '../helpers/ocsp-responder.js';
import { openssl } from '../helpers/openssl.js';
import {
  addNssSigner,
  createNssDb,
  darkShareInBox,
  dssStreams,
  mutoolVerify,
  pdfsigAddSignature,
  pdfsigVerify,
  qpdfCheck,
  qpdfObjects,
  signatureValues,
  signedBytes,
} from '../helpers/pdf-judges.js';
import { brokenXrefPdf, qpdfVariant, writeMinimalPdf } from '../helpers/pdfs.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { tempDir } from '../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';

const work = tempDir('pades');
let pki: TestPki;
let tsa: LoopbackTsa;
let nss: string;
let home: string;
let dir: string;
let sealdesk: ReturnType<typeof cliRunner>;
let n = 0;

beforeAll(async () => {
  pki = await createTestPki(join(work.path, 'pki'));
  tsa = await startTsa({ pki });
  nss = await createNssDb(pki.root.certPath);
});
afterAll(async () => {
  await tsa.close();
  work.remove();
});
beforeEach(async () => {
  n++;
  home = join(work.path, `home-${n}`);
  dir = join(work.path, `files-${n}`);
  mkdirSync(dir, { recursive: true });
  sealdesk = cliRunner({ SEALDESK_HOME: home, SEALDESK_TSA_TIMEOUT_MS: '1500' });
  await isolateTsas(sealdesk);
  expect((await sealdesk('tsa', 'add', 'loop', tsa.url, '--name', 'Loopback TSA')).code).toBe(0);
});

const sha256 = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
const withSigner = (c = pki.signer) => ['--key', c.keyPath, '--chain', c.chainPath];

/** `openssl cms -verify` of a PAdES signature over its byte ranges, against the test root. */
async function cmsVerifies(pdf: string, index: number): Promise<boolean> {
  const sig = signatureValues(await qpdfObjects(pdf)).filter((s) => s.type === '/Sig')[index]!;
  writeFileSync(join(dir, 'sig.der'), sig.contents);
  writeFileSync(join(dir, 'signed.bin'), signedBytes(readFileSync(pdf), sig.byteRange));
  const r = await openssl([
    'cms',
    '-verify',
    '-binary',
    '-inform',
    'DER',
    '-in',
    join(dir, 'sig.der'),
    '-content',
    join(dir, 'signed.bin'),
    '-CAfile',
    pki.root.certPath,
    '-purpose',
    'any',
    '-out',
    '/dev/null',
  ]);
  return r.code === 0;
}

/** The document time-stamp checked by `openssl ts -verify` over exactly the bytes its /ByteRange names. */
async function docTimestampVerifies(pdf: string): Promise<boolean> {
  const ts = signatureValues(await qpdfObjects(pdf))
    .filter((s) => s.type === '/DocTimeStamp')
    .at(-1)!;
  expect(ts.subFilter).toBe('/ETSI.RFC3161');
  writeFileSync(join(dir, 'doc.tst'), ts.contents);
  writeFileSync(join(dir, 'doc.bin'), signedBytes(readFileSync(pdf), ts.byteRange));
  const r = await openssl([
    'ts',
    '-verify',
    '-token_in',
    '-in',
    join(dir, 'doc.tst'),
    '-data',
    join(dir, 'doc.bin'),
    '-CAfile',
    pki.root.certPath,
    '-untrusted',
    pki.tsa.certPath,
  ]);
  return r.code === 0 && /Verification: OK/.test(r.stdout);
}

describe('PAdES seals judged by pdfsig, mutool, qpdf and OpenSSL', () => {
  it("B-T with a CA-issued key: valid, trusted, whole document; the input is untouched and is the output's prefix", async () => {
    const input = writeMinimalPdf(join(dir, 'contract.pdf'));
    const before = readFileSync(input);
    const r = await sealdesk(
      'seal',
      input,
      ...withSigner(),
      '--reason',
      'Approved by legal',
      '--location',
      'Oslo',
      '--label',
      'C-42',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const out = join(dir, 'contract_sealed.pdf');
    expect(r.json()).toMatchObject({
      format: 'pades',
      level: 'B-T',
      requestedLevel: 'B-T',
      timestampedBy: 'Loopback TSA',
      outputPath: out,
      queued: false,
      qualified: false,
    });
    expect(readFileSync(input).equals(before)).toBe(true);
    expect(readFileSync(out).subarray(0, before.length).equals(before)).toBe(true);
    const [sig] = await pdfsigVerify(out, nss);
    expect(sig, sig?.raw).toMatchObject({
      signatureValid: true,
      certificateTrusted: true,
      wholeDocument: true,
      subFilter: 'ETSI.CAdES.detached',
    });
    expect((await mutoolVerify(out))[0]).toMatchObject({ digestOk: true, unchanged: true });
    expect((await qpdfCheck(out)).ok).toBe(true);
    expect(await cmsVerifies(out, 0)).toBe(true);
    const [value] = signatureValues(await qpdfObjects(out));
    expect(value!.dict).toMatchObject({
      '/Filter': '/Adobe.PPKLite',
      '/Reason': 'u:Approved by legal',
      '/Location': 'u:Oslo',
    });
    const si = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(new Uint8Array(value!.contents)).content })
      .signerInfos;
    expect(si).toHaveLength(1);
    // PAdES baseline: content-type, message-digest, ESS signing-certificate-v2 — no signing-time (the claimed time is /M).
    expect(si[0]!.signedAttrs!.attributes.map((a) => a.type).sort()).toEqual([
      '1.2.840.113549.1.9.16.2.47',
      '1.2.840.113549.1.9.3',
      '1.2.840.113549.1.9.4',
    ]);
    expect(si[0]!.unsignedAttrs!.attributes.map((a) => a.type)).toEqual(['1.2.840.113549.1.9.16.2.14']);
    expect(value!.dict['/M']).toMatch(/^u:D:\d{14}\+00'00'$/);
    const ops = (await sealdesk('operations', '--json')).json();
    expect(ops.items[0]).toMatchObject({ signatureType: 'pades', label: 'C-42' });
  });

  it('the default seal, no TSA (B-B): valid signature, self-signed, never overwrites an existing output', async () => {
    const input = writeMinimalPdf(join(dir, 'memo.pdf'));
    const r = await sealdesk('seal', input, '--tsa', 'none', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ level: 'B-B', timestampedBy: 'none' });
    const [sig] = await pdfsigVerify(join(dir, 'memo_sealed.pdf'), nss);
    expect(sig).toMatchObject({ signatureValid: true, certificateTrusted: false, wholeDocument: true });
    const existing = sha256(join(dir, 'memo_sealed.pdf'));
    const again = await sealdesk('seal', input, '--tsa', 'none', '--json');
    expect(again.code).toBe(2);
    expect(again.json()).toMatchObject({ code: 'OUTPUT_EXISTS' });
    expect(sha256(join(dir, 'memo_sealed.pdf'))).toBe(existing);
  });

  it.each(['xref-stream', 'linearized'] as const)(
    'a %s file gets a revision of the same cross-reference kind and stays valid',
    async (kind) => {
      const input = await qpdfVariant(
        writeMinimalPdf(join(dir, 'base.pdf'), { pages: 3 }),
        kind,
        join(dir, `${kind}.pdf`),
      );
      const r = await sealdesk('seal', input, ...withSigner(pki.signerEc), '--json');
      expect(r.code, r.stderr).toBe(0);
      const out = r.json().outputPath as string;
      const appended = readFileSync(out).subarray(readFileSync(input).length).toString('latin1');
      expect(/\/Type\s*\/XRef/.test(appended)).toBe(kind === 'xref-stream');
      expect(/\nxref\n/.test(appended)).toBe(kind !== 'xref-stream');
      expect((await qpdfCheck(out)).ok).toBe(true);
      expect(await pdfsigVerify(out, nss)).toMatchObject([
        { signatureValid: true, certificateTrusted: true, wholeDocument: true },
      ]);
    },
  );

  it('three successive seals — ours, ours, then pdfsig -add-signature — leave every signature valid', async () => {
    const input = writeMinimalPdf(join(dir, 'deal.pdf'), { pages: 2 });
    expect((await sealdesk('seal', input, ...withSigner(), '--out', join(dir, 'one.pdf'))).code).toBe(0);
    expect(
      (
        await sealdesk(
          'seal',
          join(dir, 'one.pdf'),
          ...withSigner(pki.signerEc),
          '--tsa',
          'none',
          '--visible',
          '2:300,60,220,60',
          '--out',
          join(dir, 'two.pdf'),
        )
      ).code,
    ).toBe(0);
    await addNssSigner(nss, pki.signer, `cosigner-${n}`);
    await pdfsigAddSignature(nss, `cosigner-${n}`, join(dir, 'two.pdf'), join(dir, 'three.pdf'));
    const sigs = await pdfsigVerify(join(dir, 'three.pdf'), nss);
    expect(sigs.map((s) => [s.signatureValid, s.certificateTrusted])).toEqual([
      [true, true],
      [true, true],
      [true, true],
    ]);
    expect(sigs.map((s) => s.wholeDocument)).toEqual([false, false, true]);
    expect((await qpdfCheck(join(dir, 'three.pdf'))).ok).toBe(true);
  });

  it('B-LTA: a document time-stamp over everything (OpenSSL verifies it over exactly its byte range), after a DSS with both chains', async () => {
    const input = writeMinimalPdf(join(dir, 'archive.pdf'));
    const r = await sealdesk('seal', input, ...withSigner(), '--level', 'B-LTA', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ level: 'B-LTA', requestedLevel: 'B-LTA', queued: false });
    const out = r.json().outputPath as string;
    expect(await docTimestampVerifies(out)).toBe(true);
    const objs = await qpdfObjects(out);
    const certs = dssStreams(objs, '/Certs').map((c) => c.toString('base64'));
    for (const c of [pki.signer.der, pki.root.der, pki.tsa.der])
      expect(certs).toContain(Buffer.from(c).toString('base64'));
    const sigs = await pdfsigVerify(out, nss);
    expect(sigs[0]).toMatchObject({ signatureValid: true, certificateTrusted: true });
    expect(sigs[1]!.wholeDocument).toBe(true);
    expect((await qpdfCheck(out)).ok).toBe(true);
  });
});

describe('B-LT with revocation data from loopback OCSP and CRL', () => {
  let rev: RevocationServer;
  beforeAll(async () => {
    rev = await startRevocationServer(pki);
  });
  afterAll(async () => rev.close());

  it('embeds the OCSP response (OpenSSL reads it as good for the signer), asked again for the next seal', async () => {
    const input = writeMinimalPdf(join(dir, 'lt.pdf'));
    const r = await sealdesk('seal', input, ...withSigner(rev.signer), '--level', 'B-LT', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ level: 'B-LT', queued: false });
    const ocsps = dssStreams(await qpdfObjects(r.json().outputPath), '/OCSPs');
    expect(ocsps).toHaveLength(1);
    writeFileSync(join(dir, 'r.der'), ocsps[0]!);
    const o = await openssl([
      'ocsp',
      '-respin',
      join(dir, 'r.der'),
      '-sha256',
      '-issuer',
      pki.root.certPath,
      '-cert',
      rev.signer.certPath,
      '-CAfile',
      pki.root.certPath,
    ]);
    expect(o.stdout + o.stderr).toMatch(/Response verify OK/);
    expect(o.stdout).toMatch(/: good/);
    expect((await pdfsigVerify(r.json().outputPath, nss))[0]).toMatchObject({
      signatureValid: true,
      certificateTrusted: true,
    });
    // A verifier counts only an answer issued at or after the seal's time-stamp (issue 13): the cached one is older.
    const asked = rev.ocspRequests();
    expect(
      (await sealdesk('seal', input, ...withSigner(rev.signer), '--level', 'B-LT', '--out', join(dir, 'lt2.pdf'))).code,
    ).toBe(0);
    expect(rev.ocspRequests()).toBe(asked + 1);
  });

  it('falls back to the CRL when the certificate names no OCSP responder', async () => {
    const input = writeMinimalPdf(join(dir, 'crl.pdf'));
    const r = await sealdesk('seal', input, ...withSigner(rev.crlOnlySigner), '--level', 'B-LT', '--json');
    expect(r.code, r.stderr).toBe(0);
    const crls = dssStreams(await qpdfObjects(r.json().outputPath), '/CRLs');
    expect(crls).toHaveLength(1);
    writeFileSync(join(dir, 'c.der'), crls[0]!);
    const c = await openssl([
      'crl',
      '-inform',
      'DER',
      '-in',
      join(dir, 'c.der'),
      '-noout',
      '-text',
      '-CAfile',
      pki.root.certPath,
    ]);
    expect(c.stdout + c.stderr).toMatch(/verify OK/);
  });

  it('refuses to seal with a revoked certificate, and writes nothing', async () => {
    const input = writeMinimalPdf(join(dir, 'rv.pdf'));
    const r = await sealdesk('seal', input, ...withSigner(rev.revoked), '--level', 'B-LT', '--json');
    expect(r.json()).toMatchObject({ code: 'CERT_REVOKED' });
    expect(existsSync(join(dir, 'rv_sealed.pdf'))).toBe(false);
  });
});

describe('offline: B-B now, the rest from the queue, only onto the file Sealdesk wrote', () => {
  it('no TSA → B-B + queued (exit 4); queue run appends a document time-stamp and the DSS up to B-LTA; the seal stays valid', async () => {
    expect((await sealdesk('tsa', 'disable', 'loop')).code).toBe(0);
    expect((await sealdesk('tsa', 'add', 'down', await closedPortUrl())).code).toBe(0);
    const input = writeMinimalPdf(join(dir, 'offline.pdf'));
    const r = await sealdesk('seal', input, ...withSigner(), '--level', 'B-LTA', '--json');
    expect(r.code, r.stderr).toBe(4);
    expect(r.json()).toMatchObject({ level: 'B-B', requestedLevel: 'B-LTA', queued: true });
    const out = r.json().outputPath as string;
    const sealed = readFileSync(out);
    expect((await sealdesk('queue', 'run')).code).toBe(4); // still offline: untouched
    expect(readFileSync(out).equals(sealed)).toBe(true);
    expect((await sealdesk('tsa', 'enable', 'loop')).code).toBe(0);
    const q = await sealdesk('queue', 'run', '--json');
    expect(q.code, q.stdout + q.stderr).toBe(0);
    expect(q.json()).toMatchObject([{ kind: 'seal-timestamp', status: 'timestamped', level: 'B-LTA' }]);
    const now = readFileSync(out);
    expect(now.subarray(0, sealed.length).equals(sealed)).toBe(true);
    expect(await docTimestampVerifies(out)).toBe(true);
    expect(signatureValues(await qpdfObjects(out)).map((s) => s.type)).toEqual([
      '/Sig',
      '/DocTimeStamp',
      '/DocTimeStamp',
    ]);
    expect((await pdfsigVerify(out, nss))[0]).toMatchObject({ signatureValid: true, certificateTrusted: true });
    expect((await qpdfCheck(out)).ok).toBe(true);
    expect((await sealdesk('queue', 'list', '--json')).json()).toEqual([]);
    const [op] = (await sealdesk('operations', '--json')).json().items;
    expect(op).toMatchObject({
      signatureType: 'pades',
      status: 'success',
      level: 'B-LTA',
      reachedLevel: 'B-LTA',
      outputSha256: sha256(out),
    });
    expect(op.files.map((f: { level: string; sha256: string; path: string }) => [f.level, f.path])).toEqual([
      ['B-B', out],
      ['B-LTA', out],
    ]);
    expect(op.files[0].sha256).toBe(createHash('sha256').update(sealed).digest('hex'));
  });

  it('a queued file changed since Sealdesk wrote it is left untouched (OUTPUT_CHANGED)', async () => {
    expect((await sealdesk('tsa', 'disable', 'loop')).code).toBe(0);
    expect((await sealdesk('tsa', 'add', 'down', await closedPortUrl())).code).toBe(0);
    const input = writeMinimalPdf(join(dir, 'edited.pdf'));
    const out = (await sealdesk('seal', input, ...withSigner(), '--json')).json().outputPath as string;
    appendFileSync(out, '% edited elsewhere\n');
    const edited = readFileSync(out);
    expect((await sealdesk('tsa', 'enable', 'loop')).code).toBe(0);
    const q = await sealdesk('queue', 'run', '--json');
    expect(q.json()).toMatchObject([{ status: 'failed', error: { code: 'OUTPUT_CHANGED' } }]);
    expect(readFileSync(out).equals(edited)).toBe(true);
  });
});

describe('inputs Sealdesk refuses, clearly, leaving them untouched', () => {
  it.each([
    ['encrypted', 'PDF_ENCRYPTED'],
    ['broken xref', 'PDF_MALFORMED'],
  ] as const)('%s → %s', async (kind, code) => {
    const base = writeMinimalPdf(join(dir, 'plain.pdf'));
    const input =
      kind === 'encrypted' ? await qpdfVariant(base, 'encrypted', join(dir, 'enc.pdf')) : join(dir, 'broken.pdf');
    if (kind !== 'encrypted') writeFileSync(input, brokenXrefPdf());
    const before = sha256(input);
    const r = await sealdesk('seal', input, '--tsa', 'none', '--json');
    expect(r.code).toBe(2);
    expect(r.json()).toMatchObject({ code });
    expect(r.stderr).toMatch(kind === 'encrypted' ? /encrypted/ : /does not repair/);
    expect(sha256(input)).toBe(before);
    expect(existsSync(input.replace(/\.pdf$/, '_sealed.pdf'))).toBe(false);
  });
});

describe('--visible page:x,y,w,h', () => {
  const box = { x: 340, y: 60, width: 200, height: 60 };

  it('draws signer, date and reason that poppler and mupdf both render in the box; the seal stays valid', async () => {
    const input = writeMinimalPdf(join(dir, 'visible.pdf'));
    const r = await sealdesk(
      'seal',
      input,
      ...withSigner(),
      '--tsa',
      'none',
      '--reason',
      'Approved',
      '--visible',
      `1:${box.x},${box.y},${box.width},${box.height}`,
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().warnings).toEqual([]);
    const out = r.json().outputPath as string;
    expect(await darkShareInBox(input, 1, 'poppler', box)).toBe(0);
    const poppler = await darkShareInBox(out, 1, 'poppler', box);
    const mupdf = await darkShareInBox(out, 1, 'mupdf', box);
    expect(poppler).toBeGreaterThan(0.03);
    expect(mupdf).toBeGreaterThan(0.03);
    expect(Math.abs(poppler - mupdf)).toBeLessThan(0.05);
    expect((await pdfsigVerify(out, nss))[0]).toMatchObject({ signatureValid: true, wholeDocument: true });
    expect((await qpdfCheck(out)).ok).toBe(true);
  });

  it('warns when the box covers page content, and refuses a page the file does not have', async () => {
    const input = writeMinimalPdf(join(dir, 'crowded.pdf'));
    const r = await sealdesk('seal', input, '--tsa', 'none', '--visible', '1:60,720,300,60');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: the visible seal's box on page 1 overlaps/);
    const p = await sealdesk(
      'seal',
      input,
      '--tsa',
      'none',
      '--visible',
      '3:60,60,200,60',
      '--out',
      join(dir, 'p3.pdf'),
      '--json',
    );
    expect(p.json()).toMatchObject({ code: 'PDF_PAGE_NOT_FOUND' });
  });
});
