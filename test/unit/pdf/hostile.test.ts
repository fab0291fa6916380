// Issue 14: crafted PDFs end with a stable code (PDF_MALFORMED or RESOURCE_LIMIT with its limit and flag), never
// INTERNAL, a RangeError or a stack overflow; the decode budget admits a legitimate file at its exact need, not below.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPdf } from '../../../core/pades/verify/verify-pdf.js';
import {
  BytesSource,
  PdfDocument,
  PdfName,
  PdfRef,
  PdfString,
  pageCount,
  pageRef,
  readDss,
} from '../../../core/pdf/index.js';
import { Lexer } from '../../../core/pdf/lexer.js';
import { DEFAULT_PDF_LIMITS, type PdfLimits } from '../../../core/pdf/limits.js';
import * as hostile from '../../helpers/hostile-pdf.js';
import { tempDir } from '../../helpers/tmp.js';
import { refusal } from '../../helpers/refusal.js';

const work = tempDir('pdf-hostile');
afterAll(() => work.remove());

const open = (bytes: Uint8Array, limits?: Partial<PdfLimits>) => PdfDocument.open(new BytesSource(bytes), { limits });

/** Opening and walking to the last page, as verification does first. */
const walk = (doc: PdfDocument) => pageRef(doc, pageCount(doc) - 1);

async function verify(name: string, bytes: Uint8Array, pdfLimits?: Partial<PdfLimits>) {
  const path = join(work.path, name);
  writeFileSync(path, bytes);
  return verifyPdf(path, { anchors: [], now: new Date(), online: null, pdfLimits });
}

const malformedRows: [string, () => Buffer, RegExp][] = [
  ['a 200,000-digit number followed by a letter', () => hostile.longNumberPdf(), /a token longer than 4096 bytes/],
  ['the same inside a Flate object stream', () => hostile.longNumberObjStmPdf(), /a token longer than 4096 bytes/],
  [
    'an xref stream with /W [0 0 0] and /Index [0 100000000]',
    () => hostile.zeroWidthXrefPdf(),
    /\/W \[0 0 0\] gives its rows no bytes/,
  ],
  [
    'two object streams inside each other',
    () => hostile.objStmCyclePdf(),
    /object 1 is in object 5, which is not an object stream in the file body/,
  ],
  [
    'an object stream whose /Length is inside itself',
    () => hostile.lengthCyclePdf(),
    /object 5 is needed to read itself/,
  ],
  ['arrays nested 100,000 deep', () => hostile.deepNestingPdf(), /objects nested deeper than 200/],
  ['PNG predictor /Columns 10^9 on an xref stream', () => hostile.hugePredictorRowPdf(), /invalid \/Columns/],
];

describe('issue 14 table: structural garbage is PDF_MALFORMED', () => {
  it.each(malformedRows)('%s', async (_, make, message) => {
    const bytes = make();
    const err = refusal(() => walk(open(bytes)));
    expect(err.code).toBe('PDF_MALFORMED');
    expect(err.message).toMatch(message);
    // verifyPdf reports the damage as a format failure, with the same reason.
    const report = await verify('malformed.pdf', bytes);
    expect(report).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'FORMAT_FAILURE', signatures: [] });
    expect(report.problems.join('\n')).toMatch(message);
  });
});

