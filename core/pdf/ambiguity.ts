// ISO 32000-2 §7.5.3, §7.5.6: structures two conforming readers resolve differently — proven conflicts, not suspicions.
//
// A reader that follows the cross-reference table and one that reconstructs the file by scanning (as viewers do when
// they repair) see different objects when one revision defines an object number twice, or when a cross-reference
// entry points into bytes a signature excludes (its /Contents gap). Both are how shadow and incremental-saving attacks
// make a viewer show something else than the verifier checked. The scan walks the file once, object by object,
// skipping stream data by its /Length (an embedded PDF inside a stream is data, not definitions), so it is linear in
// the file's size; it stops at MAX_OBJECTS definitions and reports what it proved up to there.
import type { PdfDocument } from './document.js';
import { PdfRef } from './objects.js';
import type { ByteSource } from './source.js';
import type { XrefEntry } from './xref.js';

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
      // A table a few bytes off names the definition the tolerant reader finds: the nearest within 1 KiB.
      const stated = e?.type === 'offset' ? e.offset : null;
      const nearest =
        stated === null ? null : offsets.reduce((a, b) => (Math.abs(b - stated) < Math.abs(a - stated) ? b : a));
      const named = nearest !== null && stated !== null && Math.abs(nearest - stated) <= 1024 ? nearest : stated;
      if (named === offsets.at(-1)) continue;
      const says = named === null ? 'names none of them' : `names the one at ${named}`;
      out.push({
        kind: 'duplicate-definition',
        object: num,
        offsets,
        detail:
          `object ${num} is defined ${offsets.length} times in revision ${revision} (offsets ${offsets.join(', ')}) and its ` +
          `cross-reference section ${says}: readers that follow the table and readers that scan the file see different objects`,
      });
    }
    defs = new Map();
    start = end;
    revision++;
  };
  const cur = new Cursor(src);
  let p = 0;
  while (p < src.size && objects < MAX_OBJECTS) {
    const step = stepAt(doc, cur, p);
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
      const detail =
        `the cross-reference entry for object ${num} points at offset ${e.offset}, inside the bytes ${hit[0]}–${hit[1]} ` +
        'a signature excludes';
      out.push({ kind: 'xref-into-range', object: num, offsets: [e.offset], detail });
    }
  }
  if (doc.recovered.length === 0) return out;
  // A tolerant reader moved some entries: where it found an object counts as much as where the table said.
  const seen = new Set(out.map((a) => a.object));
  const newest = new Map<number, XrefEntry>();
  for (const s of doc.sections) for (const [num, e] of s.entries) if (!newest.has(num)) newest.set(num, e);
  for (const [num, e] of newest) {
    if (out.length >= MAX_REPORTED) break;
    if (e.type !== 'offset' || seen.has(num)) continue;
    const at = doc.offsetOf(num);
    const hit = at === null || at === e.offset ? undefined : inside(at);
    if (!hit || at === null) continue;
    const detail =
      `object ${num} was found at offset ${at} (away from its cross-reference entry), inside the bytes ` +
      `${hit[0]}–${hit[1]} a signature excludes`;
    out.push({ kind: 'xref-into-range', object: num, offsets: [at], detail });
  }
  return out;
}

type Step = { kind: 'object'; num: number; at: number; next: number } | { kind: 'startxref' | 'other'; next: number };

/** A sliding 1 MiB view of the file: byte access without a read per byte. */
class Cursor {
  private buf: Uint8Array = new Uint8Array(0);
  private base = 0;
  constructor(readonly src: ByteSource) {}
  /** The byte at `p`, or -1 past the end. */
  at(p: number): number {
    const i = p - this.base;
    if (i >= 0 && i < this.buf.length) return this.buf[i]!;
    if (p >= this.src.size || p < 0) return -1;
    this.buf = this.src.read(p, CHUNK).slice(); // kept across reads: a copy
    this.base = p;
    return this.buf[0]!;
  }
  /** At least `n` bytes from `p` (fewer at the end of the file), and the index of `p` in them. */
  view(p: number, n: number): [Uint8Array, number] {
    const end = this.base + this.buf.length;
    if (p < this.base || (p + n > end && end < this.src.size)) this.reload(p);
    return [this.buf, p - this.base];
  }
  /** Where `byte` next occurs from `p`, or -1: a signature's long hex /Contents is skipped by one search. */
  find(p: number, byte: number): number {
    while (this.at(p) >= 0) {
      const i = this.buf.indexOf(byte, p - this.base);
      if (i >= 0) return this.base + i;
      p = this.base + this.buf.length;
    }
    return -1;
  }
  private reload(p: number): void {
    this.buf = this.src.read(p, CHUNK).slice(); // kept across reads: a copy
    this.base = p;
  }
}

