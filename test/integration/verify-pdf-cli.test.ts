// `sealdesk verify <pdf>`: our own seals pass offline with the test root as trust anchor (B-B … B-LTA, pdfsig's),
// revocation is required where a certificate names a source, and attacks built from our seals are caught.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner, isolateTsas } from '../helpers/cli.js';
import { startRevocationServer, type RevocationServer } from '../helpers/ocsp-responder.js';
import { addNssSigner, createNssDb, pdfsigAddSignature, pdfsigVerify, qpdfCheck, run } from '../helpers/pdf-judges.js';
import {
  addOverlay,
  editByteRange,
  editSignatureDict,
  garbageContents,
  pointPageAt,
  replacePageContent,
} from '../helpers/pdf-attacks.js';
import { writeMinimalPdf } from '../helpers/pdfs.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { tempDir } from '../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';

const work = tempDir('verify-pdf');
let pki: TestPki;
let tsa: LoopbackTsa;
let rev: RevocationServer;
let sealdesk: ReturnType<typeof cliRunner>;
let n = 0;
const f = (name: string) => join(work.path, `${++n}-${name}`);

beforeAll(async () => {
  pki = await createTestPki(join(work.path, 'pki'));
  tsa = await startTsa({ pki });
  rev = await startRevocationServer(pki);
  sealdesk = cliRunner({ SEALDESK_HOME: join(work.path, 'home'), SEALDESK_TSA_TIMEOUT_MS: '8000' });
  await isolateTsas(sealdesk);
  expect((await sealdesk('tsa', 'add', 'loop', tsa.url)).code).toBe(0);
});
afterAll(async () => {
  await tsa.close();
  await rev.close();
  work.remove();
});

async function seal(
  opts: {
    signer?: 'signer' | 'signerEc' | 'ocsp';
    level?: string;
    tsa?: string;
    visible?: string;
    hidden?: string;
  } = {},
): Promise<string> {
  const input = writeMinimalPdf(f('doc.pdf'), { hidden: opts.hidden });
  const cert = opts.signer === 'ocsp' ? rev.signer : pki[opts.signer ?? 'signer'];
  const out = f('sealed.pdf');
  const args = [
    'seal',
    input,
    '--key',
    cert.keyPath,
    '--chain',
    cert.chainPath,
    '--out',
    out,
    '--level',
    opts.level ?? 'B-T',
  ];
  if (opts.tsa) args.push('--tsa', opts.tsa);
  if (opts.visible) args.push('--visible', opts.visible);
  const r = await sealdesk(...args);
  expect(r.code, r.stderr).toBe(0);
  return out;
}

async function verify(file: string, ...extra: string[]) {
  const r = await sealdesk('verify', file, '--trust', pki.root.certPath, '--json', ...extra);
  return { code: r.code, out: r.json(), stderr: r.stderr };
}

