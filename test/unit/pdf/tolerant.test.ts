// core/pdf tolerant reading and ambiguity detection: objects a few bytes from their cross-reference offsets are found
// (bounded, noted), strict mode still refuses them, and two-reader conflicts are proven, not guessed.
import { afterAll, describe, expect, it } from 'vitest';
import {
  BytesSource,
  PdfDocument,
  ambiguities,
  pageCount,
  pageRef,
  xrefEntriesInside,
} from '../../../core/pdf/index.js';
import { minimalPdf } from '../../helpers/pdfs.js';
import { tempDir } from '../../helpers/tmp.js';
import { refusal } from '../../helpers/refusal.js';

const work = tempDir('pdf-tolerant');
afterAll(() => work.remove());

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');
const bytes = (s: string) => Buffer.from(s, 'latin1');

/** The body rewritten by `edit`, the old xref table kept (its offsets now off), startxref pointing at it again. */
function withOldXref(pdf: Buffer, edit: (body: string) => string): Buffer {
  const s = latin1(pdf);
  const xrefAt = s.lastIndexOf('\nxref\n') + 1;
  const body = edit(s.slice(0, xrefAt));
  return bytes(body + s.slice(xrefAt).replace(/startxref\n\d+/, `startxref\n${body.length}`));
}

/** `pad` spaces before every other object (a shift growing through the file, as in the EU DSS samples). */
function displaced(pdf: Buffer, pad = ' '): Buffer {
  let n = 0;
  return withOldXref(pdf, (body) =>
    body.replace(/\n(\d+ 0 obj\n)/g, (m, obj: string) => (n++ % 2 === 0 ? `\n${pad}${obj}` : m)),
  );
}

describe('objects a few bytes from their cross-reference offsets', () => {
  const file = displaced(minimalPdf({ pages: 3 }));

  it('strict mode (sealing) refuses the file', () => {
    const err = refusal(() => PdfDocument.open(new BytesSource(file)));
    expect(err.code).toBe('PDF_MALFORMED');
    expect(err.message).toMatch(/cross-reference entry for object 1 does not point at that object/);
  });

  it('tolerant mode finds each one nearby, reads the document and says what it recovered', () => {
    const doc = PdfDocument.open(new BytesSource(file), { tolerant: true });
    expect(pageCount(doc)).toBe(3);
    expect(doc.dict(pageRef(doc, 2))?.get('Contents')).toBeDefined();
    // 10 objects, every other one shifted: objects 1, 3, 5, 7, 9 by 1, 1+1, ... bytes.
    expect(doc.recovered).toHaveLength(10);
    expect(doc.recovered[0]).toBe(
      'object 1 0 found at offset 16, +1 bytes from where its cross-reference entry says (15)',
    );
    expect(doc.recovered.join('\n')).toMatch(/object 10 0 found at offset \d+, \+5 bytes/);
    expect(doc.offsetOf(1)).toBe(16);
  });

  it('an intact file records nothing', () => {
    expect(PdfDocument.open(new BytesSource(minimalPdf()), { tolerant: true }).recovered).toEqual([]);
  });

  it('the notes are capped: 20 and a count of the rest', () => {
    const many = withOldXref(minimalPdf({ pages: 20 }), (body) =>
      body.replace('%\xe2\xe3\xcf\xd3\n', '%\xe2\xe3\xcf\xd3\n  '),
    );
    const doc = PdfDocument.open(new BytesSource(many), { tolerant: true });
    expect(doc.recovered).toHaveLength(21);
    expect(doc.recovered[20]).toBe('... and 24 more found away from their stated offsets');
  });

  it('an object more than 1 KiB away is not looked for: PDF_MALFORMED', () => {
    const far = withOldXref(minimalPdf(), (body) => body.replace('\n3 0 obj\n', `\n${' '.repeat(1100)}3 0 obj\n`));
    const err = refusal(() => PdfDocument.open(new BytesSource(far), { tolerant: true }));
    expect(err.code).toBe('PDF_MALFORMED');
    expect(err.message).toMatch(
      /entry for object 3 does not point at that object \(offset \d+\), nor is it within 1024 bytes/,
    );
  });

  it('an entry far past the end of the file is not looked for back from the end', () => {
    const s = latin1(minimalPdf());
    const at3 = s.indexOf('\n3 0 obj\n') + 1;
    const far = bytes(
      s.replace(`${String(at3).padStart(10, '0')} 00000 n`, `${String(s.length + 3000).padStart(10, '0')} 00000 n`),
    );
    const err = refusal(() => PdfDocument.open(new BytesSource(far), { tolerant: true }));
    expect(err.code).toBe('PDF_MALFORMED');
    expect(err.message).toMatch(
      /entry for object 3 does not point at that object \(offset \d+\), nor is it within 1024 bytes/,
    );
  });

  it('the nearest definition wins, and another object number at the offset is not taken for it', () => {
    // Two spaces before objects 1, 3, 5...: object 3's stated offset now falls inside object 2's dictionary.
    const doc = PdfDocument.open(new BytesSource(displaced(minimalPdf(), '  ')), { tolerant: true });
    expect(doc.recovered.slice(0, 3)).toEqual([
      expect.stringMatching(/^object 1 0 found at offset 17, \+2 bytes/),
      expect.stringMatching(/^object 2 0 found at offset \d+, \+2 bytes/),
      expect.stringMatching(/^object 3 0 found at offset \d+, \+4 bytes/),
    ]);
    expect(latin1(doc.src.read(doc.offsetOf(3)!, 8))).toBe('3 0 obj\n');
  });
});