const isWs = (c: number) => c >= 0 && WS[c] === 1;
const isRegular = (c: number) => c >= 0 && WS[c] !== 1 && DELIM[c] !== 1;

/** What starts at `p` (after white-space and comments) and where the walk goes on. */
function stepAt(doc: PdfDocument, cur: Cursor, p: number): Step {
  p = skipSpace(cur, p);
  if (p >= cur.src.size) return { kind: 'other', next: p };
  const [buf, i] = cur.view(p, 64);
  const h = objectHeaderAt(buf, i);
  if (h) return { kind: 'object', num: h.num, at: p, next: objectEnd(doc, cur, p + (h.end - i)) };
  const word = wordAt(buf, i);
  if (word === 'xref') {
    const t = indexOf(cur.src, 'trailer', p);
    return { kind: 'other', next: t < 0 ? cur.src.size : t };
  }
  if (word === 'trailer') return { kind: 'other', next: skipTokens(doc, cur, p + 7, 'trailer').end };
  if (word === 'startxref') {
    let q = skipSpace(cur, p + 9);
    while (cur.at(q) >= 0x30 && cur.at(q) <= 0x39) q++;
    return { kind: 'startxref', next: q };
  }
  return { kind: 'other', next: resync(cur.src, p + 1) };
}

function skipSpace(cur: Cursor, p: number): number {
  for (;;) {
    const c = cur.at(p);
    if (isWs(c)) p++;
    else if (c === 0x25) {
      while (cur.at(p) >= 0 && cur.at(p) !== 10 && cur.at(p) !== 13) p++;
    } else return p;
  }
}

/** Where the indirect object whose body starts at `p` ends: after `endobj`, its stream data skipped by /Length. */
function objectEnd(doc: PdfDocument, cur: Cursor, p: number): number {
  return skipTokens(doc, cur, p, 'object').end;
}

/**
 * Steps over tokens without building objects: strings, names, comments and dictionaries are skipped by their
 * syntax; `stream` jumps over the data by the dictionary's /Length (direct, or an indirect one resolved), else to
 * `endstream`. An object ends at `endobj` or where the next object header, `xref` or `startxref` starts (a missing
 * `endobj`); a trailer when its dictionary closes.
 */
function skipTokens(doc: PdfDocument, cur: Cursor, p: number, what: 'object' | 'trailer'): { end: number } {
  const size = cur.src.size;
  let depth = 0;
  let length: { num: number; gen: number } | number | null = null;
  // After `/Length` in the stream dictionary: waiting for its integer, a generation, then R.
  let state: 'none' | 'int' | 'gen' | 'R' = 'none';
  let n1 = 0;
  let n2 = 0;
  // Where the last two tokens started, when they were integers (a header `N G obj` then starts at the first).
  let int1 = -1;
  let int2 = -1;
  while (p < size) {
    p = skipSpace(cur, p);
    const c = cur.at(p);
    if (c < 0) break;
    const start = p;
    let integer = false;
    if (c === 0x28) {
      p = skipLiteral(cur, p);
      state = 'none';
    } else if (c === 0x3c && cur.at(p + 1) === 0x3c) {
      depth++;
      p += 2;
    } else if (c === 0x3e && cur.at(p + 1) === 0x3e) {
      depth--;
      p += 2;
      if (what === 'trailer' && depth <= 0) return { end: p };
    } else if (c === 0x3c) {
      const q = cur.find(p, 0x3e);
      p = q < 0 ? size : q + 1;
      state = 'none';
    } else if (c === 0x2f) {
      p++;
      while (isRegular(cur.at(p)) && p - start < 128) p++;
      state = depth === 1 && p - start === 7 && wordIs(cur, start + 1, 6, 'Length') ? 'int' : 'none';
    } else if (isRegular(c)) {
      let value = 0;
      integer = true;
      for (; isRegular(cur.at(p)) && p - start < 32; p++) {
        const d = cur.at(p) - 0x30;
        if (d < 0 || d > 9) integer = false;
        else value = value * 10 + d;
      }
      const n = p - start;
      if (n === 6 && wordIs(cur, start, n, 'endobj')) return { end: p };
      if (n === 3 && wordIs(cur, start, n, 'obj')) return { end: int1 >= 0 && int2 >= 0 ? int1 : start };
      if ((n === 4 && wordIs(cur, start, n, 'xref')) || (n === 9 && wordIs(cur, start, n, 'startxref')))
        return { end: start };
      if (integer && state === 'int') [length, n1, state] = [value, value, 'gen'];
      else if (integer && state === 'gen') [n2, state] = [value, 'R'];
      else if (n === 1 && c === 0x52 && state === 'R') [length, state] = [{ num: n1, gen: n2 }, 'none'];
      else state = 'none';
      if (n === 6 && depth <= 0 && wordIs(cur, start, n, 'stream')) {
        p = afterStream(doc, cur, p, length);
        length = null;
      }
    } else {
      p++; // [ ] { } or a stray delimiter
      state = 'none';
    }
    [int1, int2] = [int2, integer ? start : -1];
  }
  return { end: size };
}

