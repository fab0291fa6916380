// What a page draws (text, paths, images, forms, annotations) as boxes, by a conservative scan of its content
// operators with the graphics state's matrices (§8.4, §9.4): the visible-seal overlap warning and page previews.
// One pass over each content stream (decoded once, within the document's decode budget); no step copies the stream.
import type { PdfDocument } from './document.js';
import { Lexer } from './lexer.js';
import { PdfName, PdfRef, PdfStream, type PdfObject } from './objects.js';

type Matrix = [number, number, number, number, number, number];
export type Box = readonly [number, number, number, number];

const I: Matrix = [1, 0, 0, 1, 0, 0];
const mul = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[1] * n[2],
  m[0] * n[1] + m[1] * n[3],
  m[2] * n[0] + m[3] * n[2],
  m[2] * n[1] + m[3] * n[3],
  m[4] * n[0] + m[5] * n[2] + n[4],
  m[4] * n[1] + m[5] * n[3] + n[5],
];
const apply = (m: Matrix, x: number, y: number): [number, number] => [
  m[0] * x + m[2] * y + m[4],
  m[1] * x + m[3] * y + m[5],
];

/** A loop, not Math.min(...xs): a path of a million points would overflow the call stack as spread arguments. */
function bboxOf(points: [number, number][]): Box {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (const [x, y] of points) {
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  return [x0, y0, x1, y1];
}
const intersects = (a: Box, b: Box) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];

export function contentOverlaps(doc: PdfDocument, page: PdfRef, rect: Box): boolean {
  let hit = false;
  const complete = drawnBoxes(doc, page, (b) => (hit = intersects(b, rect)));
  return hit || !complete; // content Sealdesk cannot read may be anywhere
}

/** Boxes (x0, y0, x1, y1) of what the page draws, for a schematic preview; `complete` is false when some content could not be read. */
export function contentBoxes(doc: PdfDocument, page: PdfRef, max = 5000): { boxes: Box[]; complete: boolean } {
  const boxes: Box[] = [];
  const complete = drawnBoxes(doc, page, (b) => boxes.push(b) >= max);
  return { boxes, complete };
}

/** Feeds `onBox` each drawn box (annotations first, then content) until it returns true; false when content was unreadable. */
function drawnBoxes(doc: PdfDocument, page: PdfRef, onBox: (box: Box) => boolean): boolean {
  const dict = doc.dict(page);
  if (!dict) return true;
  for (const a of arrayOf(doc.resolve(dict.get('Annots')))) {
    const r = doc.resolve(doc.dict(a)?.get('Rect'));
    if (
      Array.isArray(r) &&
      r.length === 4 &&
      r.every((v) => typeof v === 'number') &&
      onBox(
        bboxOf([
          [r[0] as number, r[1] as number],
          [r[2] as number, r[3] as number],
        ]),
      )
    )
      return true;
  }
  const xobjects = doc.dict(doc.dict(dict.get('Resources'))?.get('XObject'));
  for (const c of arrayOf(doc.resolve(dict.get('Contents')))) {
    const s = doc.resolve(c);
    if (!(s instanceof PdfStream)) continue;
    try {
      if (scan(doc.streamData(s), onBox, (n) => doc.dict(xobjects?.get(n)))) return true;
    } catch {
      return false; // content that does not decode or parse
    }
  }
  return true;
}

function arrayOf(o: PdfObject | undefined): PdfObject[] {
  return Array.isArray(o) ? o : o === undefined || o === null ? [] : [o];
}