describe('our own seals verify TOTAL-PASSED offline with the test root as anchor', () => {
  it.each([
    ['B-B, no TSA, certificate without revocation source', { level: 'B-B', tsa: 'none' }],
    ['B-T, EC key', { signer: 'signerEc' as const }],
    ['B-LT, OCSP response in the DSS', { signer: 'ocsp' as const, level: 'B-LT' }],
    ['B-LTA', { level: 'B-LTA' }],
  ])('%s', async (_, opts) => {
    const { code, out } = await verify(await seal(opts));
    expect(code, JSON.stringify(out.signatures.map((s: { reasons: string[] }) => s.reasons))).toBe(0);
    expect(out).toMatchObject({
      format: 'pades',
      indication: 'TOTAL-PASSED',
      subIndication: null,
      pades: { signaturePresent: true, hashMatch: true, certificate: { trust: 'chained' } },
    });
    expect(out.signatures.at(-1)).toMatchObject({
      coversWholeDocument: !('level' in opts && opts.level === 'B-LT'),
      valid: true,
      intact: true,
    });
    for (const s of out.signatures) expect(s.changesAfter.every((c: { allowed: boolean }) => c.allowed)).toBe(true); // DSS, document time-stamp
    expect(out.signatures[0]).toMatchObject({ kind: 'signature', revision: 2, indication: 'TOTAL-PASSED' });
  });

  it('a B-LT seal reports the OCSP status it carries; without the DSS (B-T) the same certificate is INDETERMINATE/TRY_LATER offline and passes --online', async () => {
    const lt = (await verify(await seal({ signer: 'ocsp', level: 'B-LT' }))).out;
    expect(lt.signatures[0].revocation[0]).toMatchObject({
      subject: expect.stringMatching(/Seal OCSP/),
      status: 'good',
      source: 'dss',
    });
    const bt = await seal({ signer: 'ocsp', level: 'B-T' });
    const offline = await verify(bt);
    expect(offline.code).toBe(1);
    expect(offline.out).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    const online = await verify(bt, '--online', '--allow-private-network'); // the responder is on loopback
    expect(online.code, JSON.stringify(online.out.signatures[0].reasons)).toBe(0);
    // From the responder, or the ledger's answer cached by the B-LT seal when that was issued in the second of the
    // B-T's time-stamp (thisUpdate at or after the proof of existence counts).
    expect(online.out.signatures[0].revocation[0]).toMatchObject({
      status: 'good',
      source: expect.stringMatching(/^(online|ledger)$/),
    });
  });

  it('the same rule for a detached CAdES seal: a certificate naming an OCSP responder, with no revocation data, is TRY_LATER', async () => {
    const doc = f('data.csv');
    writeFileSync(doc, 'a,b\n1,2\n');
    expect((await sealdesk('seal', doc, '--key', rev.signer.keyPath, '--chain', rev.signer.chainPath)).code).toBe(0);
    const r = await sealdesk('verify', doc, '--p7s', `${doc}.p7s`, '--trust', pki.root.certPath, '--json');
    expect(r.code).toBe(1);
    expect(r.json().cades).toMatchObject({
      intact: true,
      valid: false,
      indication: 'INDETERMINATE',
      subIndication: 'TRY_LATER',
      revocation: { status: 'missing' },
    });
  });

  it('a signature pdfsig adds on top of ours: both TOTAL-PASSED, ours no longer covers the whole document', async () => {
    const nss = await createNssDb(pki.root.certPath);
    await addNssSigner(nss, pki.signer, 'cosigner'); // pdfsig 22.12 signs with RSA keys only
    const out = f('cosigned.pdf');
    await pdfsigAddSignature(nss, 'cosigner', await seal(), out);
    expect((await pdfsigVerify(out, nss)).every((s) => s.signatureValid)).toBe(true);
    const v = await verify(out);
    expect(v.code, JSON.stringify(v.out.signatures.map((s: { reasons: string[] }) => s.reasons))).toBe(0);
    expect(
      v.out.signatures.map((s: { coversWholeDocument: boolean; indication: string }) => [
        s.indication,
        s.coversWholeDocument,
      ]),
    ).toEqual([
      ['TOTAL-PASSED', false],
      ['TOTAL-PASSED', true],
    ]);
  });

  it('without a trust anchor the default seal is INDETERMINATE (self-signed), and says so', async () => {
    const input = writeMinimalPdf(f('plain.pdf'));
    expect((await sealdesk('seal', input, '--tsa', 'none', '--out', f('default.pdf'))).code).toBe(0);
    const r = await sealdesk('verify', join(work.path, `${n}-default.pdf`), '--json');
    expect(r.code).toBe(1);
    expect(r.json()).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'NO_CERTIFICATE_CHAIN_FOUND',
      pades: { certificate: { trust: 'self_signed' } },
    });
  });

  it('a PDF with no signature is not passed: exit 1, NO_SIGNATURE_FOUND', async () => {
    const { code, out } = await verify(writeMinimalPdf(f('unsigned.pdf')));
    expect(code).toBe(1);
    expect(out).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_SIGNATURE_FOUND', signatures: [] });
  });
});