/** From just after the `stream` keyword to just after `endstream`. */
function afterStream(
  doc: PdfDocument,
  cur: Cursor,
  p: number,
  length: { num: number; gen: number } | number | null,
): number {
  if (cur.at(p) === 13) p++;
  if (cur.at(p) === 10) p++;
  let len: unknown = length;
  if (length !== null && typeof length === 'object') {
    try {
      len = doc.resolve(new PdfRef(length.num, length.gen));
    } catch {
      len = null; // then found by its keyword, below
    }
  }
  if (typeof len === 'number' && len >= 0 && p + len <= cur.src.size) {
    const q = skipSpace(cur, p + len);
    if (wordIs(cur, q, 9, 'endstream')) return q + 9;
  }
  // A wrong /Length: readers then look for the keyword, as this walk does.
  const k = indexOf(cur.src, 'endstream', p);
  return k < 0 ? cur.src.size : k + 9;
}

function skipLiteral(cur: Cursor, p: number): number {
  let depth = 0;
  for (;;) {
    const c = cur.at(p++);
    if (c < 0) return p;
    if (c === 0x5c) p++;
    else if (c === 0x28) depth++;
    else if (c === 0x29 && --depth === 0) return p;
  }
}

/** Whether the `n` bytes at `p` spell `word` (ASCII). */
function wordIs(cur: Cursor, p: number, n: number, word: string): boolean {
  if (n !== word.length) return false;
  for (let i = 0; i < n; i++) if (cur.at(p + i) !== word.charCodeAt(i)) return false;
  return true;
}

function wordAt(b: Uint8Array, i: number): string {
  let j = i;
  while (j < b.length && j - i < 16 && WS[b[j]!] !== 1 && DELIM[b[j]!] !== 1) j++;
  return Buffer.from(b.subarray(i, j)).toString('latin1');
}

/** The next offset after `from` where an object header, `xref`, `trailer` or `startxref` starts a line. */
function resync(src: ByteSource, from: number): number {
  for (let pos = from - 1, len = 16 * 1024; pos < src.size; pos += len - 64, len = Math.min(CHUNK, len * 4)) {
    const buf = src.read(pos, len);
    for (let i = 1; i < buf.length; i++) {
      if (buf[i - 1] !== 10 && buf[i - 1] !== 13) continue;
      const c = buf[i]!;
      if (c >= 0x30 && c <= 0x39 ? objectHeaderAt(buf, i) !== null : LINE_KEYWORDS.has(wordAt(buf, i))) return pos + i;
    }
    if (pos + len >= src.size) break;
  }
  return src.size;
}

/** Where `needle` next occurs from `from`, or -1; windows grow from 16 KiB (the keyword is usually near). */
function indexOf(src: ByteSource, needle: string, from: number): number {
  for (let pos = from, len = 16 * 1024; pos < src.size; pos += len - needle.length, len = Math.min(CHUNK, len * 4)) {
    const w = src.read(pos, len);
    const i = Buffer.from(w.buffer, w.byteOffset, w.byteLength).indexOf(needle, 0, 'latin1');
    if (i >= 0) return pos + i;
    if (pos + len >= src.size) break;
  }
  return -1;
}
