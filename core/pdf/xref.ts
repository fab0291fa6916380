// §7.5.4–7.5.8: cross-reference tables, cross-reference streams and hybrid files, followed through /Prev strictly.
// A tolerant reader (verification, see document.ts) also finds a section whose startxref, /Prev or /XRefStm offset is
// a few bytes off, within ±1 KiB, and notes it; strict readers (sealing) refuse such a file.
import { objectHeaderAt } from './ambiguity.js';
import { CoreError } from '../errors.js';
import { decodeStream } from './filters.js';
import { Lexer, NeedMore, isWhite, malformed } from './lexer.js';
import { DecodeBudget } from './limits.js';
import { PdfDict, PdfStream, isName, type PdfObject } from './objects.js';
import type { ByteSource } from './source.js';

export type XrefEntry =
  | { readonly type: 'free' }
  | { readonly type: 'offset'; readonly offset: number; readonly gen: number }
  | { readonly type: 'compressed'; readonly stream: number; readonly index: number };

export type XrefSection = {
  readonly offset: number;
  readonly kind: 'table' | 'stream';
  readonly trailer: PdfDict;
  readonly entries: ReadonlyMap<number, XrefEntry>;
};

const MAX_SECTIONS = 10_000;

/** Parses whatever object starts at `offset`, growing the window until it is complete. */
export function parseAt<T>(src: ByteSource, offset: number, parse: (lx: Lexer) => T, initial = 16 * 1024): T {
  if (offset < 0 || offset >= src.size) throw malformed(`an offset (${offset}) points outside the file`);
  for (let len = initial; ; len *= 4) {
    const window = src.read(offset, len);
    const complete = offset + window.length >= src.size;
    try {
      return parse(new Lexer(window, 0, offset, complete));
    } catch (err) {
      if (!(err instanceof NeedMore) || complete) throw err;
    }
  }
}

/** The offset after the last `startxref`, which must be followed by %%EOF (§7.5.5). */
export function findStartxref(src: ByteSource): number {
  const tailLen = Math.min(src.size, 4096);
  const tail = Buffer.from(src.read(src.size - tailLen, tailLen));
  const at = tail.lastIndexOf('startxref');
  if (at < 0) throw malformed('no startxref at the end of the file');
  const m = /^startxref[\0\t\n\f\r ]+(\d+)[\0\t\n\f\r ]*%%EOF/.exec(tail.subarray(at).toString('latin1'));
  if (!m) throw malformed('startxref is not followed by an offset and %%EOF');
  return Number(m[1]);
}

/**
 * Every section from the newest (at startxref) back through /Prev and /XRefStm, newest first. With `recovered` (tolerant
 * mode), a section not at its stated offset is looked for nearby and what was found is pushed there.
 */
export function readXrefChain(
  src: ByteSource,
  startxref: number,
  budget = new DecodeBudget(),
  recovered: string[] | null = null,
): XrefSection[] {
  const sections: XrefSection[] = [];
  const seen = new Set<number>();
  for (let offset: number | undefined = startxref; offset !== undefined;) {
    if (seen.has(offset)) throw malformed(`the cross-reference chain loops back to offset ${offset}`);
    if (seen.size >= MAX_SECTIONS) throw malformed('more than 10,000 cross-reference sections');
    seen.add(offset);
    const section = readSectionNear(src, offset, budget, recovered);
    const stm = section.trailer.get('XRefStm');
    if (section.kind === 'table' && typeof stm === 'number') {
      // A hybrid file (§7.5.8.4): the stream's entries complete the table's for readers that know streams.
      const extra = readSectionNear(src, stm, budget, recovered);
      if (extra.kind !== 'stream') throw malformed(`/XRefStm ${stm} is not a cross-reference stream`);
      const merged = new Map(extra.entries);
      for (const [n, e] of section.entries) if (e.type !== 'free' || !merged.has(n)) merged.set(n, e);
      sections.push({ ...section, entries: merged });
    } else sections.push(section);
    const prev = section.trailer.get('Prev');
    if (prev !== undefined && (typeof prev !== 'number' || !Number.isInteger(prev)))
      throw malformed('/Prev is not an integer');
    offset = prev;
  }
  return sections;
}

const SECTION_WINDOW = 1024;
const SECTION_TRIES = 8;

/** readSection, or (tolerant) the nearest section within ±1 KiB of `offset` that reads, at most 8 tried. */
function readSectionNear(
  src: ByteSource,
  offset: number,
  budget: DecodeBudget,
  recovered: string[] | null,
): XrefSection {
  try {
    return readSection(src, offset, budget);
  } catch (err) {
    if (!recovered || !(err instanceof CoreError) || err.code !== 'PDF_MALFORMED') throw err;
    const from = Math.max(0, Math.min(offset, src.size) - SECTION_WINDOW);
    const bytes = src.read(from, Math.min(offset, src.size) + SECTION_WINDOW - from);
    const candidates: number[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const boundary = i === 0 || isWhite(bytes[i - 1]);
      if (!boundary) continue;
      const isXref =
        bytes[i] === 0x78 &&
        bytes[i + 1] === 0x72 &&
        bytes[i + 2] === 0x65 &&
        bytes[i + 3] === 0x66 &&
        isWhite(bytes[i + 4]);
      if (isXref || objectHeaderAt(bytes, i) !== null) candidates.push(from + i);
    }
    // Only "a few bytes off": a stated offset past the end of the file is not looked for back from the end.
    candidates.splice(0, candidates.length, ...candidates.filter((at) => Math.abs(at - offset) <= SECTION_WINDOW));
    candidates.sort((a, b) => Math.abs(a - offset) - Math.abs(b - offset));
    for (const at of candidates.slice(0, SECTION_TRIES)) {
      if (at === offset) continue;
      let section: XrefSection;
      try {
        section = readSection(src, at, budget);
      } catch {
        continue;
      }
      const shift = `${at > offset ? '+' : ''}${at - offset}`;
      recovered.push(
        `the cross-reference section was found at offset ${at}, ${shift} bytes from its stated offset (${offset})`,
      );
      return section;
    }
    throw err;
  }
}

