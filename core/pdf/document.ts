// A PDF opened for reading: its revisions' cross-references merged, objects parsed on demand, never loaded whole.
// Two modes. Strict (the default; sealing, restamping, import): every cross-reference entry must point at its own
// `N G obj` and encrypted files are refused, because what we append must rest on a structure every reader resolves
// alike. Tolerant (verification only): an entry a few bytes off is found again near its stated offset, as PDF
// processors do, and noted in `recovered`; the search is bounded (±1 KiB per entry, a total byte budget) so a hostile
// file cannot make it quadratic, and beyond it the file is PDF_MALFORMED. Verification stays strict in what it judges:
// each signature is still checked over its /ByteRange bytes. Files encrypted with an empty user password are read
// in tolerant mode through the Standard security handler (crypt.ts).
import { CoreError } from '../errors.js';
import { objectHeaderAt } from './ambiguity.js';
import { decryptObject, openStandardSecurity, type PdfCrypt } from './crypt.js';
import { decodeStream } from './filters.js';
import { Lexer, malformed } from './lexer.js';
import { DecodeBudget, pdfLimits, type PdfLimits } from './limits.js';
import { PdfDict, PdfRef, PdfStream, PdfString, isDict, type PdfObject } from './objects.js';
import { FileSource, type ByteSource } from './source.js';
import { findStartxref, parseAt, readXrefChain, type XrefEntry, type XrefSection } from './xref.js';

const MAX_REF_DEPTH = 32;
/** How far from its stated offset a tolerant reader looks for an object, and how much it scans in all. */
const RECOVERY_WINDOW = 1024;
const RECOVERY_BUDGET = 64 * 1024 * 1024;
const MAX_RECOVERED_NOTES = 20;

export type PdfOpenOptions = {
  /** Read as PDF processors do (displaced objects found nearby, empty-password encryption): for verification only. */
  readonly tolerant?: boolean;
  /** Decode budget and object limit (limits.ts); the defaults where absent. */
  readonly limits?: Partial<PdfLimits>;
  /** Spend another document's budget (an earlier revision of the same file opened for comparison): one cap per file. */
  readonly budget?: DecodeBudget;
};

export class PdfDocument {
  private readonly entries = new Map<number, XrefEntry>();
  private readonly objects = new Map<number, PdfObject>();
  private readonly objectStreams = new Map<number, { data: Uint8Array; offsets: Map<number, number> }>();
  /** Every stream's decoded data (or why it does not decode), by data offset: each is decoded once, within the budget. */
  private readonly decoded = new Map<number, Uint8Array | CoreError>();
  /** Objects being read right now: meeting one again is a cycle (e.g. object streams inside each other). */
  private readonly loading = new Set<number>();
  private decodeBudget = new DecodeBudget();
  private readonly recoveredNotes: string[] = [];
  private recoveredCount = 0;
  /** The Standard security handler when the file is encrypted (tolerant mode only), and the streams it decrypts. */
  private crypt: {
    handler: PdfCrypt;
    encryptNum: number | null;
    streams: WeakMap<PdfStream, { num: number; gen: number }>;
  } | null = null;

  private constructor(
    readonly src: ByteSource,
    readonly startxref: number,
    /** Newest first. */
    readonly sections: readonly XrefSection[],
    readonly options: PdfOpenOptions = {},
  ) {
    for (const s of sections) for (const [n, e] of s.entries) if (!this.entries.has(n)) this.entries.set(n, e);
  }

  /** What a tolerant reader had to find again (human-readable, at most 20 notes and a count of the rest). */
  get recovered(): readonly string[] {
    const more = this.recoveredCount - this.recoveredNotes.length;
    return more > 0
      ? [...this.recoveredNotes, `... and ${more} more found away from their stated offsets`]
      : this.recoveredNotes;
  }

  /** The encryption the file was read through (tolerant mode), e.g. "Standard security handler V4 R4, ...", or null. */
  get encryption(): string | null {
    return this.crypt?.handler.description ?? null;
  }

  private note(message: string): void {
    this.recoveredCount++;
    if (this.recoveredNotes.length < MAX_RECOVERED_NOTES) this.recoveredNotes.push(message);
  }