describe('attacks built from our seals are caught', () => {
  const failsWith = async (file: string, sub: string, why: RegExp) => {
    const { code, out } = await verify(file);
    expect(code).toBe(1);
    const reasons = [...out.problems, ...out.signatures.flatMap((s: { reasons: string[] }) => s.reasons)].join('\n');
    expect(out, reasons).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: sub });
    expect(reasons).toMatch(why);
  };

  it.each([
    [
      '/Contents missing',
      (s: string, o: string) => editSignatureDict(s, o, '/Contents <', '/Xontents <'),
      /\/Contents is missing/,
    ],
    [
      '/ByteRange missing',
      (s: string, o: string) => editSignatureDict(s, o, '/ByteRange [', '/XyteRange ['),
      /ByteRange is not four/,
    ],
    [
      '/Contents of the wrong type (the dictionary no longer parses)',
      (s: string, o: string) => editSignatureDict(s, o, '/Contents <', '/Contents ['),
      /does not repair/,
    ],
    ['/Contents empty', (s: string, o: string) => emptyContents(s, o), /not this signature's \/Contents|hex string/],
    [
      '/ByteRange not starting at 0',
      (s: string, o: string) => editByteRange(s, o, ([, b, c, d]) => [1, b! - 1, c!, d!]),
      /does not start at the beginning/,
    ],
    [
      '/ByteRange overlapping',
      (s: string, o: string) => editByteRange(s, o, ([a, b, , d]) => [a!, b! + 40, b! + 20, d!]),
      /overlap/,
    ],
    [
      '/ByteRange past EOF',
      (s: string, o: string) => editByteRange(s, o, ([a, b, c, d]) => [a!, b!, c!, d! + 100]),
      /past the end of the file/,
    ],
    [
      'SWA: the gap holds more than the hex string',
      (s: string, o: string) => editByteRange(s, o, ([a, b, c, d]) => [a!, b! - 10, c!, d!]),
      /signature-wrapping/,
    ],
    ['garbage CMS in /Contents', garbageContents, /not a readable CMS/],
  ])('USF/SWA — %s: TOTAL-FAILED / FORMAT_FAILURE', async (_, make, why) => {
    const out = f('attack.pdf');
    make(await seal({ tsa: 'none', level: 'B-B' }), out);
    await failsWith(out, 'FORMAT_FAILURE', why);
  });

  it('ISA with xref and trailer: page content replaced in a later revision', async () => {
    const out = f('isa.pdf');
    replacePageContent(await seal(), out, 'Pay 1,000,000');
    await failsWith(out, 'FORMAT_FAILURE', /changed after signing: page object .* changed \(Contents\)/);
  });

  it('ISA without xref or trailer: bytes appended after the last %%EOF', async () => {
    const out = f('isa-raw.pdf');
    writeFileSync(
      out,
      Buffer.concat([
        readFileSync(await seal()),
        Buffer.from('5 0 obj\n<< /Length 10 >>\nstream\nBT ET q Q\nendstream\nendobj\n'),
      ]),
    );
    await failsWith(out, 'FORMAT_FAILURE', /follow the last %%EOF outside any revision/);
  });

  it('shadow hide-and-replace: the page is pointed at content that was unreachable when signed', async () => {
    const out = f('shadow.pdf');
    pointPageAt(await seal({ hidden: 'Pay 1,000,000' }), out, 7);
    await failsWith(out, 'FORMAT_FAILURE', /unreachable when signed/);
  });

  it('shadow hide / EAA: an annotation added over the signed text', async () => {
    const out = f('overlay.pdf');
    addOverlay(await seal(), out, 'freetext', [60, 720, 400, 790]);
    await failsWith(out, 'FORMAT_FAILURE', /draws over the signed page content/);
  });

  it('EAA on blank space is still not allowed without a certification that permits annotations', async () => {
    const out = f('eaa.pdf');
    addOverlay(await seal(), out, 'freetext', [300, 100, 500, 150]);
    await failsWith(out, 'FORMAT_FAILURE', /annotation was added after signing/);
  });

  it('SSA: a signature widget whose appearance covers signed text fails; a visible seal on blank space passes', async () => {
    const out = f('ssa.pdf');
    addOverlay(await seal(), out, 'signature-widget', [60, 720, 400, 790]);
    await failsWith(out, 'FORMAT_FAILURE', /added signature widget draws over/);
    const first = await seal();
    const second = f('second.pdf');
    expect(
      (
        await sealdesk(
          'seal',
          first,
          '--key',
          pki.signerEc.keyPath,
          '--chain',
          pki.signerEc.chainPath,
          '--visible',
          '1:340,60,200,60',
          '--out',
          second,
        )
      ).code,
    ).toBe(0);
    const ok = await verify(second);
    expect(ok.code, JSON.stringify(ok.out.signatures.map((s: { reasons: string[] }) => s.reasons))).toBe(0);
    expect(ok.out.signatures[0].changesAfter.every((c: { allowed: boolean }) => c.allowed)).toBe(true);
  });
});

