// core/pdf's strict reader: every structure qpdf writes opens, and damaged files give PDF_MALFORMED, never a crash.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { CoreError } from '../../../core/errors.js';
import { BytesSource, PdfDocument, PdfRef, pageCount, pageRef } from '../../../core/pdf/index.js';
import { minimalPdf, qpdfVariant } from '../../helpers/pdfs.js';
import { tempDir } from '../../helpers/tmp.js';

const work = tempDir('pdf-reader');
afterAll(() => work.remove());
const attacks = fileURLToPath(new URL('../../../../shared/corpus/pdf/attacks', import.meta.url));

function open(bytes: Uint8Array): PdfDocument {
  return PdfDocument.open(new BytesSource(bytes));
}

/** Opening and walking to the last page either works or fails with PDF_MALFORMED / PDF_ENCRYPTED. */
function openOrRefuse(bytes: Uint8Array): 'ok' | string {
  try {
    const doc = open(bytes);
    pageRef(doc, pageCount(doc) - 1);
    return 'ok';
  } catch (err) {
    if (err instanceof CoreError) return err.code;
    throw err;
  }
}

describe('structures', () => {
  it.each(['xref-stream', 'linearized'] as const)(
    'reads a %s file from qpdf (object streams included)',
    async (kind) => {
      const base = join(work.path, 'base.pdf');
      writeFileSync(base, minimalPdf({ pages: 5 }));
      const doc = open(readFileSync(await qpdfVariant(base, kind, join(work.path, `${kind}.pdf`))));
      expect(doc.xrefKind).toBe(kind === 'xref-stream' ? 'stream' : 'table');
      expect(pageCount(doc)).toBe(5);
      expect(pageRef(doc, 4).num).toBeGreaterThan(0);
      expect(doc.trailer.get('Root')).toBeDefined();
    },
  );

  it('refuses an encrypted file', async () => {
    const base = join(work.path, 'plain.pdf');
    writeFileSync(base, minimalPdf());
    expect(openOrRefuse(readFileSync(await qpdfVariant(base, 'encrypted', join(work.path, 'enc.pdf'))))).toBe(
      'PDF_ENCRYPTED',
    );
  });
});

describe('hybrid-reference files (a table plus /XRefStm), from the corpus', () => {
  const signed = fileURLToPath(new URL('../../../../shared/corpus/pdf/signed', import.meta.url));
  it.each(['dss_Signature-P-BG_BOR-2.pdf', 'dss_certified-no-change-permitted.pdf'])(
    '%s: objects only the /XRefStm stream lists resolve',
    (name) => {
      const f = join(signed, name);
      if (!existsSync(f)) return void console.warn(`corpus absent: ${f} skipped`);
      const doc = open(readFileSync(f));
      const hybrid = doc.sections.filter((s) => s.kind === 'table' && s.trailer.get('XRefStm') !== undefined);
      expect(hybrid.length).toBeGreaterThan(0);
      const compressed = hybrid.flatMap((s) =>
        [...s.entries].filter(([, e]) => e.type === 'compressed').map(([num]) => num),
      );
      expect(compressed.length).toBeGreaterThan(0);
      for (const num of compressed) expect(doc.get(new PdfRef(num, 0))).toBeDefined();
      expect(pageCount(doc)).toBeGreaterThan(0);
    },
  );
});

describe('damaged files never crash the reader', () => {
  const good = minimalPdf({ pages: 2 });

  it('every truncation is refused or read, never thrown at as a TypeError', () => {
    const codes = new Set<string>();
    for (let len = 0; len < good.length; len += 7) codes.add(openOrRefuse(good.subarray(0, len)));
    expect([...codes].every((c) => c === 'PDF_MALFORMED' || c === 'ok')).toBe(true);
    expect(codes.has('PDF_MALFORMED')).toBe(true);
  });

  it('400 single-byte corruptions: each is read or refused with PDF_MALFORMED', () => {
    let refused = 0;
    for (let i = 0; i < 400; i++) {
      const bad = Buffer.from(good);
      const at = (i * 7919) % bad.length;
      bad[at] = (bad[at]! + 1 + (i % 250)) & 0xff;
      const r = openOrRefuse(bad);
      expect(['ok', 'PDF_MALFORMED']).toContain(r);
      if (r !== 'ok') refused++;
    }
    expect(refused).toBeGreaterThan(0);
  });

  it('a cross-reference chain that loops is refused (DSS-1872 file)', () => {
    const f = join(attacks, 'dss_pades_infinite_loop.pdf');
    if (!existsSync(f)) return void console.warn(`corpus absent: ${f} skipped`);
    expect(['ok', 'PDF_MALFORMED']).toContain(openOrRefuse(readFileSync(f)));
  });
});