function scan(
  data: Uint8Array,
  onBox: (box: Box) => boolean,
  xobject: (name: string) => { get(k: string): PdfObject | undefined } | undefined,
): boolean {
  const lx = new Lexer(data);
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength); // a view, for indexOf
  const stack: Matrix[] = [];
  let ctm = I,
    tm = I,
    tlm = I,
    leading = 0,
    fontSize = 10,
    whiteFill = false;
  let path: [number, number][] = [];
  let ops: PdfObject[] = [];
  const n = (i: number) => (typeof ops[i] === 'number' ? (ops[i] as number) : 0);
  const hit = (pts: [number, number][]) => pts.length > 0 && onBox(bboxOf(pts));
  for (;;) {
    lx.skipSpace();
    if (lx.pos >= data.length) return false;
    const c = lx.peek()!;
    const isOperandStart = '/(<[+-.0123456789'.includes(String.fromCharCode(c));
    const w = isOperandStart ? '' : lx.peekWord();
    if (isOperandStart || w === 'true' || w === 'false' || w === 'null') {
      ops.push(lx.object());
      continue;
    }
    if (w === '') return false; // a stray delimiter: stop scanning rather than guess
    lx.word();
    switch (w) {
      case 'q':
        stack.push(ctm);
        break;
      case 'Q':
        ctm = stack.pop() ?? I;
        break;
      case 'cm':
        ctm = mul([n(0), n(1), n(2), n(3), n(4), n(5)], ctm);
        break;
      case 'g':
        whiteFill = n(0) === 1;
        break;
      case 'rg':
        whiteFill = n(0) === 1 && n(1) === 1 && n(2) === 1;
        break;
      case 'k':
        whiteFill = n(0) + n(1) + n(2) + n(3) === 0;
        break;
      case 'BT':
        tm = tlm = I;
        break;
      case 'Tf':
        fontSize = n(1) || fontSize;
        break;
      case 'TL':
        leading = n(0);
        break;
      case 'Tm':
        tm = tlm = [n(0), n(1), n(2), n(3), n(4), n(5)];
        break;
      case 'Td':
      case 'TD':
        tm = tlm = mul([1, 0, 0, 1, n(0), n(1)], tlm);
        if (w === 'TD') leading = -n(1);
        break;
      case 'T*':
        tm = tlm = mul([1, 0, 0, 1, 0, -leading], tlm);
        break;
      case 'Tj':
      case 'TJ':
      case "'":
      case '"': {
        if (w === "'" || w === '"') tm = tlm = mul([1, 0, 0, 1, 0, -leading], tlm);
        const m = mul(tm, ctm);
        const chars = ops.reduce<number>(
          (k, o) =>
            k +
            (Array.isArray(o)
              ? o.length * 2
              : o instanceof Object && 'bytes' in o
                ? (o as { bytes: Uint8Array }).bytes.length
                : 0),
          0,
        );
        const width = Math.max(1, chars) * fontSize * 0.5;
        if (hit([apply(m, 0, -0.2 * fontSize), apply(m, width, fontSize)])) return true;
        break;
      }
      case 're': {
        const [x, y, rw, rh] = [n(0), n(1), n(2), n(3)];
        path.push(apply(ctm, x, y), apply(ctm, x + rw, y), apply(ctm, x, y + rh), apply(ctm, x + rw, y + rh));
        break;
      }
      case 'm':
      case 'l':
        path.push(apply(ctm, n(0), n(1)));
        break;
      case 'c':
        path.push(apply(ctm, n(0), n(1)), apply(ctm, n(2), n(3)), apply(ctm, n(4), n(5)));
        break;
      case 'v':
      case 'y':
        path.push(apply(ctm, n(0), n(1)), apply(ctm, n(2), n(3)));
        break;
      case 'S':
      case 's':
      case 'B':
      case 'B*':
      case 'b':
      case 'b*':
        if (hit(path)) return true;
        path = [];
        break;
      case 'f':
      case 'F':
      case 'f*':
        if (!whiteFill && hit(path)) return true;
        path = [];
        break;
      case 'n':
        path = [];
        break;
      case 'Do': {
        const x = ops[0] instanceof PdfName ? xobject(ops[0].name) : undefined;
        const bb = x?.get('BBox');
        const box = Array.isArray(bb) && bb.length === 4 ? (bb as number[]) : [0, 0, 1, 1];
        if (
          hit([
            apply(ctm, box[0]!, box[1]!),
            apply(ctm, box[2]!, box[1]!),
            apply(ctm, box[0]!, box[3]!),
            apply(ctm, box[2]!, box[3]!),
          ])
        )
          return true;
        break;
      }
      case 'BI': {
        const end = bytes.indexOf('EI', lx.pos);
        lx.pos = end < 0 ? data.length : end + 2;
        if (hit([apply(ctm, 0, 0), apply(ctm, 1, 1)])) return true;
        break;
      }
    }
    ops = [];
  }
}