/** Turns the last /Contents into <> followed by spaces: the signature value is gone, the layout stays. */
function emptyContents(file: string, out: string): void {
  const pdf = readFileSync(file);
  const at = pdf.lastIndexOf('/Contents <') + '/Contents '.length;
  const close = pdf.indexOf('>', at);
  pdf.write(`<>${' '.repeat(close - at - 1)}`, at, 'latin1');
  writeFileSync(out, pdf);
}

describe('malformed input: a clear verdict or error, never a crash or a hang', () => {
  it('truncated sealed PDFs', async () => {
    const sealed = readFileSync(await seal());
    for (const cut of [10, 400, Math.floor(sealed.length / 2), sealed.length - 30, sealed.length - 1]) {
      const out = f('cut.pdf');
      writeFileSync(out, sealed.subarray(0, cut));
      const r = await sealdesk('verify', out, '--json');
      expect([1, 2]).toContain(r.code);
      const j = r.json();
      expect(j.indication ?? j.code).toBeTruthy();
      expect(j.indication).not.toBe('TOTAL-PASSED');
    }
  });

  it('a deflate bomb in the DSS and a field /Kids loop are contained', async () => {
    const { appendRevision } = await import('../helpers/pdf-attacks.js');
    const { NewStream, PdfDict, name } = await import('../../core/pdf/index.js');
    const { deflateSync } = await import('node:zlib');
    const bomb = deflateSync(Buffer.alloc(300 * 1024 * 1024));
    const out = f('bomb.pdf');
    appendRevision(await seal(), out, (doc, b) => {
      const root = doc.trailer.get('Root') as InstanceType<typeof import('../../core/pdf/index.js').PdfRef>;
      const loop = b.reserve();
      b.set(loop, PdfDict.of({ FT: name('Sig'), Kids: [loop] }));
      const af = doc.dict(doc.catalog.get('AcroForm'))!;
      const fields = doc.resolve(af.get('Fields')) as unknown[];
      b.set(
        root,
        doc.catalog.with({
          DSS: b.add(PdfDict.of({ Certs: [b.add(new NewStream(PdfDict.of({ Filter: name('FlateDecode') }), bomb))] })),
          AcroForm: af.with({ Fields: [...(fields as never[]), loop] }),
        }),
      );
    });
    const { code, out: j } = await verify(out);
    // 300 MiB is over the decode budget (core/pdf/limits.ts): that file's result is RESOURCE_LIMIT, naming the flag.
    expect(code).toBe(2);
    expect(j).toMatchObject({ code: 'RESOURCE_LIMIT', indication: 'INDETERMINATE' });
    expect(j.message).toMatch(/more than 200 MiB .*--max-decoded-mb/);
    const loopOnly = f('kids-loop.pdf');
    appendRevision(await seal(), loopOnly, (doc, b) => {
      const loop = b.reserve();
      b.set(loop, PdfDict.of({ FT: name('Sig'), Kids: [loop] }));
      const af = doc.dict(doc.catalog.get('AcroForm'))!;
      const fields = doc.resolve(af.get('Fields')) as unknown[];
      b.set(
        doc.trailer.get('Root') as never,
        doc.catalog.with({ AcroForm: af.with({ Fields: [...(fields as never[]), loop] }) }),
      );
    });
    const looped = await verify(loopOnly);
    // The loop is contained: the one signature is read and intact, and an empty signature field added later (one that
    // draws nothing) is a change signing allows.
    expect(looped.code).toBe(0);
    expect(looped.out.signatures).toHaveLength(1);
    expect(looped.out.signatures[0]).toMatchObject({ intact: true, indication: 'TOTAL-PASSED' });
    expect(looped.out.signatures[0].changesAfter).toEqual([
      expect.objectContaining({ kind: 'signature', allowed: true, detail: 'a signature field was added' }),
    ]);
  });
});

