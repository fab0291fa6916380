// ISO 32000-2 §7.5.3, §7.5.6: structures two conforming readers resolve differently — proven conflicts, not suspicions.
//
// A reader that follows the cross-reference table and one that reconstructs the file by scanning (as viewers do when
// they repair) see different objects when one revision defines an object number twice, or when a cross-reference
// entry points into bytes a signature excludes (its /Contents gap). Both are how shadow and incremental-saving attacks
// make a viewer show something else than the verifier checked. The scan walks the file once, object by object,
// skipping stream data by its /Length (an embedded PDF inside a stream is data, not definitions), so it is linear in
// the file's size; it stops at MAX_OBJECTS definitions and reports what it proved up to there.
import type { PdfDocument } from './document.js';
import { Lexer } from './lexer.js';
import { PdfStream } from './objects.js';
import type { ByteSource } from './source.js';
import { parseAt } from './xref.js';

export type Ambiguity = {
  readonly kind: 'duplicate-definition' | 'xref-into-range';
  /** The object number concerned, or null for a cross-reference section's own offset. */
  readonly object: number | null;
  /** The file offsets involved: each definition, or the entry's offset. */
  readonly offsets: readonly number[];
  readonly detail: string;
};

const MAX_OBJECTS = 1_000_000;
const MAX_REPORTED = 100;
const LINE_KEYWORDS = new Set(['xref', 'trailer', 'startxref']);
const CHUNK = 1 << 20;
const WS = new Uint8Array(256);
for (const c of [0, 9, 10, 12, 13, 32]) WS[c] = 1;
const DELIM = new Uint8Array(256);
for (const c of '()<>[]{}/%') DELIM[c.charCodeAt(0)] = 1;

/** `num gen obj` starting exactly at `i` of `b` (a token boundary after it), or null. Bounded: a few dozen bytes. */
export function objectHeaderAt(b: Uint8Array, i: number): { num: number; gen: number; end: number } | null {
  const digits = (p: number, max: number): [number, number] | null => {
    let v = 0;
    const start = p;
    while (p < b.length && p - start <= max && b[p]! >= 0x30 && b[p]! <= 0x39) v = v * 10 + (b[p++]! - 0x30);
    return p === start || p - start > max ? null : [v, p];
  };
  const spaces = (p: number): number => {
    const start = p;
    while (p < b.length && p - start <= 16 && WS[b[p]!] === 1) p++;
    return p === start || p - start > 16 ? -1 : p;
  };
  const n = digits(i, 10);
  if (!n) return null;
  let p = spaces(n[1]);
  const g = p < 0 ? null : digits(p, 5);
  if (!g) return null;
  p = spaces(g[1]);
  if (p < 0 || b[p] !== 0x6f || b[p + 1] !== 0x62 || b[p + 2] !== 0x6a) return null;
  const after = b[p + 3];
  if (after !== undefined && WS[after] !== 1 && DELIM[after] !== 1) return null;
  return { num: n[0], gen: g[0], end: p + 3 };
}

/**
 * Object numbers defined twice inside one revision (between two `startxref … %%EOF`), found by one sequential walk,
 * where that revision's cross-reference section does not point at the last definition: readers that follow the table
 * and readers that rebuild it by scanning (the last definition wins in pdf.js, PDFBox, MuPDF and poppler) then see
 * different objects. A duplicate whose last definition is the one the table names is what some producers write and
 * every reader resolves alike, so it is not reported. Definitions inside stream data are skipped by /Length.
 */
export function ambiguities(doc: PdfDocument): Ambiguity[] {
  const out: Ambiguity[] = [];
  const src = doc.src;
  let defs = new Map<number, number[]>();
  let start = 0;
  let revision = 1;
  let objects = 0;
  const endRevision = (end: number) => {
    const section = [...doc.sections].reverse().find((x) => x.offset >= start && x.offset < end);
    for (const [num, offsets] of defs) {
      if (offsets.length < 2 || out.length >= MAX_REPORTED) continue;
      const e = section?.entries.get(num);
      const named = e?.type === 'offset' ? e.offset : null;
      if (named === offsets.at(-1)) continue;
      const says = named === null ? 'names none of them' : `names the one at ${named}`;
      out.push({
        kind: 'duplicate-definition', object: num, offsets,
        detail:
          `object ${num} is defined ${offsets.length} times in revision ${revision} (offsets ${offsets.join(', ')}) and its ` +
          `cross-reference section ${says}: readers that follow the table and readers that scan the file see different objects`,
      });
    }
    defs = new Map();
    start = end;
    revision++;
  };
  let p = 0;
  while (p < src.size && objects < MAX_OBJECTS) {
    const step = stepAt(doc, src, p);
    if (step.kind === 'object') {
      objects++;
      const list = defs.get(step.num);
      if (list) list.push(step.at);
      else defs.set(step.num, [step.at]);
    } else if (step.kind === 'startxref') endRevision(step.next);
    p = step.next;
  }
  if (defs.size > 0) endRevision(src.size);
  return out;
}