function readSection(src: ByteSource, offset: number, budget: DecodeBudget): XrefSection {
  const section = parseAt(src, offset, (lx) =>
    lx.peekWord() === 'xref' ? readTable(lx, offset) : readStreamSection(src, lx, offset, budget),
  );
  // A table's entries cost ~20 bytes of file each, so it is counted once read; a stream's are counted before they are built.
  if (section.kind === 'table') budget.chargeObjects(section.entries.size);
  return section;
}

function readTable(lx: Lexer, offset: number): XrefSection {
  lx.expectWord('xref');
  const entries = new Map<number, XrefEntry>();
  while (lx.peekWord() !== 'trailer') {
    const start = lx.integer();
    const count = lx.integer();
    for (let i = 0; i < count; i++) {
      const off = lx.integer();
      const gen = lx.integer();
      const kind = lx.word();
      if (kind !== 'n' && kind !== 'f')
        throw malformed(`bad cross-reference entry type "${kind}" near offset ${lx.base + lx.pos}`);
      if (!entries.has(start + i))
        entries.set(start + i, kind === 'n' && off > 0 ? { type: 'offset', offset: off, gen } : { type: 'free' });
    }
  }
  lx.expectWord('trailer');
  const trailer = lx.object();
  if (!(trailer instanceof PdfDict)) throw malformed('the trailer is not a dictionary');
  return { offset, kind: 'table', trailer, entries };
}

/** Object numbers past this are not a PDF's (Annex C.2 allows 8,388,607 objects; 2^31 - 1 leaves room for the odd one). */
const MAX_OBJECT_NUMBER = 2 ** 31 - 1;

/**
 * §7.5.8: a cross-reference stream, validated before any entry is built: each row has bytes (/W sums to > 0, each
 * width ≤ 7 so values stay exact), /Size and /Index are sane, and /Index asks for no more rows than the data holds.
 */
function readStreamSection(src: ByteSource, lx: Lexer, offset: number, budget: DecodeBudget): XrefSection {
  const { value } = lx.indirect();
  if (!(value instanceof PdfStream) || !isName(value.dict.get('Type'), 'XRef'))
    throw malformed(`startxref/Prev offset ${offset} points at neither a cross-reference table nor a stream`);
  const dict = value.dict;
  const length = dict.get('Length');
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 0)
    throw malformed('a cross-reference stream has no direct /Length');
  if (value.dataOffset + length > src.size)
    throw malformed(`a cross-reference stream's /Length (${length}) runs past the end of the file`);
  const w = ints(dict.get('W'), 'W');
  const size = dict.get('Size');
  if (w.length !== 3 || typeof size !== 'number') throw malformed('a cross-reference stream lacks /W or /Size');
  if (!Number.isInteger(size) || size < 0 || size > MAX_OBJECT_NUMBER)
    throw malformed(`a cross-reference stream's /Size (${size}) is not a sane object count`);
  if (w.some((x) => x > 7))
    throw malformed(`a cross-reference stream's /W [${w.join(' ')}] has a field wider than 7 bytes`);
  const rowLen = w[0]! + w[1]! + w[2]!;
  if (rowLen === 0) throw malformed("a cross-reference stream's /W [0 0 0] gives its rows no bytes");
  const index = dict.get('Index') === undefined ? [0, size] : ints(dict.get('Index'), 'Index');
  if (index.length % 2 !== 0) throw malformed("a cross-reference stream's /Index has an odd number of integers");
  let rows = 0;
  for (let s = 0; s < index.length; s += 2) {
    if (index[s]! + index[s + 1]! > MAX_OBJECT_NUMBER)
      throw malformed(
        `a cross-reference stream's /Index range ${index[s]} ${index[s + 1]} is beyond any object number`,
      );
    rows += index[s + 1]!;
  }
  const data = decodeStream(dict, src.read(value.dataOffset, length), budget);
  if (rows * rowLen > data.length)
    throw malformed(
      `a cross-reference stream is shorter (${data.length} bytes) than its /Index says (${rows} rows of ${rowLen})`,
    );
  budget.chargeObjects(rows);
  const entries = new Map<number, XrefEntry>();
  const at = [0, w[0]!, w[0]! + w[1]!];
  let p = 0;
  for (let s = 0; s < index.length; s += 2) {
    for (let i = 0; i < index[s + 1]!; i++, p += rowLen) {
      const f = (k: number, dflt: number) => (w[k] === 0 ? dflt : field(data, p + at[k]!, w[k]!));
      const type = f(0, 1);
      const n = index[s]! + i;
      if (entries.has(n)) continue;
      if (type === 0) entries.set(n, FREE);
      else if (type === 1) entries.set(n, { type: 'offset', offset: f(1, 0), gen: f(2, 0) });
      else if (type === 2) entries.set(n, { type: 'compressed', stream: f(1, 0), index: f(2, 0) });
    }
  }
  return { offset, kind: 'stream', trailer: dict, entries };
}

const FREE: XrefEntry = Object.freeze({ type: 'free' });

function field(data: Uint8Array, at: number, width: number): number {
  let v = 0;
  for (let i = 0; i < width; i++) v = v * 256 + data[at + i]!;
  return v;
}

function ints(o: PdfObject | undefined, what: string): number[] {
  if (!Array.isArray(o) || !o.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0))
    throw malformed(`/${what} is not an array of integers`);
  return o as number[];
}