describe('reports and revisions', () => {
  it('--report writes a self-contained HTML report naming the validation time, anchors and tool; never over a file', async () => {
    const sealed = await seal({ level: 'B-LTA' });
    const html = f('report.html');
    expect((await sealdesk('verify', sealed, '--trust', pki.root.certPath, '--report', html)).code).toBe(0);
    const text = readFileSync(html, 'utf8');
    expect(text).toMatch(/Validation time/);
    expect(text).toMatch(/Sealdesk Test Root CA/);
    expect(text).toMatch(/Sealdesk \d+\.\d+\.\d+/);
    expect(text).toMatch(/TOTAL-PASSED/);
    expect(text).toMatch(/document time-stamp/);
    expect(text).not.toMatch(/<script/);
    expect((await sealdesk('verify', sealed, '--report', html, '--json')).json()).toMatchObject({
      code: 'OUTPUT_EXISTS',
    });
  });

  it('--report out.pdf: a PDF (pdf-lib) that qpdf finds clean and pdftotext reads as the same verdicts', async () => {
    const sealed = await seal({ level: 'B-LTA' });
    const pdf = f('report.pdf');
    expect((await sealdesk('verify', sealed, '--trust', pki.root.certPath, '--report', pdf)).code).toBe(0);
    expect((await qpdfCheck(pdf)).ok).toBe(true);
    const { out } = await run('pdftotext', ['-layout', pdf, '-']);
    expect(out).toMatch(/Signature verification report/);
    expect(out).toMatch(/Validation time: \d{4}-/);
    expect(out).toMatch(/Sealdesk Test Root CA/);
    expect(out).toMatch(/#1 SealdeskSeal1 — signature: TOTAL-PASSED/);
    expect(out).toMatch(/#2 SealdeskTimestamp1 — document time-stamp: TOTAL-PASSED/);
  });

  it('--extract-revision N writes the file as it was when revision N was complete; its signature covers it whole', async () => {
    const sealed = await seal({ level: 'B-LTA' });
    const out = f('rev2.pdf');
    const r = await sealdesk('verify', sealed, '--extract-revision', '2', '--out', out, '--json');
    expect(r.code, r.stderr).toBe(0);
    const bytes = readFileSync(out);
    expect(readFileSync(sealed).subarray(0, bytes.length).equals(bytes)).toBe(true);
    const v = await verify(out);
    expect(v.out.signatures).toEqual([
      expect.objectContaining({ coversWholeDocument: true, indication: 'TOTAL-PASSED' }),
    ]);
    expect((await sealdesk('verify', sealed, '--extract-revision', '9', '--out', f('x.pdf'))).code).toBe(2);
  });

  it('a folder: one line per document, totals, exit 1 when any is not TOTAL-PASSED; the trust store stands in for --trust', async () => {
    const dir = join(work.path, 'batch');
    const { mkdirSync, copyFileSync } = await import('node:fs');
    mkdirSync(dir);
    copyFileSync(await seal(), join(dir, 'a.pdf'));
    copyFileSync(await seal({ level: 'B-LTA' }), join(dir, 'b.pdf'));
    writeMinimalPdf(join(dir, 'c-unsigned.pdf'));
    expect((await sealdesk('trust', 'add', pki.root.certPath)).code).toBe(0);
    const r = await sealdesk('verify', dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^TOTAL-PASSED .*a\.pdf/m);
    expect(r.stdout).toMatch(/^TOTAL-PASSED .*b\.pdf/m);
    expect(r.stdout).toMatch(/^INDETERMINATE .*c-unsigned\.pdf/m);
    expect(r.stdout).toMatch(/3 document\(s\): 2 TOTAL-PASSED, 1 INDETERMINATE, 0 TOTAL-FAILED/);
    const list = (await sealdesk('trust', 'list', '--json')).json();
    expect(list).toEqual([expect.objectContaining({ subject: expect.stringMatching(/Sealdesk Test Root CA/) })]);
    expect((await sealdesk('trust', 'remove', list[0].id)).code).toBe(0);
    expect((await sealdesk('verify', join(dir, 'a.pdf'), '--json')).json()).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'NO_CERTIFICATE_CHAIN_FOUND',
    });
    expect(existsSync(join(dir, 'a.pdf'))).toBe(true);
  });
});
