// A PDF opened for reading: its revisions' cross-references merged, objects parsed on demand, never loaded whole.
import { CoreError } from '../errors.js';
import { decodeStream } from './filters.js';
import { Lexer, malformed } from './lexer.js';
import { PdfDict, PdfRef, PdfStream, isDict, type PdfObject } from './objects.js';
import { FileSource, type ByteSource } from './source.js';
import { findStartxref, parseAt, readXrefChain, type XrefEntry, type XrefSection } from './xref.js';

const MAX_REF_DEPTH = 32;

export class PdfDocument {
  private readonly entries = new Map<number, XrefEntry>();
  private readonly objects = new Map<number, PdfObject>();
  private readonly objectStreams = new Map<number, { data: Uint8Array; offsets: Map<number, number> }>();

  private constructor(
    readonly src: ByteSource,
    readonly startxref: number,
    /** Newest first. */
    readonly sections: readonly XrefSection[],
  ) {
    for (const s of sections) for (const [n, e] of s.entries) if (!this.entries.has(n)) this.entries.set(n, e);
  }

  /** Opens and checks the structure; encrypted files are refused (nothing in them can be read or signed safely). */
  static open(src: ByteSource): PdfDocument {
    const head = Buffer.from(src.read(0, 1024));
    if (head.indexOf('%PDF-') !== 0) throw malformed('it does not start with %PDF-');
    const startxref = findStartxref(src);
    const doc = new PdfDocument(src, startxref, readXrefChain(src, startxref));
    if (doc.trailer.get('Encrypt') !== undefined) throw new CoreError('PDF_ENCRYPTED', 'the PDF is encrypted: Sealdesk neither seals nor verifies encrypted PDFs (remove the password in the application that made it, then use that copy)');
    if (!(doc.resolve(doc.trailer.get('Root')) instanceof PdfDict)) throw malformed('the trailer has no /Root catalog');
    doc.checkOffsets();
    return doc;
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

  /** Every in-use entry must point at its own `N G obj`: a table that needs repair is refused, not guessed around. */
  private checkOffsets(): void {
    for (const [num, e] of this.entries) {
      if (e.type !== 'offset') continue;
      const head = Buffer.from(this.src.read(e.offset, 32)).toString('latin1');
      const m = /^(\d+)[\0\t\n\f\r ]+(\d+)[\0\t\n\f\r ]+obj\b/.exec(head);
      if (!m || Number(m[1]) !== num || Number(m[2]) !== e.gen) throw malformed(`the cross-reference entry for object ${num} does not point at that object (offset ${e.offset})`);
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
    const value = e.type === 'offset' ? this.readAt(ref.num, e.offset, e.gen) : this.readCompressed(ref.num, e.stream, e.index);
    if (this.objects.size > 4096) this.objects.clear();
    this.objects.set(ref.num, value);
    return value;
  }

  private readAt(num: number, offset: number, gen: number): PdfObject {
    const o = parseAt(this.src, offset, (lx) => lx.indirect());
    if (o.num !== num || o.gen !== gen) throw malformed(`the cross-reference entry for object ${num} points at object ${o.num} ${o.gen}`);
    return o.value;
  }

  private readCompressed(num: number, streamNum: number, index: number): PdfObject {
    let objstm = this.objectStreams.get(streamNum);
    if (!objstm) {
      const s = this.get(new PdfRef(streamNum, 0));
      if (!(s instanceof PdfStream)) throw malformed(`object stream ${streamNum} is missing`);
      const data = this.streamData(s);
      const n = s.dict.get('N');
      const first = s.dict.get('First');
      if (typeof n !== 'number' || typeof first !== 'number') throw malformed(`object stream ${streamNum} lacks /N or /First`);
      const lx = new Lexer(data.subarray(0, first));
      const offsets = new Map<number, number>();
      for (let i = 0; i < n; i++) offsets.set(lx.integer(), first + lx.integer());
      objstm = { data, offsets };
      if (this.objectStreams.size > 8) this.objectStreams.clear();
      this.objectStreams.set(streamNum, objstm);
    }
    const at = objstm.offsets.get(num);
    if (at === undefined) throw malformed(`object ${num} is not in object stream ${streamNum} (index ${index})`);
    return new Lexer(objstm.data, at).object();
  }

  /** The stream's data, decoded (Flate only): for structural streams, never for page content of unknown size. */
  streamData(s: PdfStream): Uint8Array {
    return decodeStream(s.dict, this.rawStreamData(s));
  }

  rawStreamData(s: PdfStream): Uint8Array {
    const length = this.resolve(s.dict.get('Length'));
    if (typeof length !== 'number' || length < 0 || s.dataOffset + length > this.src.size) throw malformed('a stream has no valid /Length');
    const after = Buffer.from(this.src.read(s.dataOffset + length, 32)).toString('latin1');
    if (!/^[\0\t\n\f\r ]*endstream/.test(after)) throw malformed(`a stream's /Length does not end at "endstream" (offset ${s.dataOffset})`);
    return Uint8Array.from(this.src.read(s.dataOffset, length));
  }
}
