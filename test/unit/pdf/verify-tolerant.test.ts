// Issue 13 end to end over real signatures (pdfsig signs, qpdf encrypts): a file whose objects sit a few bytes from
// their xref offsets, and files encrypted with an empty user password, verify as pdfsig says; sealing them is refused.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreError } from '../../../core/errors.js';
import { verifyPdf } from '../../../core/pades/verify/verify-pdf.js';
import { sealPdf } from '../../../core/pades/seal-pdf.js';
import { FileSource, PdfDocument } from '../../../core/pdf/index.js';
import { addNssSigner, createNssDb, pdfsigAddSignature, pdfsigVerify, run } from '../../helpers/pdf-judges.js';
import { minimalPdf } from '../../helpers/pdfs.js';
import { createTestPki, type TestPki } from '../../helpers/pki.js';
import { tempDir } from '../../helpers/tmp.js';

const work = tempDir('verify-tolerant');
let pki: TestPki;
let nss: string;
const now = new Date();

beforeAll(async () => {
  pki = await createTestPki(join(work.path, 'pki'));
  nss = await createNssDb(pki.root.certPath);
  await addNssSigner(nss, pki.signer, 'signer');
}, 60_000);
afterAll(() => work.remove());

const verify = (file: string) => verifyPdf(file, { anchors: [pki.root.der], now, online: null });

/** One space before every other object of a valid PDF, its old xref table kept: offsets 1–5 bytes off. */
function displacedPdf(path: string): string {
  const s = minimalPdf({ pages: 2 }).toString('latin1');
  const xrefAt = s.lastIndexOf('\nxref\n') + 1;
  let n = 0;
  const body = s.slice(0, xrefAt).replace(/\n(\d+ 0 obj\n)/g, (m, obj: string) => (n++ % 2 === 0 ? `\n ${obj}` : m));
  writeFileSync(
    path,
    Buffer.from(body + s.slice(xrefAt).replace(/startxref\n\d+/, `startxref\n${body.length}`), 'latin1'),
  );
  return path;
}

async function refusal(p: Promise<unknown>): Promise<CoreError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof CoreError) return err;
    throw err;
  }
  throw new Error('not refused');
}

describe('a signed file whose signed revision has displaced objects', () => {
  let signed: string;
  beforeAll(async () => {
    signed = join(work.path, 'displaced-signed.pdf');
    await pdfsigAddSignature(nss, 'signer', displacedPdf(join(work.path, 'displaced.pdf')), signed); // appends an update
  }, 60_000);

  it('pdfsig says the signature is valid', async () => {
    const [sig] = await pdfsigVerify(signed, nss);
    expect(sig).toMatchObject({ signatureValid: true, certificateTrusted: true });
  });

  it('Sealdesk verifies it intact over its /ByteRange, and the reader says what it recovered', async () => {
    const report = await verify(signed);
    expect(report.signatures).toHaveLength(1);
    expect(report.signatures[0]).toMatchObject({ intact: true, indication: 'TOTAL-PASSED' });
    const src = FileSource.open(signed);
    try {
      const doc = PdfDocument.open(src, { tolerant: true });
      expect(doc.recovered.length).toBeGreaterThan(0);
      // Object 1 (the catalog) was rewritten by pdfsig's update; object 2 is the first the old table places wrongly.
      expect(doc.recovered[0]).toBe(
        'object 2 0 found at offset 65, +1 bytes from where its cross-reference entry says (64)',
      );
    } finally {
      src.close();
    }
  });

  it('sealing it is refused (the sealer reads strictly)', async () => {
    const err = await refusal(
      sealPdf({ now: () => now } as never, signed, { signer: { chain: [pki.signer.der] } } as never),
    );
    expect(err.code).toBe('PDF_MALFORMED');
    expect(err.message).toMatch(/cross-reference entry for object 2 does not point at that object \(offset 64\)/);
  });
});

describe('files encrypted with an empty user password, then signed by pdfsig', () => {
  const plain = () => {
    const p = join(work.path, 'plain.pdf');
    writeFileSync(p, minimalPdf({ text: 'Permissions only' }));
    return p;
  };

  it.each([
    ['R2 RC4-40', ['40']],
    ['R3 RC4-128', ['128', '--use-aes=n']],
    ['R4 AES-128', ['128', '--use-aes=y']],
    ['R6 AES-256', ['256']],
  ] as const)('%s: Sealdesk agrees with pdfsig (valid, same field), and sealing is refused', async (name, args) => {
    const enc = join(work.path, `${name.replace(/\W+/g, '-')}.pdf`);
    const r = await run('qpdf', ['--allow-weak-crypto', '--encrypt', '', 'owner', ...args, '--', plain(), enc]);
    expect(r.code, r.out).toBe(0);
    const signed = enc.replace(/\.pdf$/, '-signed.pdf');
    await pdfsigAddSignature(nss, 'signer', enc, signed);
    const [theirs] = await pdfsigVerify(signed, nss);
    expect(theirs).toMatchObject({ signatureValid: true, certificateTrusted: true });
    const report = await verify(signed);
    expect(report.signatures).toHaveLength(1);
    expect(report.signatures[0]).toMatchObject({ intact: true, indication: 'TOTAL-PASSED', fieldName: theirs!.field });
    expect(report.indication).toBe('TOTAL-PASSED');
    const err = await refusal(
      sealPdf({ now: () => now } as never, signed, { signer: { chain: [pki.signer.der] } } as never),
    );
    expect(err.code).toBe('PDF_ENCRYPTED');
  });

  it('a file that needs a user password: PDF_ENCRYPTED naming the handler', async () => {
    const enc = join(work.path, 'user-password.pdf');
    expect((await run('qpdf', ['--encrypt', 'secret', 'owner', '256', '--', plain(), enc])).code).toBe(0);
    const err = await refusal(verify(enc));
    expect(err.code).toBe('PDF_ENCRYPTED');
    expect(err.message).toMatch(/Standard security handler V5 R6 \(AES-256\): opening it needs a user password/);
    expect(readFileSync(enc).length).toBeGreaterThan(0);
  });
});
