// Random access to a PDF's bytes without loading the file: positional reads through a small block cache.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from '../errors.js';
import { describeFsError } from '../hash/hash-file.js';

export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes from `offset` (fewer at the end). The result may be a view into a cache: do not keep it. */
  read(offset: number, length: number): Uint8Array;
  close(): void;
}

const BLOCK = 64 * 1024;
const BLOCKS_CACHED = 32; // 2 MiB whatever the file's size

export class FileSource implements ByteSource {
  private readonly cache = new Map<number, Uint8Array>();
  private constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  static open(path: string): FileSource {
    try {
      const fd = openSync(path, 'r');
      return new FileSource(fd, fstatSync(fd).size);
    } catch (err) {
      throw new InputError(
        'INPUT_UNREADABLE',
        `cannot read ${path}: ${describeFsError(err as NodeJS.ErrnoException)}`,
        { cause: err },
      );
    }
  }

  read(offset: number, length: number): Uint8Array {
    const end = Math.min(this.size, offset + length);
    if (offset >= end) return new Uint8Array(0);
    const first = Math.floor(offset / BLOCK);
    const last = Math.floor((end - 1) / BLOCK);
    if (first === last) return this.block(first).subarray(offset - first * BLOCK, end - first * BLOCK);
    const out = new Uint8Array(end - offset);
    for (let b = first; b <= last; b++) {
      const block = this.block(b);
      const from = Math.max(offset, b * BLOCK);
      const to = Math.min(end, (b + 1) * BLOCK);
      out.set(block.subarray(from - b * BLOCK, to - b * BLOCK), from - offset);
    }
    return out;
  }

  private block(n: number): Uint8Array {
    let b = this.cache.get(n);
    if (b) {
      this.cache.delete(n); // move to the newest end
      this.cache.set(n, b);
      return b;
    }
    const len = Math.min(BLOCK, this.size - n * BLOCK);
    b = new Uint8Array(len);
    let got = 0;
    while (got < len) {
      const r = readSync(this.fd, b, got, len - got, n * BLOCK + got);
      if (r === 0) break;
      got += r;
    }
    this.cache.set(n, b);
    if (this.cache.size > BLOCKS_CACHED) this.cache.delete(this.cache.keys().next().value!);
    return b;
  }

  close(): void {
    closeSync(this.fd);
  }
}

export class BytesSource implements ByteSource {
  constructor(private readonly bytes: Uint8Array) {}
  get size(): number {
    return this.bytes.length;
  }
  read(offset: number, length: number): Uint8Array {
    return this.bytes.subarray(offset, Math.min(this.bytes.length, offset + length));
  }
  close(): void {}
}

/** The first `size` bytes of another source: a PDF as it was at the end of an earlier revision. */
export class SlicedSource implements ByteSource {
  constructor(
    private readonly inner: ByteSource,
    readonly size: number,
  ) {}
  read(offset: number, length: number): Uint8Array {
    return this.inner.read(offset, Math.max(0, Math.min(length, this.size - offset)));
  }
  close(): void {}
}