  /**
   * Opens and checks the structure. Strict (default): displaced objects and encrypted files are refused. Tolerant
   * (`{ tolerant: true }`, verification): both are read, see the module header.
   */
  static open(src: ByteSource, options: PdfOpenOptions = {}): PdfDocument {
    const head = Buffer.from(src.read(0, 1024));
    if (head.indexOf('%PDF-') !== 0) throw malformed('it does not start with %PDF-');
    const startxref = findStartxref(src);
    const budget = options.budget ?? new DecodeBudget(pdfLimits(options.limits));
    const sectionNotes: string[] = [];
    const doc = new PdfDocument(
      src,
      startxref,
      readXrefChain(src, startxref, budget, options.tolerant ? sectionNotes : null),
      options,
    );
    for (const n of sectionNotes) doc.note(n);
    doc.decodeBudget = budget;
    doc.checkOffsets();
    // §7.3.9: an entry whose value is null is absent; only the newest trailer of the /Prev chain says (§7.5.6).
    const encrypt = doc.trailer.get('Encrypt');
    if (encrypt !== undefined && encrypt !== null) doc.openEncryption(encrypt);
    if (!(doc.resolve(doc.trailer.get('Root')) instanceof PdfDict)) throw malformed('the trailer has no /Root catalog');
    return doc;
  }

  private openEncryption(encrypt: PdfObject): void {
    if (!this.options.tolerant) {
      throw new CoreError(
        'PDF_ENCRYPTED',
        'the PDF is encrypted: Sealdesk does not seal or change encrypted PDFs (its signed update would have to be written ' +
          'encrypted); remove the password in the application that made it, then use that copy',
      );
    }
    // §7.5.7: the encryption dictionary is never in an object stream (which would itself need its key to be read).
    const inObjectStream = encrypt instanceof PdfRef && this.entries.get(encrypt.num)?.type === 'compressed';
    if (inObjectStream) throw malformed('the encryption dictionary is in an object stream');
    const dict = this.resolve(encrypt);
    if (!(dict instanceof PdfDict)) throw malformed("the trailer's /Encrypt is not a dictionary");
    const id = this.resolve(this.trailer.get('ID'));
    const id0 = Array.isArray(id) && id[0] instanceof PdfString ? id[0].bytes : new Uint8Array(0);
    const handler = openStandardSecurity(dict, id0);
    // Nothing read before this point may stay undecrypted in a cache.
    this.objects.clear();
    this.objectStreams.clear();
    this.decoded.clear();
    this.crypt = { handler, encryptNum: encrypt instanceof PdfRef ? encrypt.num : null, streams: new WeakMap() };
  }

  static openFile(path: string): PdfDocument {
    const src = FileSource.open(path);
    try {
      return PdfDocument.open(src);
    } catch (err) {
      src.close();
      throw err;
    }
  }

  close(): void {
    this.src.close();
  }

  /**
   * Every in-use entry must point at its own `N G obj`. Strict: a table that needs repair is refused, not guessed
   * around. Tolerant: the object is looked for within ±1 KiB (the nearest definition wins), the entry moved, and noted.
   */
  private checkOffsets(): void {
    let budget = RECOVERY_BUDGET;
    let lastShift = 0;
    for (const [num, e] of this.entries) {
      if (e.type !== 'offset') continue;
      if (objectAt(this.src, e.offset, num, e.gen)) continue;
      const wrong = `the cross-reference entry for object ${num} does not point at that object (offset ${e.offset})`;
      if (!this.options.tolerant) throw malformed(wrong);
      // Producers that shift objects usually shift them all alike: try the last shift before scanning.
      let found = lastShift !== 0 && objectAt(this.src, e.offset + lastShift, num, e.gen) ? e.offset + lastShift : null;
      if (found === null) {
        budget -= 2 * RECOVERY_WINDOW;
        if (budget < 0) throw malformed(`too many cross-reference entries point away from their objects (${wrong})`);
        found = findNear(this.src, e.offset, num, e.gen);
      }
      if (found === null) throw malformed(`${wrong}, nor is it within ${RECOVERY_WINDOW} bytes`);
      lastShift = found - e.offset;
      this.entries.set(num, { type: 'offset', offset: found, gen: e.gen });
      const shift = `${lastShift > 0 ? '+' : ''}${lastShift}`;
      this.note(
        `object ${num} ${e.gen} found at offset ${found}, ${shift} bytes from where its cross-reference entry says (${e.offset})`,
      );
    }
  }

