// ISO 32000-1 §7.2–7.3: a strict parser for PDF objects in a byte window of the file. Linear in its input: no regular
// expression sees file bytes (a backtracking one made a 200 KB number token cost 25 s), tokens are capped in length,
// and nesting is capped in depth.
import { CoreError } from '../errors.js';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfObject } from './objects.js';

/** Thrown when the window ended before the object did: the reader retries with a larger window. */
export class NeedMore extends Error {}

const WS = new Set([0, 9, 10, 12, 13, 32]);
const DELIM = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);
const MAX_DEPTH = 200;
/** Longest number, keyword or name accepted (Annex C.2 allows 127-byte names; real files stay far below this). */
export const MAX_TOKEN = 4096;
/** 1 for a regular character (§7.2.2: neither white-space nor delimiter). */
const REGULAR = Uint8Array.from({ length: 256 }, (_, c) => (WS.has(c) || DELIM.has(c) ? 0 : 1));
/** The character after a backslash in a literal string (§7.3.4.2, Table 3); -1: not a simple escape. */
const ESCAPE = Int16Array.from({ length: 256 }, () => -1);
for (const [e, v] of [
  [0x6e, 10],
  [0x72, 13],
  [0x74, 9],
  [0x62, 8],
  [0x66, 12],
  [0x28, 0x28],
  [0x29, 0x29],
  [0x5c, 0x5c],
] as const)
  ESCAPE[e] = v;

export const isWhite = (c: number | undefined): boolean => c !== undefined && WS.has(c);
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** True for a non-empty run of decimal digits. */
export function isDigits(w: string): boolean {
  if (w.length === 0) return false;
  for (let i = 0; i < w.length; i++) if (!isDigit(w.charCodeAt(i))) return false;
  return true;
}

/** §7.3.3: `[+-]digits[.digits]` or `[+-].digits` (one pass); undefined for anything else. */
export function numberToken(w: string): number | undefined {
  let i = w.charCodeAt(0) === 0x2b || w.charCodeAt(0) === 0x2d ? 1 : 0;
  let digits = 0;
  let dot = false;
  for (; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (isDigit(c)) digits++;
    else if (c === 0x2e && !dot) dot = true;
    else return undefined;
  }
  return digits > 0 ? Number(w) : undefined;
}

export function malformed(message: string): CoreError {
  return new CoreError(
    'PDF_MALFORMED',
    `the PDF is damaged (${message}); Sealdesk does not repair PDFs, since repairs are how signature attacks get in`,
  );
}

export class Lexer {
  /**
   * @param buf the window; `base` is its offset in the file (for messages and stream offsets)
   * @param complete true when the window reaches the end of its container (reaching its end is then an error)
   */
  constructor(
    readonly buf: Uint8Array,
    public pos = 0,
    readonly base = 0,
    readonly complete = true,
  ) {}

  private end(): never {
    if (!this.complete) throw new NeedMore();
    throw malformed(`unexpected end of data at offset ${this.base + this.pos}`);
  }

  peek(): number | undefined {
    return this.buf[this.pos];
  }

  skipSpace(): void {
    const b = this.buf;
    for (;;) {
      if (this.pos >= b.length) return;
      const c = b[this.pos]!;
      if (WS.has(c)) this.pos++;
      else if (c === 0x25) while (this.pos < b.length && b[this.pos] !== 10 && b[this.pos] !== 13) this.pos++;
      else return;
    }
  }

  /** The next regular-character run (a number or keyword), without consuming it. */
  peekWord(): string {
    this.skipSpace();
    const p = this.regularRun(this.pos);
    return Buffer.from(this.buf.subarray(this.pos, p)).toString('latin1');
  }

  /** Where the run of regular characters from `start` ends; a run longer than MAX_TOKEN is refused. */
  private regularRun(start: number): number {
    const b = this.buf;
    const stop = Math.min(b.length, start + MAX_TOKEN + 1);
    let p = start;
    while (p < stop && REGULAR[b[p]!] === 1) p++;
    if (p - start > MAX_TOKEN) throw malformed(`a token longer than ${MAX_TOKEN} bytes at offset ${this.base + start}`);
    if (p === b.length && !this.complete) throw new NeedMore();
    return p;
  }

  word(): string {
    const w = this.peekWord();
    this.pos += w.length;
    return w;
  }

  expectWord(w: string): void {
    const got = this.word();
    if (got !== w)
      throw malformed(`expected "${w}" at offset ${this.base + this.pos - got.length}, found "${got.slice(0, 20)}"`);
  }

  integer(): number {
    const w = this.word();
    if (!isDigits(w) || !Number.isSafeInteger(Number(w))) {
      throw malformed(`expected an integer at offset ${this.base + this.pos - w.length}, found "${w.slice(0, 20)}"`);
    }
    return Number(w);
  }

  /** `N G obj <object> [stream…] endobj`; stream data is located, not read. */
  indirect(): { num: number; gen: number; value: PdfObject } {
    const num = this.integer();
    const gen = this.integer();
    this.expectWord('obj');
    const value = this.object(0);
    if (value instanceof PdfDict && this.peekWord() === 'stream') {
      this.pos += 6;
      if (this.buf[this.pos] === 13) this.pos++;
      if (this.buf[this.pos] === 10) this.pos++;
      else if (this.pos >= this.buf.length) this.end();
      return { num, gen, value: new PdfStream(value, this.base + this.pos) };
    }
    return { num, gen, value };
  }

