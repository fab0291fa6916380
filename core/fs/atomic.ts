// Outputs are written atomically and never over an existing file: temp in the same folder, fsync, link.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { link, readFile, readdir, rename, stat, unlink } from 'node:fs/promises';
import { promisify } from 'node:util';
import { basename, dirname, join } from 'node:path';
import { CoreError, errorMessage } from '../errors.js';

/**
 * Writes `bytes` to `path` only if nothing exists there. link(2) publishes the fully written,
 * fsynced temp file in one step and fails with EEXIST rather than replacing anything.
 */
export async function writeNewFile(path: string, bytes: Uint8Array, mode = 0o644): Promise<void> {
  await publishNew([path], bytes, mode);
}

/** Writes the bytes once (temp in the folder of the names, fsync), then links them under the first name that is free. */
async function publishNew(names: Iterable<string>, bytes: Uint8Array, mode: number): Promise<string> {
  let temp: string | null = null;
  let last = '';
  try {
    for (const name of names) {
      last = name;
      temp ??= await writeTemp(name, bytes, mode);
      try {
        await link(temp, name);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw err;
      }
      await syncDir(dirname(name));
      return name;
    }
  } catch (err) {
    throw new CoreError('OUTPUT_UNWRITABLE', `cannot write ${last}: ${errorMessage(err)}`, { cause: err });
  } finally {
    if (temp) await unlink(temp).catch(() => undefined);
  }
  throw new CoreError('OUTPUT_EXISTS', `${last} already exists; Sealdesk never overwrites a file`);
}

async function writeTemp(beside: string, bytes: Uint8Array, mode: number): Promise<string> {
  const temp = tempBeside(beside);
  await writeSynced(temp, bytes, mode);
  return temp;
}

/** A fresh name in the same folder, so publishing it is a rename on one file system. */
export function tempBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

const TEMP_NAME = /^\.(.+)\.[0-9a-f]{12}\.tmp$/;

/**
 * Deletes the temp files (tempBeside's names) a killed process left beside `paths`, one folder read per folder; returns
 * how many. Never a version of a file: a temp becomes one only by its rename, so one still there never did — and
 * deleting another process's live temp only makes that process's rename fail, never publish something else.
 */
export async function removeStaleTemps(paths: readonly string[]): Promise<number> {
  const byDir = new Map<string, Set<string>>();
  for (const p of paths) byDir.set(dirname(p), (byDir.get(dirname(p)) ?? new Set()).add(basename(p)));
  let removed = 0;
  for (const [dir, names] of byDir) {
    for (const entry of await readdir(dir).catch(() => [])) {
      const of = TEMP_NAME.exec(entry)?.[1];
      if (
        of !== undefined &&
        names.has(of) &&
        (await unlink(join(dir, entry)).then(
          () => true,
          () => false,
        ))
      )
        removed++;
    }
  }
  return removed;
}

// The callback API, promisified: a FileHandle costs ~0.4 ms of CPU more per file, which a bulk restamp pays per chain.
const fsOpen = promisify(fs.open);
const fsWrite = promisify(fs.write);
const fsSync = promisify(fs.fsync);
const fsClose = promisify(fs.close);

/**
 * Creates `path` (never an existing one) with `mode` (the umask may only narrow it), writes it whole and fsyncs it.
 * Any failure once it exists (ENOSPC, EDQUOT, EIO) removes it: a full disk leaves no temp behind.
 */
async function writeSynced(path: string, bytes: Uint8Array, mode: number): Promise<void> {
  const fd = await fsOpen(path, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, mode);
  let ok = false;
  try {
    for (let at = 0; at < bytes.byteLength;) at += (await fsWrite(fd, bytes, at, bytes.byteLength - at)).bytesWritten;
    await fsSync(fd);
    ok = true;
  } finally {
    await fsClose(fd).catch(() => undefined);
    if (!ok) await unlink(path).catch(() => undefined);
  }
}

/** The permission bits an output copies from its input (read/write only: no exec, setuid or sticky bit). */
export const OUTPUT_MODE_BITS = 0o666;

/**
 * The mode an output made from `input` gets: the input's read/write bits (the umask may narrow them), so a 0600
 * contract's seal, token or sealed copy is 0600 too. `fallback` when the input cannot be read (a name with no file).
 */
export async function modeOf(input: string, fallback = 0o644): Promise<number> {
  return stat(input).then(
    (s) => s.mode & OUTPUT_MODE_BITS,
    () => fallback,
  );
}

export async function syncDir(dir: string): Promise<void> {
  const fd = await fsOpen(dir, 'r').catch(() => null);
  if (fd === null) return;
  await fsSync(fd).catch(() => undefined); // not every platform can fsync a folder
  await fsClose(fd);
}

/**
 * Writes to `<file>.tsr`, or the first free `<file>.<n>.tsr` when that is taken. Returns the path. The output keeps
 * `file`'s mode (modeOf) unless `mode` is given.
 */
export async function writeBesideFile(
  file: string,
  extension: string,
  bytes: Uint8Array,
  mode?: number,
): Promise<string> {
  function* names() {
    for (let n = 0; n < 10_000; n++) yield n === 0 ? `${file}.${extension}` : `${file}.${n}.${extension}`;
  }
  try {
    return await publishNew(names(), bytes, mode ?? (await modeOf(file)));
  } catch (err) {
    if (err instanceof CoreError && err.code === 'OUTPUT_EXISTS')
      throw new CoreError('OUTPUT_UNWRITABLE', `no free name for a .${extension} beside ${file}`);
    throw err;
  }
}

/**
 * Replaces a file Sealdesk wrote, atomically (temp in the same folder, fsync, rename), and only while its
 * bytes still hash to `expectedSha256`: a file someone changed or replaced is left untouched.
 */
export async function replaceOwnFile(
  path: string,
  bytes: Uint8Array,
  expectedSha256: string,
  mode?: number,
): Promise<void> {
  const keep = mode ?? (await modeOf(path)); // the new version of a file keeps its mode
  const current = await readFile(path).catch((err: NodeJS.ErrnoException) => {
    throw new CoreError(
      'OUTPUT_CHANGED',
      `${path} is gone (${err.code ?? err.message}): it was moved or deleted since Sealdesk wrote it; left as it is`,
    );
  });
  if (createHash('sha256').update(current).digest('hex') !== expectedSha256) {
    throw new CoreError('OUTPUT_CHANGED', `${path} changed since Sealdesk wrote it; left untouched`);
  }
  const temp = tempBeside(path);
  try {
    await writeSynced(temp, bytes, keep);
    await rename(temp, path);
  } catch (err) {
    throw new CoreError('OUTPUT_UNWRITABLE', `cannot write ${path}: ${errorMessage(err)}`, { cause: err });
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  await syncDir(dirname(path));
}