describe('issue 14 table: a 256 MiB Flate bomb referenced 10,000 times from /DSS /Certs', () => {
  const bomb = hostile.flateBombDssPdf(256, 10_000);

  it('is RESOURCE_LIMIT from readDss under the default budget, having decoded no more than the budget', () => {
    expect(bomb.length).toBeLessThan(400_000);
    const doc = open(bomb);
    const err = refusal(() => readDss(doc));
    expect(err.code).toBe('RESOURCE_LIMIT');
    expect(err.message).toBe(
      "the PDF's streams decompress to more than 200 MiB (209715200 bytes, the decode budget per document); if the file is legitimate, raise it with --max-decoded-mb",
    );
    expect(doc.budget.decodedBytes).toBeLessThanOrEqual(DEFAULT_PDF_LIMITS.maxDecodedBytes);
  });

  it('is RESOURCE_LIMIT from verifyPdf (thrown, not a verdict), naming a custom limit', async () => {
    await expect(verify('bomb.pdf', bomb, { maxDecodedBytes: 64 * 1024 * 1024 })).rejects.toMatchObject({
      code: 'RESOURCE_LIMIT',
      message: expect.stringContaining('more than 64 MiB (67108864 bytes'),
    });
  });
});

describe('each stream is decoded once per document', () => {
  it('a 4 MiB stream listed 10,000 times fits a 5 MiB budget and is one certificate', () => {
    const doc = open(hostile.flateBombDssPdf(4, 10_000), { maxDecodedBytes: 5 * 1024 * 1024 });
    const dss = readDss(doc);
    expect(dss.certs).toHaveLength(1);
    expect(dss.certs[0]!.length).toBe(4 * 1024 * 1024);
    expect(doc.budget.decodedBytes).toBe(4 * 1024 * 1024);
    expect(doc.budget.objectCount).toBe(6 + 10_000); // the table's entries and the /Certs list
  });
});

describe('objects in many object streams', () => {
  it('are counted once however the reads go (object streams are kept, not evicted and counted again)', () => {
    const streams: Record<number, Buffer> = {};
    const compressed = [];
    for (let k = 0; k < 12; k++) {
      streams[10 + k] = hostile.objectStream([
        [100 + k, `<< /K ${k} >>`],
        [200 + k, `<< /K ${k + 50} >>`],
      ]);
      compressed.push({ num: 100 + k, stream: 10 + k, index: 0 }, { num: 200 + k, stream: 10 + k, index: 1 });
    }
    const doc = open(
      hostile.xrefStreamPdf(
        { 1: '<< /Type /Catalog /Pages 2 0 R >>', 2: '<< /Type /Pages /Kids [] /Count 0 >>', ...streams },
        compressed,
      ),
    );
    const read = (base: number) => [...Array(12).keys()].map((k) => doc.dict(new PdfRef(base + k, 0))?.get('K'));
    expect(read(100)).toEqual([...Array(12).keys()]);
    const counted = doc.budget.objectCount;
    const decoded = doc.budget.decodedBytes;
    expect(read(200)).toEqual([...Array(12).keys()].map((k) => k + 50)); // each object stream's second object
    expect(doc.budget.objectCount).toBe(counted);
    expect(doc.budget.decodedBytes).toBe(decoded);
  });
});

describe('the budget on a legitimate file (xref stream and object stream)', () => {
  const bytes = hostile.compressedPdf();
  const full = open(bytes);
  walk(full);
  const need = { bytes: full.budget.decodedBytes, objects: full.budget.objectCount };

  it('measures what the file needs', () => {
    expect(need.bytes).toBeGreaterThan(0);
    expect(need.objects).toBe(6 + 3); // xref stream rows for objects 0-5, 3 objects in the object stream
  });

  it('opens with exactly its need in bytes, and is RESOURCE_LIMIT one byte below', () => {
    expect(pageCount(open(bytes, { maxDecodedBytes: need.bytes }))).toBe(1);
    const err = refusal(() => walk(open(bytes, { maxDecodedBytes: need.bytes - 1 })));
    expect(err.code).toBe('RESOURCE_LIMIT');
    expect(err.message).toContain(
      `(${need.bytes - 1} bytes, the decode budget per document); if the file is legitimate, raise it with --max-decoded-mb`,
    );
  });

  it('opens with exactly its need in objects, and is RESOURCE_LIMIT one below', () => {
    expect(pageCount(open(bytes, { maxObjects: need.objects }))).toBe(1);
    const err = refusal(() => walk(open(bytes, { maxObjects: need.objects - 1 })));
    expect(err.code).toBe('RESOURCE_LIMIT');
    expect(err.message).toBe(
      `the PDF declares more than ${need.objects - 1} objects (the object limit per document); if the file is legitimate, raise it with --max-objects`,
    );
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(refusal(() => open(bytes, { maxDecodedBytes: 0 })).code).toBe('USAGE');
    expect(refusal(() => open(bytes, { maxObjects: 1.5 })).code).toBe('USAGE');
  });
});