/** Cross-reference entries (every section's, as stated) and sections whose offsets fall inside `ranges` ([start, end)). */
export function xrefEntriesInside(doc: PdfDocument, ranges: readonly (readonly [number, number])[]): Ambiguity[] {
  const out: Ambiguity[] = [];
  const inside = (o: number) => ranges.find(([a, b]) => o >= a && o < b);
  for (const s of doc.sections) {
    const r = inside(s.offset);
    if (r) {
      const detail = `a cross-reference section starts at offset ${s.offset}, inside the bytes ${r[0]}–${r[1]} a signature excludes`;
      out.push({ kind: 'xref-into-range', object: null, offsets: [s.offset], detail });
    }
    for (const [num, e] of s.entries) {
      if (out.length >= MAX_REPORTED) return out;
      if (e.type !== 'offset') continue;
      const hit = inside(e.offset);
      if (!hit) continue;
      const detail = `the cross-reference entry for object ${num} points at offset ${e.offset}, inside the bytes ${hit[0]}–${hit[1]} ` +
        'a signature excludes';
      out.push({ kind: 'xref-into-range', object: num, offsets: [e.offset], detail });
    }
  }
  return out;
}

type Step = { kind: 'object'; num: number; at: number; next: number } | { kind: 'startxref' | 'other'; next: number };

/** What starts at `p` (after white-space and comments) and where the walk goes on. */
function stepAt(doc: PdfDocument, src: ByteSource, p: number): Step {
  const head = src.read(p, 64);
  const lx = new Lexer(head, 0, p, true);
  lx.skipSpace();
  if (lx.pos >= head.length) return { kind: 'other', next: p + Math.max(1, lx.pos) };
  const at = p + lx.pos;
  const h = objectHeaderAt(head, lx.pos);
  if (h) {
    const end = objectEnd(doc, src, at);
    return end === null ? { kind: 'other', next: at + 1 } : { kind: 'object', num: h.num, at, next: end };
  }
  const word = wordAt(head, lx.pos);
  if (word === 'xref') {
    const t = indexOf(src, 'trailer', at);
    return { kind: 'other', next: t < 0 ? src.size : t };
  }
  if (word === 'trailer') {
    const end = tryParse(src, at, (l) => {
      l.expectWord('trailer');
      l.object();
      return l.base + l.pos;
    });
    return { kind: 'other', next: end ?? at + 7 };
  }
  if (word === 'startxref') {
    const end = tryParse(src, at, (l) => {
      l.expectWord('startxref');
      l.integer();
      return l.base + l.pos;
    });
    return { kind: 'startxref', next: end ?? at + 9 };
  }
  return { kind: 'other', next: resync(src, at + 1) };
}

/** Where the indirect object at `at` ends (after `endobj` when present), its stream data skipped by /Length. */
function objectEnd(doc: PdfDocument, src: ByteSource, at: number): number | null {
  return tryParse(src, at, (lx) => {
    const { value } = lx.indirect();
    let end = lx.base + lx.pos;
    if (value instanceof PdfStream) {
      let len: unknown;
      try {
        len = doc.resolve(value.dict.get('Length'));
      } catch {
        len = undefined; // then found by its keyword, below
      }
      const stated = typeof len === 'number' && len >= 0 ? value.dataOffset + len : -1;
      const near = stated >= 0 ? Buffer.from(src.read(stated, 64)).toString('latin1') : '';
      const k = near.indexOf('endstream');
      // A wrong /Length: both kinds of reader then look for the keyword, as this walk does.
      end = stated >= 0 && k >= 0 && near.slice(0, k).trim() === '' ? stated + k + 9 : indexOf(src, 'endstream', value.dataOffset);
      if (end < 0) return src.size;
      if (k < 0 || stated < 0) end += 9;
    }
    const tail = Buffer.from(src.read(end, 32)).toString('latin1');
    const e = tail.indexOf('endobj');
    return e >= 0 && tail.slice(0, e).trim() === '' ? end + e + 6 : end;
  });
}

function tryParse<T>(src: ByteSource, at: number, parse: (lx: Lexer) => T): T | null {
  try {
    return parseAt(src, at, parse, 4096);
  } catch {
    return null;
  }
}

function wordAt(b: Uint8Array, i: number): string {
  let j = i;
  while (j < b.length && j - i < 16 && WS[b[j]!] !== 1 && DELIM[b[j]!] !== 1) j++;
  return Buffer.from(b.subarray(i, j)).toString('latin1');
}

/** The next offset after `from` where an object header, `xref`, `trailer` or `startxref` starts a line. */
function resync(src: ByteSource, from: number): number {
  for (let pos = from - 1; pos < src.size; pos += CHUNK - 64) {
    const buf = src.read(pos, CHUNK);
    for (let i = 1; i < buf.length; i++) {
      if (buf[i - 1] !== 10 && buf[i - 1] !== 13) continue;
      const c = buf[i]!;
      if (c >= 0x30 && c <= 0x39 ? objectHeaderAt(buf, i) !== null : LINE_KEYWORDS.has(wordAt(buf, i))) return pos + i;
    }
    if (pos + CHUNK >= src.size) break;
  }
  return src.size;
}

function indexOf(src: ByteSource, needle: string, from: number): number {
  for (let pos = from; pos < src.size; pos += CHUNK - needle.length) {
    const i = Buffer.from(src.read(pos, CHUNK)).indexOf(needle, 0, 'latin1');
    if (i >= 0) return pos + i;
    if (pos + CHUNK >= src.size) break;
  }
  return -1;
}
