// core/pdf/crypt.ts: files qpdf encrypts with an empty user password read in tolerant mode (every revision of the
// Standard security handler qpdf writes), strict mode and real passwords refused with PDF_ENCRYPTED naming the handler.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BytesSource, PdfDocument, PdfString, pageRef } from '../../../core/pdf/index.js';
import { rc4 } from '../../../core/pdf/crypt.js';
import { run } from '../../helpers/pdf-judges.js';
import { minimalPdf } from '../../helpers/pdfs.js';
import { tempDir } from '../../helpers/tmp.js';
import { refusal } from '../../helpers/refusal.js';

const work = tempDir('pdf-crypt');
afterAll(() => work.remove());
const plain = join(work.path, 'plain.pdf');
beforeAll(() => writeFileSync(plain, minimalPdf({ pages: 2, text: 'Encrypted deed' })));

async function qpdfEncrypt(name: string, user: string, args: readonly string[]): Promise<Uint8Array> {
  const out = join(work.path, `${name}.pdf`);
  const outside = args.filter((a) => a.startsWith('--object-streams'));
  const inside = args.filter((a) => !a.startsWith('--object-streams'));
  const r = await run('qpdf', [
    '--allow-weak-crypto',
    ...outside,
    '--encrypt',
    user,
    'owner-secret',
    ...inside,
    '--',
    plain,
    out,
  ]);
  expect(r.code, r.out).toBe(0);
  return readFileSync(out);
}

const VARIANTS = [
  ['R2, 40-bit RC4', ['40'], /V1 R2, strings RC4, streams RC4/],
  ['R3, 128-bit RC4', ['128', '--use-aes=n'], /V2 R3, strings RC4, streams RC4/],
  ['R4, AES-128', ['128', '--use-aes=y'], /V4 R4, strings AES-128, streams AES-128/],
  [
    'R4, AES-128, metadata in clear (/EncryptMetadata false)',
    ['128', '--use-aes=y', '--cleartext-metadata'],
    /V4 R4, strings AES-128/,
  ],
  ['R5, AES-256 (Adobe extension level 3)', ['256', '--force-R5'], /V5 R5, strings AES-256, streams AES-256/],
  ['R6, AES-256', ['256'], /V5 R6, strings AES-256, streams AES-256/],
  [
    'R4, AES-128, objects in object streams (decrypted with their stream only)',
    ['128', '--use-aes=y', '--object-streams=generate'],
    /R4/,
  ],
  ['R6, AES-256, objects in object streams', ['256', '--object-streams=generate'], /V5 R6/],
] as const;

describe('the Standard security handler with an empty user password', () => {
  it.each(VARIANTS)('%s: strings and streams decrypt in tolerant mode', async (name, args, description) => {
    const bytes = await qpdfEncrypt(name.replace(/\W+/g, '-'), '', args);
    const doc = PdfDocument.open(new BytesSource(bytes), { tolerant: true });
    expect(doc.encryption).toMatch(description);
    const title = doc.dict(doc.trailer.get('Info'))!.get('Title');
    expect(title).toBeInstanceOf(PdfString);
    expect((title as PdfString).text()).toBe('A contract');
    const page = doc.dict(pageRef(doc, 1))!;
    const content = Buffer.from(doc.streamData(doc.resolve(page.get('Contents')) as never)).toString('latin1');
    expect(content).toContain('(Encrypted deed - page 2) Tj');
  });

  it.each(VARIANTS)('%s: strict mode (sealing) refuses it', async (name, args) => {
    const bytes = await qpdfEncrypt(`${name.replace(/\W+/g, '-')}-strict`, '', args);
    const err = refusal(() => PdfDocument.open(new BytesSource(bytes)));
    expect(err.code).toBe('PDF_ENCRYPTED');
    expect(err.message).toMatch(/does not seal or change encrypted PDFs/);
  });

  it.each([
    ['R3 RC4', ['128', '--use-aes=n'], /Standard security handler V2 R3: opening it needs a user password/],
    ['R4 AES-128', ['128', '--use-aes=y'], /Standard security handler V4 R4: opening it needs a user password/],
    ['R6 AES-256', ['256'], /Standard security handler V5 R6 \(AES-256\): opening it needs a user password/],
  ] as const)(
    'a non-empty user password (%s) is refused with PDF_ENCRYPTED naming handler and revision',
    async (name, args, message) => {
      const bytes = await qpdfEncrypt(`user-${name.replace(/\W+/g, '-')}`, 'user-secret', args);
      const err = refusal(() => PdfDocument.open(new BytesSource(bytes), { tolerant: true }));
      expect(err.code).toBe('PDF_ENCRYPTED');
      expect(err.message).toMatch(message);
    },
  );

  it('a handler other than /Standard is refused by name', () => {
    const pdf = minimalPdf().toString('latin1');
    const withEncrypt = pdf.replace('/Root 1 0 R', '/Root 1 0 R /Encrypt << /Filter /Adobe.PubSec /V 4 /R 4 >>');
    const err = refusal(() =>
      PdfDocument.open(new BytesSource(Buffer.from(withEncrypt, 'latin1')), { tolerant: true }),
    );
    expect(err.code).toBe('PDF_ENCRYPTED');
    expect(err.message).toMatch(/security handler \/Adobe\.PubSec/);
  });

  it('/Encrypt null is no encryption (§7.3.9), even in strict mode', () => {
    const pdf = minimalPdf().toString('latin1').replace('/Root 1 0 R', '/Root 1 0 R /Encrypt null');
    const doc = PdfDocument.open(new BytesSource(Buffer.from(pdf, 'latin1')));
    expect(doc.encryption).toBeNull();
    expect(doc.catalog.get('Pages')).toBeDefined();
  });
});

describe('RC4, written out because this OpenSSL build has none', () => {
  it('matches the published test vectors', () => {
    const hex = (k: string, p: string) => Buffer.from(rc4(Buffer.from(k), Buffer.from(p))).toString('hex');
    expect(hex('Key', 'Plaintext')).toBe('bbf316e8d940af0ad3');
    expect(hex('Wiki', 'pedia')).toBe('1021bf0420');
    expect(hex('Secret', 'Attack at dawn')).toBe('45a01f645fc35b383552544b9bf5');
  });
});