describe('a legitimate 100 MB+ PDF with a large DSS verifies under the defaults', () => {
  it('reads 40 MiB of DSS data beside a 72 MiB image', async () => {
    const crls = Array.from({ length: 8 }, (_, i) => deflateSync(Buffer.alloc(5 * 1024 * 1024, i), { level: 0 })); // stored: no bomb
    const objs: Record<number, Buffer | string> = {
      1: '<< /Type /Catalog /Pages 2 0 R /DSS 4 0 R >>',
      2: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      3: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /XObject << /Im 5 0 R >> >> >>',
      4: `<< /CRLs [${crls.map((_, i) => `${6 + i} 0 R`).join(' ')}] >>`,
      5: hostile.stream(
        '/Type /XObject /Subtype /Image /Width 4096 /Height 6144 /ColorSpace /DeviceRGB /BitsPerComponent 8',
        Buffer.alloc(72 * 1024 * 1024, 0x80),
      ),
    };
    crls.forEach((c, i) => (objs[6 + i] = hostile.stream('/Filter /FlateDecode', c)));
    const bytes = hostile.tablePdf(objs);
    expect(bytes.length).toBeGreaterThan(100 * 1024 * 1024);
    const doc = open(bytes);
    expect(readDss(doc).crls).toHaveLength(8);
    expect(doc.budget.decodedBytes).toBe(40 * 1024 * 1024);
    const report = await verify('large.pdf', bytes);
    expect(report).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_SIGNATURE_FOUND' });
  });
});

describe('the lexer without regular expressions reads what it read before', () => {
  const parse = (text: string) => new Lexer(Buffer.from(text, 'latin1')).object();

  it('numbers (§7.3.3): signs, leading and trailing points; anything else is refused', () => {
    expect(['12', '+17', '-98', '34.5', '-3.62', '+123.6', '4.', '-.002', '.5', '0.0'].map(parse)).toEqual([
      12, 17, -98, 34.5, -3.62, 123.6, 4, -0.002, 0.5, 0,
    ]);
    for (const bad of ['1.2.3', '+-1', '.', '-', '12a', '1e5'])
      expect(refusal(() => parse(bad)).code).toBe('PDF_MALFORMED');
  });

  it('integers and references', () => {
    expect(parse('12 0 R')).toEqual(new PdfRef(12, 0));
    expect(parse('[1 2 3]')).toEqual([1, 2, 3]);
    expect(refusal(() => new Lexer(Buffer.from('99999999999999999999 ')).integer()).code).toBe('PDF_MALFORMED');
  });

  it('a literal string longer than its first buffer, with escapes and balanced parentheses', () => {
    const body = `${'a'.repeat(100)}(nested \\(x\\) \\101\\n)\\\r\n${'b'.repeat(100)}`;
    const s = parse(`(${body})`) as PdfString;
    expect(Buffer.from(s.bytes).toString('latin1')).toBe(`${'a'.repeat(100)}(nested (x) A\n)${'b'.repeat(100)}`);
  });

  it('tokens up to 4096 bytes are read, longer ones refused', () => {
    expect(parse(`/${'N'.repeat(4096)}`)).toEqual(PdfName.of('N'.repeat(4096)));
    expect(refusal(() => parse(`/${'N'.repeat(4097)}`)).message).toMatch(/a token longer than 4096 bytes at offset 1/);
  });
});
