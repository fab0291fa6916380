// Small PDFs for tests, written by hand (classic xref) and turned into other structures by qpdf.
import { writeFileSync } from 'node:fs';
import { run } from './pdf-judges.js';

/**
 * A valid PDF 1.7 with a classic xref table, Helvetica text on each A4 page, /Info and /ID. `hidden` adds an
 * unreferenced content stream as the last object (what a shadow attack prepares before signing).
 */
export type MinimalPdfOptions = {
  readonly pages?: number;
  readonly text?: string;
  readonly hidden?: string;
  /** Page 1's /Annots as its own (empty) array object. */
  readonly annotsRef?: boolean;
  /** An empty text field "Amount" on page 1 (merged field and widget) with its own appearance stream object. */
  readonly textField?: boolean;
  /** Page 1 draws /X1, an XObject that is referred to as object `dangling` but never defined. */
  readonly dangling?: number;
};

export function minimalPdf(opts: MinimalPdfOptions = {}): Buffer {
  const pages = opts.pages ?? 1;
  const objs: Buffer[] = [];
  const pageNums = Array.from({ length: pages }, (_, i) => 5 + i * 2);
  objs[1] = Buffer.from('<< /Type /Catalog /Pages 2 0 R >>');
  objs[2] = Buffer.from(`<< /Type /Pages /Kids [${pageNums.map((n) => `${n} 0 R`).join(' ')}] /Count ${pages} >>`);
  objs[3] = Buffer.from('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  objs[4] = Buffer.from('<< /Producer (Sealdesk tests) /Title (A contract) >>');
  const extra = pageNums.length * 2 + 5; // the first number after the pages
  const annots = opts.annotsRef || opts.textField ? extra : null;
  pageNums.forEach((n, i) => {
    const draw = i === 0 && opts.dangling !== undefined ? '\nq /X1 Do Q' : '';
    const text = `BT /F1 18 Tf 72 760 Td (${opts.text ?? 'Contract'} - page ${i + 1}) Tj ET\nBT /F1 11 Tf 72 730 Td (The parties agree to the terms below.) Tj ET${draw}`;
    const xobj = i === 0 && opts.dangling !== undefined ? ` /XObject << /X1 ${opts.dangling} 0 R >>` : '';
    const annotsEntry = i === 0 && annots !== null ? ` /Annots ${annots} 0 R` : '';
    objs[n] = Buffer.from(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents ${n + 1} 0 R /Resources << /Font << /F1 3 0 R >>${xobj} >>${annotsEntry} >>`,
    );
    objs[n + 1] = Buffer.from(`<< /Length ${text.length} >>\nstream\n${text}\nendstream`);
  });
  if (annots !== null) objs[annots] = Buffer.from(opts.textField ? `[${annots + 1} 0 R]` : '[]');
  if (opts.textField) {
    const field = annots! + 1;
    // The form as its own object: pdfsig (poppler 22.12) drops its new field from an inline /AcroForm's /Fields.
    objs[1] = Buffer.from(`<< /Type /Catalog /Pages 2 0 R /AcroForm ${field + 2} 0 R >>`);
    objs[field + 2] = Buffer.from(
      `<< /Fields [${field} 0 R] /DA (/Helv 12 Tf 0 g) /DR << /Font << /Helv 3 0 R >> >> >>`,
    );
    objs[field] = Buffer.from(
      `<< /Type /Annot /Subtype /Widget /FT /Tx /T (Amount) /F 4 /P ${pageNums[0]} 0 R /Rect [300 100 500 130] /DA (/Helv 12 Tf 0 g) /AP << /N ${field + 1} 0 R >> >>`,
    );
    objs[field + 1] = Buffer.from(
      '<< /Type /XObject /Subtype /Form /BBox [0 0 200 30] /Length 0 >>\nstream\n\nendstream',
    );
  }
  if (opts.hidden !== undefined) {
    const text = `BT /F1 18 Tf 72 760 Td (${opts.hidden}) Tj ET`;
    objs.push(Buffer.from(`<< /Length ${text.length} >>\nstream\n${text}\nendstream`));
  }
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let size = parts[0]!.length;
  const offsets: number[] = [];
  for (let n = 1; n < objs.length; n++) {
    offsets[n] = size;
    const b = Buffer.concat([Buffer.from(`${n} 0 obj\n`), objs[n]!, Buffer.from('\nendobj\n')]);
    parts.push(b);
    size += b.length;
  }
  let xref = `xref\n0 ${objs.length}\n0000000000 65535 f\r\n`;
  for (let n = 1; n < objs.length; n++) xref += `${String(offsets[n]).padStart(10, '0')} 00000 n\r\n`;
  xref += `trailer\n<< /Size ${objs.length} /Root 1 0 R /Info 4 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] >>\nstartxref\n${size}\n%%EOF\n`;
  return Buffer.concat([...parts, Buffer.from(xref)]);
}

export function writeMinimalPdf(path: string, opts: MinimalPdfOptions = {}): string {
  writeFileSync(path, minimalPdf(opts));
  return path;
}

export type Variant = 'xref-stream' | 'linearized' | 'encrypted';

/** The same document in another structure, made by qpdf. */
export async function qpdfVariant(input: string, kind: Variant, output: string): Promise<string> {
  const args = {
    'xref-stream': ['--object-streams=generate'],
    linearized: ['--linearize'],
    encrypted: ['--encrypt', 'user', 'owner', '256', '--'],
  }[kind];
  const r = await run('qpdf', [...args, input, output]);
  if (r.code !== 0) throw new Error(`qpdf ${kind}: ${r.out}`);
  return output;
}

/** startxref points into the middle of an object: a file that only a repairing reader would open. */
export function brokenXrefPdf(): Buffer {
  const good = minimalPdf().toString('latin1');
  return Buffer.from(
    good.replace(/startxref\n(\d+)/, (_, n: string) => `startxref\n${Number(n) - 37}`),
    'latin1',
  );
}