  object(depth = 0): PdfObject {
    if (depth > MAX_DEPTH) throw malformed(`objects nested deeper than ${MAX_DEPTH} at offset ${this.base + this.pos}`);
    this.skipSpace();
    const c = this.peek();
    if (c === undefined) this.end();
    if (c === 0x2f) return this.name();
    if (c === 0x28) return this.literal();
    if (c === 0x5b) return this.array(depth);
    if (c === 0x3c)
      return this.buf[this.pos + 1] === 0x3c
        ? this.dict(depth)
        : this.pos + 1 >= this.buf.length
          ? this.end()
          : this.hex();
    const w = this.word();
    if (w === 'true') return true;
    if (w === 'false') return false;
    if (w === 'null') return null;
    const n = numberToken(w);
    if (n !== undefined) return isDigits(w) ? this.maybeRef(n) : n;
    throw malformed(
      `unexpected "${w.slice(0, 20) || String.fromCharCode(c)}" at offset ${this.base + this.pos - w.length}`,
    );
  }

  private maybeRef(n: number): PdfObject {
    const save = this.pos;
    const gen = this.peekWord();
    if (isDigits(gen)) {
      this.pos += gen.length;
      if (this.peekWord() === 'R') {
        this.pos += 1;
        return new PdfRef(n, Number(gen));
      }
    }
    this.pos = save;
    return n;
  }

  private name(): PdfName {
    this.pos++;
    const start = this.pos;
    this.pos = this.regularRun(start);
    const raw = Buffer.from(this.buf.subarray(start, this.pos)).toString('latin1');
    return PdfName.of(
      raw.includes('#')
        ? raw.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
        : raw,
    );
  }

  private array(depth: number): PdfObject[] {
    this.pos++;
    const out: PdfObject[] = [];
    for (;;) {
      this.skipSpace();
      const c = this.peek();
      if (c === undefined) this.end();
      if (c === 0x5d) {
        this.pos++;
        return out;
      }
      out.push(this.object(depth + 1));
    }
  }

  private dict(depth: number): PdfDict {
    this.pos += 2;
    const map = new Map<string, PdfObject>();
    for (;;) {
      this.skipSpace();
      const c = this.peek();
      if (c === undefined) this.end();
      if (c === 0x3e) {
        if (this.buf[this.pos + 1] !== 0x3e) throw malformed(`expected ">>" at offset ${this.base + this.pos}`);
        this.pos += 2;
        return new PdfDict(map);
      }
      if (c !== 0x2f) throw malformed(`expected a name as dictionary key at offset ${this.base + this.pos}`);
      const key = this.name().name;
      const value = this.object(depth + 1);
      // §7.3.7: a later duplicate key is an ambiguity attackers use; refuse it.
      if (map.has(key)) throw malformed(`dictionary key /${key} appears twice at offset ${this.base + this.pos}`);
      map.set(key, value);
    }
  }

  private hex(): PdfString {
    const start = ++this.pos;
    const end = this.buf.indexOf(0x3e, start);
    if (end < 0) this.end();
    const digits = Buffer.from(this.buf.subarray(start, end))
      .toString('latin1')
      .replace(/[\0\t\n\f\r ]/g, '');
    if (!/^[0-9a-fA-F]*$/.test(digits)) throw malformed(`bad hex string at offset ${this.base + start}`);
    this.pos = end + 1;
    return new PdfString(Buffer.from(digits.length % 2 ? `${digits}0` : digits, 'hex'), true);
  }

  /** §7.3.4.2; bytes gathered in a typed array that doubles (a number[] would cost 8+ bytes per byte of string). */
  private literal(): PdfString {
    const b = this.buf;
    let out = new Uint8Array(64);
    let n = 0;
    const push = (v: number) => {
      if (n === out.length) {
        const bigger = new Uint8Array(out.length * 2);
        bigger.set(out);
        out = bigger;
      }
      out[n++] = v;
    };
    let depth = 1;
    this.pos++;
    for (;;) {
      if (this.pos >= b.length) this.end();
      const c = b[this.pos++]!;
      if (c === 0x5c) {
        if (this.pos >= b.length) this.end();
        const e = b[this.pos++]!;
        if (ESCAPE[e]! >= 0) push(ESCAPE[e]!);
        else if (e >= 0x30 && e <= 0x37) {
          let v = e - 0x30;
          for (let i = 0; i < 2 && b[this.pos]! >= 0x30 && b[this.pos]! <= 0x37; i++)
            v = v * 8 + (b[this.pos++]! - 0x30);
          push(v & 0xff);
        } else if (e === 13) {
          if (b[this.pos] === 10) this.pos++;
        } else if (e !== 10) push(e);
      } else if (c === 0x28) {
        depth++;
        push(c);
      } else if (c === 0x29) {
        if (--depth === 0) return new PdfString(out.slice(0, n));
        push(c);
      } else push(c);
    }
  }
}
