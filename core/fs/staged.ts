// A file built in place beside its destination (copy of an input + appended bytes), hashed as it is written,
// then published atomically: as a new file (never clobbering) or as the new version of a file Sealdesk wrote; a copy
// keeps its input's mode. A failed write leaves the temp for discard(), which every caller runs in its finally.
import { createHash, type Hash } from 'node:crypto';
import { link, open, rename, stat, unlink, constants, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { HashAlgorithm } from '../asn1/oids.js';
import { CoreError, InputError, errorMessage } from '../errors.js';
import { describeFsError } from '../hash/hash-file.js';
import { OUTPUT_MODE_BITS, modeOf, syncDir, tempBeside } from './atomic.js';

const CHUNK = 1024 * 1024;

export class StagedFile {
  private size = 0;
  /** Running hashes of every byte written so far, per algorithm. */
  private readonly running = new Map<HashAlgorithm, Hash>();

  private constructor(
    readonly tempPath: string,
    private readonly handle: FileHandle,
    algs: readonly HashAlgorithm[],
    /** The bits the umask lets a new file have (0666 & ~umask), read from the temp itself rather than process.umask(). */
    private readonly allowed: number,
  ) {
    for (const a of new Set<HashAlgorithm>(['sha256', ...algs])) this.running.set(a, createHash(a));
  }

  /**
   * A temp file in the folder of `destination` (so publishing is a rename/link on one file system), mode 0644 less
   * the umask until it takes an input's mode (copyFrom, takeModeOf).
   */
  static async create(destination: string, algs: readonly HashAlgorithm[] = []): Promise<StagedFile> {
    const temp = tempBeside(destination);
    const handle = await open(temp, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL, 0o666).catch(
      (err: NodeJS.ErrnoException) => {
        throw new CoreError('OUTPUT_UNWRITABLE', `cannot write in ${dirname(destination)}: ${describeFsError(err)}`, {
          cause: err,
        });
      },
    );
    try {
      const allowed = (await handle.stat()).mode & OUTPUT_MODE_BITS;
      await handle.chmod(allowed & 0o644);
      return new StagedFile(temp, handle, algs, allowed);
    } catch (err) {
      await handle.close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
      throw new CoreError('OUTPUT_UNWRITABLE', `cannot write in ${dirname(destination)}: ${errorMessage(err)}`, {
        cause: err,
      });
    }
  }

  /** The output gets `input`'s read/write bits (the umask may narrow them): a sealed 0600 contract stays 0600. */
  async takeModeOf(input: string): Promise<void> {
    await this.handle.chmod((await modeOf(input, this.allowed & 0o644)) & this.allowed);
  }

  get length(): number {
    return this.size;
  }

  /** Copies `input` (whole, or its first `limit` bytes) streaming and double-buffered, hashing it with `extra` too. */
  async copyFrom(input: string, extra: readonly Hash[] = [], limit = Infinity): Promise<void> {
    const src = await open(input, 'r').catch((err: NodeJS.ErrnoException) => {
      throw new InputError('INPUT_UNREADABLE', `cannot read ${input}: ${describeFsError(err)}`, { cause: err });
    });
    try {
      // A copy of an input (a sealed PDF, the new version of a sealed file) keeps its mode, before any byte is in it.
      await this.handle.chmod((await src.stat()).mode & OUTPUT_MODE_BITS & this.allowed);
      const buffers = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
      let current = 0;
      let left = limit;
      const next = (i: number) => src.read(buffers[i]!, 0, Math.min(CHUNK, left), null);
      let pending = next(0);
      for (;;) {
        const { bytesRead } = await pending;
        if (bytesRead === 0) break;
        left -= bytesRead;
        const chunk = buffers[current]!.subarray(0, bytesRead);
        current ^= 1;
        pending = left > 0 ? next(current) : Promise.resolve({ bytesRead: 0, buffer: buffers[current]! });
        for (const h of extra) h.update(chunk);
        await this.append(chunk);
      }
    } finally {
      await src.close();
    }
  }

  async append(bytes: Uint8Array): Promise<void> {
    for (let off = 0; off < bytes.length;) {
      const { bytesWritten } = await this.handle.write(bytes, off, bytes.length - off, this.size + off);
      off += bytesWritten;
    }
    this.size += bytes.length;
    for (const h of this.running.values()) h.update(bytes);
  }

  /**
   * The digest of everything written so far, plus `more` as if appended (without appending it): from the running
   * hash when this algorithm is tracked, else by reading the file back once.
   */
  async digestWith(alg: HashAlgorithm, more: readonly Uint8Array[] = []): Promise<Uint8Array> {
    let h = this.running.get(alg)?.copy();
    if (!h) {
      h = createHash(alg);
      const buf = Buffer.allocUnsafe(CHUNK);
      for (let pos = 0; pos < this.size;) {
        const { bytesRead } = await this.handle.read(buf, 0, Math.min(CHUNK, this.size - pos), pos);
        if (bytesRead === 0) break;
        h.update(buf.subarray(0, bytesRead));
        pos += bytesRead;
      }
    }
    for (const m of more) h.update(m);
    return new Uint8Array(h.digest());
  }

  /** Fsyncs, then links the file at `path` only if nothing is there. */
  async publishNew(path: string): Promise<void> {
    await this.finish();
    try {
      await link(this.tempPath, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST')
        throw new CoreError('OUTPUT_EXISTS', `${path} already exists; Sealdesk never overwrites a file`, {
          cause: err,
        });
      throw new CoreError('OUTPUT_UNWRITABLE', `cannot write ${path}: ${errorMessage(err)}`, { cause: err });
    } finally {
      await unlink(this.tempPath).catch(() => undefined);
    }
    await syncDir(dirname(path));
  }

  /** Fsyncs, then renames over `path` only while `path` still has the size and mtime it had when copied. */
  async publishReplacing(path: string, expected: { size: number; mtimeMs: number }): Promise<void> {
    await this.finish();
    try {
      const now = await stat(path).catch(() => null);
      if (!now || now.size !== expected.size || now.mtimeMs !== expected.mtimeMs)
        throw new CoreError('OUTPUT_CHANGED', `${path} changed while Sealdesk was extending it; left untouched`);
      await rename(this.tempPath, path);
    } finally {
      await unlink(this.tempPath).catch(() => undefined);
    }
    await syncDir(dirname(path));
  }

  async discard(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await unlink(this.tempPath).catch(() => undefined);
  }

  private async finish(): Promise<void> {
    try {
      await this.handle.sync();
    } finally {
      await this.handle.close();
    }
  }
}
