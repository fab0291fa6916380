// The PDF object model (ISO 32000-1 §7.3): what the reader produces and the writer serializes.

export class PdfName {
  private static readonly interned = new Map<string, PdfName>();
  /** Names kept for reuse: the table lives as long as the process, so a file with millions of names must not fill it. */
  private static readonly MAX_INTERNED = 50_000;
  private constructor(readonly name: string) {}
  /** One instance per common name (compare names by `.name`, as isName does: rare ones are not interned). */
  static of(name: string): PdfName {
    let n = PdfName.interned.get(name);
    if (!n) {
      n = new PdfName(name);
      if (PdfName.interned.size < PdfName.MAX_INTERNED) PdfName.interned.set(name, n);
    }
    return n;
  }
}

export class PdfString {
  constructor(
    readonly bytes: Uint8Array,
    readonly hex = false,
  ) {}
  /** PDF text string (§7.9.2.2): UTF-16BE with a BOM, else PDFDocEncoding (read as Latin-1 here). */
  text(): string {
    const b = this.bytes;
    if (b[0] === 0xfe && b[1] === 0xff) return Buffer.from(b.subarray(2)).swap16().toString('utf16le');
    return Buffer.from(b).toString('latin1');
  }
  /** A text string: Latin-1 when it fits, else UTF-16BE with a BOM. */
  static text(s: string): PdfString {
    if (/^[\x20-\x7e]*$/.test(s)) return new PdfString(Buffer.from(s, 'latin1'));
    return new PdfString(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(s, 'utf16le').swap16()]));
  }
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
  get key(): string {
    return `${this.num} ${this.gen}`;
  }
}

export class PdfDict {
  constructor(readonly map: Map<string, PdfObject> = new Map()) {}
  get(key: string): PdfObject | undefined {
    return this.map.get(key);
  }
  /** A copy with `key` set: dictionaries read from a file are never mutated in place. */
  with(entries: Record<string, PdfObject>): PdfDict {
    const map = new Map(this.map);
    for (const [k, v] of Object.entries(entries)) map.set(k, v);
    return new PdfDict(map);
  }
  static of(entries: Record<string, PdfObject>): PdfDict {
    return new PdfDict(new Map(Object.entries(entries)));
  }
}

/** A stream as read: its dictionary and where its raw (still encoded) data starts in its container. */
export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    readonly dataOffset: number,
  ) {}
}

/** A stream to write: dictionary (without /Length, the writer sets it) and its encoded data. */
export class NewStream {
  constructor(
    readonly dict: PdfDict,
    readonly data: Uint8Array,
  ) {}
}

/** Bytes written verbatim (placeholders whose final value is patched in after layout). */
export class PdfRaw {
  constructor(readonly text: string) {}
}

export type PdfObject =
  null | boolean | number | PdfName | PdfString | PdfRef | PdfObject[] | PdfDict | PdfStream | NewStream | PdfRaw;

export const isName = (o: unknown, name?: string): o is PdfName =>
  o instanceof PdfName && (name === undefined || o.name === name);
export const isDict = (o: unknown): o is PdfDict => o instanceof PdfDict;
export const isRef = (o: unknown): o is PdfRef => o instanceof PdfRef;
export const name = PdfName.of;
