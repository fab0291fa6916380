// §7.5.6 incremental update: the original bytes untouched, then new/changed objects, a cross-reference section of
// the same kind as the file's newest one, and a trailer with /Prev — one appended revision.
import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { PdfDocument } from './document.js';
import { NewStream, PdfDict, PdfRef, PdfString, name, type PdfObject } from './objects.js';
import { indirectObject, serialize } from './serialize.js';

export type Increment = {
  /** The bytes to append to the file. */
  readonly bytes: Buffer;
  /** Where each written object starts, relative to `bytes`. */
  readonly objectOffsets: ReadonlyMap<number, number>;
};

export class IncrementBuilder {
  private next: number;
  private readonly updates = new Map<number, { ref: PdfRef; value: PdfObject }>();

  constructor(readonly doc: PdfDocument) {
    this.next = doc.size;
  }

  /** A new object; returns its reference. */
  add(value: PdfObject): PdfRef {
    const ref = new PdfRef(this.next++, 0);
    this.updates.set(ref.num, { ref, value });
    return ref;
  }

  /** Reserves a number for an object whose value is set later (objects that refer to each other). */
  reserve(): PdfRef {
    return new PdfRef(this.next++, 0);
  }

  /** A new version of an existing object (or a reserved one), under the same number and generation. */
  set(ref: PdfRef, value: PdfObject): void {
    this.updates.set(ref.num, { ref, value });
  }

  /** The appended revision. `fileSize` is the size of the file it will be appended to. */
  build(fileSize: number, endsWithEol: boolean): Increment {
    const parts: Buffer[] = [];
    const objectOffsets = new Map<number, number>();
    let length = 0;
    const push = (b: Buffer) => {
      parts.push(b);
      length += b.length;
    };
    if (!endsWithEol) push(Buffer.from('\n'));
    const entries: [number, number, number][] = [];
    for (const { ref, value } of [...this.updates.values()].sort((a, b) => a.ref.num - b.ref.num)) {
      objectOffsets.set(ref.num, length);
      entries.push([ref.num, fileSize + length, ref.gen]);
      push(indirectObject(ref, value));
    }
    const xrefOffset = fileSize + length;
    const trailer = this.trailer();
    if (this.doc.xrefKind === 'table') push(xrefTable(entries, trailer, xrefOffset));
    else {
      const self = new PdfRef(this.next++, 0);
      entries.push([self.num, xrefOffset, 0]);
      push(xrefStream(self, entries, trailer.with({ Size: this.next }), xrefOffset));
    }
    return { bytes: Buffer.concat(parts), objectOffsets };
  }

  private trailer(): PdfDict {
    const old = this.doc.trailer;
    const t: Record<string, PdfObject> = { Size: this.next, Root: old.get('Root')! };
    const info = old.get('Info');
    if (info !== undefined) t.Info = info;
    const id = old.get('ID');
    const first = Array.isArray(id) && id[0] instanceof PdfString ? id[0] : new PdfString(randomBytes(16), true);
    t.ID = [first, new PdfString(randomBytes(16), true)];
    t.Prev = this.doc.startxref;
    return PdfDict.of(t);
  }
}

function subsections(entries: [number, number, number][]): [number, [number, number, number][]][] {
  const out: [number, [number, number, number][]][] = [];
  for (const e of [...entries].sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1];
    if (last && last[0] + last[1].length === e[0]) last[1].push(e);
    else out.push([e[0], [e]]);
  }
  return out;
}

function xrefTable(entries: [number, number, number][], trailer: PdfDict, at: number): Buffer {
  let s = 'xref\n';
  for (const [start, list] of subsections(entries)) {
    s += `${start} ${list.length}\n`;
    for (const [, offset, gen] of list)
      s += `${String(offset).padStart(10, '0')} ${String(gen).padStart(5, '0')} n\r\n`;
  }
  s += `trailer\n${serialize(trailer)}\nstartxref\n${at}\n%%EOF\n`;
  return Buffer.from(s, 'latin1');
}

function xrefStream(self: PdfRef, entries: [number, number, number][], trailer: PdfDict, at: number): Buffer {
  const width = Math.max(4, Math.ceil(Math.log2(at + 1) / 8));
  const groups = subsections(entries);
  const rows = Buffer.alloc(entries.length * (1 + width + 2));
  let p = 0;
  for (const [, list] of groups) {
    for (const [, offset, gen] of list) {
      rows[p++] = 1;
      rows.writeUIntBE(offset, p, width);
      p += width;
      rows.writeUInt16BE(gen, p);
      p += 2;
    }
  }
  const dict = trailer.with({
    Type: name('XRef'),
    W: [1, width, 2],
    Index: groups.flatMap(([start, list]) => [start, list.length]),
    Filter: name('FlateDecode'),
  });
  const obj = indirectObject(self, new NewStream(dict, deflateSync(rows)));
  return Buffer.concat([obj, Buffer.from(`startxref\n${at}\n%%EOF\n`, 'latin1')]);
}