  /** Where object `num`'s current definition starts (for a compressed object: its object stream's), or null. */
  offsetOf(num: number): number | null {
    const e = this.entries.get(num);
    if (!e || e.type === 'free') return null;
    if (e.type === 'offset') return e.offset;
    const container = this.entries.get(e.stream);
    return container?.type === 'offset' ? container.offset : null;
  }

  /** The in-use state of object `num` in this revision. */
  isInUse(num: number): boolean {
    const e = this.entries.get(num);
    return e !== undefined && e.type !== 'free';
  }

  get trailer(): PdfDict {
    return this.sections[0]!.trailer;
  }

  /** The kind of the newest cross-reference section: an incremental update writes the same kind. */
  get xrefKind(): 'table' | 'stream' {
    return this.sections[0]!.kind;
  }

  get size(): number {
    const s = this.trailer.get('Size');
    if (typeof s !== 'number') throw malformed('the trailer has no /Size');
    let max = s;
    for (const n of this.entries.keys()) if (n >= max) max = n + 1;
    return max;
  }

  get catalog(): PdfDict {
    return this.resolve(this.trailer.get('Root')) as PdfDict;
  }

  /** Follows references (bounded) to a direct object; undefined for a free or missing object. */
  resolve(o: PdfObject | undefined): PdfObject | undefined {
    for (let depth = 0; o instanceof PdfRef; depth++) {
      if (depth > MAX_REF_DEPTH) throw malformed('a reference chain is too long');
      o = this.get(o);
    }
    return o;
  }

  dict(o: PdfObject | undefined): PdfDict | undefined {
    const d = this.resolve(o);
    return d instanceof PdfStream ? d.dict : isDict(d) ? d : undefined;
  }

  get(ref: PdfRef): PdfObject | undefined {
    const cached = this.objects.get(ref.num);
    if (cached !== undefined) return cached;
    const e = this.entries.get(ref.num);
    if (!e || e.type === 'free') return undefined;
    if (this.loading.has(ref.num))
      throw malformed(
        `object ${ref.num} is needed to read itself (a reference cycle through /Length or object streams)`,
      );
    this.loading.add(ref.num);
    let value: PdfObject;
    try {
      value =
        e.type === 'offset' ? this.readAt(ref.num, e.offset, e.gen) : this.readCompressed(ref.num, e.stream, e.index);
    } finally {
      this.loading.delete(ref.num);
    }
    if (this.objects.size > 4096) this.objects.clear();
    this.objects.set(ref.num, value);
    return value;
  }

  private readAt(num: number, offset: number, gen: number): PdfObject {
    const o = parseAt(this.src, offset, (lx) => lx.indirect());
    if (o.num !== num || o.gen !== gen)
      throw malformed(`the cross-reference entry for object ${num} points at object ${o.num} ${o.gen}`);
    // §7.6.2: strings and streams of indirect objects are encrypted with the object's key; the encryption
    // dictionary itself is not, and objects inside object streams were decrypted with their container.
    const c = this.crypt;
    if (!c || num === c.encryptNum) return o.value;
    return decryptObject(c.handler, o.value, num, gen, (s) => c.streams.set(s, { num, gen }));
  }

  /** A stream's raw data as its filters expect it: decrypted when the file is encrypted. */
  private decrypted(s: PdfStream, raw: Uint8Array): Uint8Array {
    const at = this.crypt?.streams.get(s);
    return at ? this.crypt!.handler.decryptStream(raw, at.num, at.gen, s.dict) : raw;
  }