describe('cross-reference sections a few bytes from startxref or /Prev', () => {
  const moved = (pdf: Buffer, by: number) =>
    bytes(
      latin1(pdf).replace(
        /startxref\n(\d+)(\n%%EOF\n)$/,
        (_, n: string, eof: string) => `startxref\n${Number(n) + by}${eof}`,
      ),
    );

  it.each([-3, 2])('a table %i bytes away: refused strictly, found and noted tolerantly', (by) => {
    const file = moved(minimalPdf(), by);
    expect(refusal(() => PdfDocument.open(new BytesSource(file))).code).toBe('PDF_MALFORMED');
    const doc = PdfDocument.open(new BytesSource(file), { tolerant: true });
    const stated = Number(/startxref\n(\d+)/.exec(latin1(file))![1]);
    const shift = `${by < 0 ? '+' : ''}${-by}`;
    const note = `the cross-reference section was found at offset ${stated - by}, ${shift} bytes from its stated offset (${stated})`;
    expect(doc.recovered).toEqual([note]);
    expect(pageCount(doc)).toBe(1);
  });

  it('a cross-reference stream 4 bytes away (qpdf object streams)', async () => {
    const { qpdfVariant } = await import('../../helpers/pdfs.js');
    const { readFileSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    writeFileSync(join(work.path, 'plain.pdf'), minimalPdf({ pages: 2 }));
    const xs = readFileSync(await qpdfVariant(join(work.path, 'plain.pdf'), 'xref-stream', join(work.path, 'xs.pdf')));
    const doc = PdfDocument.open(new BytesSource(moved(xs, 4)), { tolerant: true });
    expect(doc.xrefKind).toBe('stream');
    expect(doc.recovered[0]).toMatch(
      /^the cross-reference section was found at offset \d+, -4 bytes from its stated offset/,
    );
    expect(pageCount(doc)).toBe(2);
  });

  it('a stated offset far past the end of the file is not looked for back from the end (EU DSS pades_infinite_loop)', () => {
    const err = refusal(() => PdfDocument.open(new BytesSource(moved(minimalPdf(), 6000)), { tolerant: true }));
    expect(err.code).toBe('PDF_MALFORMED');
    expect(err.message).toMatch(/an offset \(\d+\) points outside the file/);
  });

  it('nothing that reads within 1 KiB: PDF_MALFORMED as before', () => {
    // 20 pages: the stated offset falls among objects, none of them a section, the table 1.5 KiB further.
    const err = refusal(() =>
      PdfDocument.open(new BytesSource(moved(minimalPdf({ pages: 20 }), -1500)), { tolerant: true }),
    );
    expect(err.code).toBe('PDF_MALFORMED');
    expect(err.message).toMatch(/expected an integer at offset \d+, found "am"/); // the stated offset's own error
  });
});

describe('ambiguities: what two readers would resolve differently', () => {
  const font2 = '<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>';

  it('an object defined twice in one revision with the table naming the first: reported', () => {
    // The second definition of object 3 after object 4, the table still naming the first one.
    const s = latin1(minimalPdf());
    const at = s.indexOf('\n5 0 obj\n') + 1;
    const dup = bytes(`${s.slice(0, at)}3 0 obj\n${font2}\nendobj\n${s.slice(at)}`);
    const fixed = withOldXref(dup, (b) => b); // offsets of objects 5+ are now off: read tolerantly
    const doc = PdfDocument.open(new BytesSource(fixed), { tolerant: true });
    const found = ambiguities(doc);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'duplicate-definition', object: 3 });
    expect(found[0]!.offsets).toEqual([s.indexOf('\n3 0 obj\n') + 1, at]);
    expect(found[0]!.detail).toMatch(/object 3 is defined 2 times in revision 1 .* names the one at \d+/);
  });

  it('the same duplicate with the table naming the last definition (as real producers write): not reported', () => {
    const s = latin1(minimalPdf());
    const first = s.indexOf('\n3 0 obj\n') + 1;
    const at = s.indexOf('\n5 0 obj\n') + 1;
    const withDup = `${s.slice(0, at)}3 0 obj\n${font2}\nendobj\n${s.slice(at)}`;
    const shift = at - first; // table entry for 3 moved to the last definition; later ones kept (tolerantly found)
    const entry = (o: number) => String(o).padStart(10, '0');
    const text = withOldXref(bytes(withDup), (b) => b)
      .toString('latin1')
      .replace(entry(first), entry(first + shift));
    const doc = PdfDocument.open(new BytesSource(bytes(text)), { tolerant: true });
    expect(doc.offsetOf(3)).toBe(at);
    expect(ambiguities(doc)).toEqual([]);
  });

  it('the same with the table 1 byte before the last definition: the tolerant reader and the walk agree, not reported', () => {
    const s = latin1(minimalPdf());
    const first = s.indexOf('\n3 0 obj\n') + 1;
    const at = s.indexOf('\n5 0 obj\n') + 1;
    const withDup = `${s.slice(0, at)}3 0 obj\n${font2}\nendobj\n${s.slice(at)}`;
    const entry = (o: number) => String(o).padStart(10, '0');
    const text = withOldXref(bytes(withDup), (b) => b)
      .toString('latin1')
      .replace(entry(first), entry(at - 1));
    const doc = PdfDocument.open(new BytesSource(bytes(text)), { tolerant: true });
    expect(doc.offsetOf(3)).toBe(at);
    expect(ambiguities(doc)).toEqual([]);
  });

  it('object headers inside stream data (an embedded PDF) are data, not definitions', () => {
    const embedded = '1 0 obj\n<< /Type /Catalog >>\nendobj\n3 0 obj\n<< >>\nendobj\n';
    const s = latin1(minimalPdf());
    const xrefAt = s.lastIndexOf('\nxref\n') + 1;
    const extraNum = Number(/\/Size (\d+)/.exec(s)![1]);
    const obj = `${extraNum} 0 obj\n<< /Length ${embedded.length} >>\nstream\n${embedded}\nendstream\nendobj\n`;
    const body = s.slice(0, xrefAt) + obj;
    const tail = s
      .slice(xrefAt)
      .replace(`0 ${extraNum}\n`, `0 ${extraNum + 1}\n`)
      .replace('trailer', `${String(xrefAt).padStart(10, '0')} 00000 n\r\ntrailer`)
      .replace(`/Size ${extraNum}`, `/Size ${extraNum + 1}`)
      .replace(/startxref\n\d+/, `startxref\n${body.length}`);
    const doc = PdfDocument.open(new BytesSource(bytes(body + tail)));
    expect(doc.offsetOf(extraNum)).toBe(xrefAt);
    expect(ambiguities(doc)).toEqual([]);
  });

  it('a later revision may redefine an object (an incremental update): not a conflict', () => {
    const s = latin1(minimalPdf());
    const size = Number(/\/Size (\d+)/.exec(s)![1]);
    const prev = Number(/startxref\n(\d+)/.exec(s)![1]);
    const update = `3 0 obj\n${font2}\nendobj\n`;
    const xrefAt = s.length + update.length;
    const trailer = `trailer\n<< /Size ${size} /Root 1 0 R /Prev ${prev} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
    const tail = `xref\n3 1\n${String(s.length).padStart(10, '0')} 00000 n\r\n${trailer}`;
    const doc = PdfDocument.open(new BytesSource(bytes(s + update + tail)));
    expect(doc.offsetOf(3)).toBe(s.length);
    expect(ambiguities(doc)).toEqual([]);
  });

  it('hostile bodies: the walk is capped at 100 reports and steps over an unterminated string in one pass', () => {
    // After the last object (no offset moves): 3,000 unlisted objects defined twice, then a string that never closes.
    const dups = Array.from(
      { length: 3000 },
      (_, i) => `${1000 + i} 0 obj\n(x)\nendobj\n${1000 + i} 0 obj\n(y)\nendobj\n`,
    ).join('');
    const hostile = withOldXref(minimalPdf(), (body) => `${body}${dups}99 0 obj\n(${'('.repeat(50_000)}\nendobj\n`);
    const doc = PdfDocument.open(new BytesSource(hostile), { tolerant: true });
    expect(doc.recovered).toEqual([]);
    const found = ambiguities(doc);
    expect(found).toHaveLength(100);
    expect(found[0]).toMatchObject({ kind: 'duplicate-definition', object: 1000 });
    expect(found[0]!.detail).toMatch(/names none of them/);
  });

  it("xrefEntriesInside: entries and sections pointing into a signature's excluded bytes", () => {
    const doc = PdfDocument.open(new BytesSource(minimalPdf()));
    const at3 = doc.offsetOf(3)!;
    expect(xrefEntriesInside(doc, [[at3 - 2, at3 + 1]])).toEqual([
      expect.objectContaining({ kind: 'xref-into-range', object: 3, offsets: [at3] }),
    ]);
    expect(xrefEntriesInside(doc, [[at3 + 1, at3 + 10]])).toEqual([]);
    const moved = PdfDocument.open(new BytesSource(displaced(minimalPdf())), { tolerant: true }); // object 1: 15 -> 16
    expect(xrefEntriesInside(moved, [[16, 17]])).toEqual([
      expect.objectContaining({
        object: 1,
        offsets: [16],
        detail: expect.stringMatching(/^object 1 was found at offset 16 \(away/),
      }),
    ]);
    const section = doc.sections[0]!.offset;
    expect(xrefEntriesInside(doc, [[section, section + 1]])).toEqual([
      expect.objectContaining({ kind: 'xref-into-range', object: null }),
    ]);
  });
});