  /** §7.5.7: an object from an object stream, which must itself be an uncompressed stream (never one in another). */
  private readCompressed(num: number, streamNum: number, index: number): PdfObject {
    let objstm = this.objectStreams.get(streamNum);
    if (!objstm) {
      if (this.entries.get(streamNum)?.type !== 'offset')
        throw malformed(`object ${num} is in object ${streamNum}, which is not an object stream in the file body`);
      const s = this.get(new PdfRef(streamNum, 0));
      if (!(s instanceof PdfStream)) throw malformed(`object stream ${streamNum} is missing`);
      const n = s.dict.get('N');
      const first = s.dict.get('First');
      if (
        typeof n !== 'number' ||
        !Number.isInteger(n) ||
        n < 0 ||
        typeof first !== 'number' ||
        !Number.isInteger(first) ||
        first < 0
      ) {
        throw malformed(`object stream ${streamNum} lacks a valid /N or /First`);
      }
      const data = this.streamData(s);
      if (first > data.length)
        throw malformed(`object stream ${streamNum}'s /First (${first}) is past its data (${data.length} bytes)`);
      // Each pair in the header takes at least 4 bytes ("1 0 "): a larger /N is not counted against the object limit.
      if (n > first / 4 + 1)
        throw malformed(`object stream ${streamNum}'s /N (${n}) does not fit its header (${first} bytes)`);
      this.decodeBudget.chargeObjects(n);
      const lx = new Lexer(data.subarray(0, first));
      const offsets = new Map<number, number>();
      for (let i = 0; i < n; i++) offsets.set(lx.integer(), first + lx.integer());
      objstm = { data, offsets };
      // Kept, not evicted: its data is the decode cache's, its offsets are counted objects, so both are within the limits
      // (an evicted header read again would count its objects again).
      this.objectStreams.set(streamNum, objstm);
    }
    const at = objstm.offsets.get(num);
    if (at === undefined) throw malformed(`object ${num} is not in object stream ${streamNum} (index ${index})`);
    if (at >= objstm.data.length)
      throw malformed(`object ${num}'s offset in object stream ${streamNum} is past its data`);
    return new Lexer(objstm.data, at).object();
  }

  /**
   * The stream's data, decoded (Flate only): for structural streams, never for page content of unknown size. Decoded
   * once per document and charged to its decode budget (unfiltered data too, since it is held in memory); the result
   * is shared: do not modify it.
   */
  streamData(s: PdfStream): Uint8Array {
    const known = this.decoded.get(s.dataOffset);
    if (known instanceof CoreError) throw known;
    if (known) return known;
    let data: Uint8Array;
    try {
      const raw = this.decrypted(s, this.rawStreamData(s));
      if (s.dict.get('Filter') === undefined) this.decodeBudget.chargeBytes(raw.length);
      data = s.dict.get('Filter') === undefined ? raw : decodeStream(s.dict, raw, this.decodeBudget);
    } catch (err) {
      if (err instanceof CoreError && err.code === 'PDF_MALFORMED') this.decoded.set(s.dataOffset, err);
      throw err;
    }
    this.decoded.set(s.dataOffset, data);
    return data;
  }

  /** The decode budget this document has spent so far (limits.ts). */
  get budget(): DecodeBudget {
    return this.decodeBudget;
  }

  rawStreamData(s: PdfStream): Uint8Array {
    const length = this.resolve(s.dict.get('Length'));
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || s.dataOffset + length > this.src.size)
      throw malformed('a stream has no valid /Length');
    const after = Buffer.from(this.src.read(s.dataOffset + length, 32)).toString('latin1');
    if (!/^[\0\t\n\f\r ]*endstream/.test(after))
      throw malformed(`a stream's /Length does not end at "endstream" (offset ${s.dataOffset})`);
    return Uint8Array.from(this.src.read(s.dataOffset, length));
  }
}

/** Whether `num gen obj` starts exactly at `offset`. */
function objectAt(src: ByteSource, offset: number, num: number, gen: number): boolean {
  if (offset < 0) return false;
  const h = objectHeaderAt(src.read(offset, 40), 0);
  return h !== null && h.num === num && h.gen === gen;
}

/** The `num gen obj` nearest to `offset` within the recovery window (starting a token), or null. */
function findNear(src: ByteSource, offset: number, num: number, gen: number): number | null {
  const from = Math.max(0, Math.min(offset, src.size) - RECOVERY_WINDOW);
  const bytes = src.read(from, Math.min(offset, src.size) + RECOVERY_WINDOW - from + 40);
  let best: number | null = null;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! < 0x30 || bytes[i]! > 0x39 || (i > 0 && bytes[i - 1]! >= 0x30 && bytes[i - 1]! <= 0x39)) continue;
    const h = objectHeaderAt(bytes, i);
    if (h === null || h.num !== num || h.gen !== gen || Math.abs(from + i - offset) > RECOVERY_WINDOW) continue;
    if (best === null || Math.abs(from + i - offset) < Math.abs(best - offset)) best = from + i;
  }
  return best;
}
