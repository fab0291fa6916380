// The one folder expansion of every user action (CLI and desktop): named files kept as named, folders become the
// files inside them (recursive, sorted, hidden entries skipped, tokens/companions skipped unless kept), everything
// de-duplicated by absolute path; an input or sub-folder that cannot be read is reported on its own, the rest goes on.
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { describeFsError } from '../hash/hash-file.js';

export type ExpandOptions = {
  /**
   * Which companion files found inside folders are skipped: 'tokens' (.tsr, the default: stamping a folder does not
   * stamp its tokens), 'companions' (.tsr and .p7s: sealing a folder does not seal its seals) or 'none' (verify).
   * Files named one by one are never skipped.
   */
  readonly skip?: 'none' | 'tokens' | 'companions';
  /** Only folder entries whose name passes (e.g. `.pdf` for `verify <folder>`); named files are always kept. */
  readonly accept?: (name: string) => boolean;
};

export type UnreadableInput = { readonly path: string; readonly error: InputError };

export type ExpandedInputs = {
  /** Absolute paths, in input order; each folder's files sorted. */
  readonly files: readonly string[];
  /** The files that came from inside a folder (not named by the user). */
  readonly fromFolder: ReadonlySet<string>;
  /** Inputs and sub-folders that could not be read (INPUT_UNREADABLE each), in the order met. */
  readonly unreadable: readonly UnreadableInput[];
};

const TOKEN = /\.tsr$/i;
const COMPANION = /\.(tsr|p7s)$/i;

export function expandInputs(inputs: readonly string[], o: ExpandOptions = {}): ExpandedInputs {
  const files: string[] = [];
  const seen = new Set<string>();
  const fromFolder = new Set<string>();
  const unreadable: UnreadableInput[] = [];
  const add = (path: string, inFolder: boolean) => {
    if (seen.has(path)) return;
    seen.add(path);
    files.push(path);
    if (inFolder) fromFolder.add(path);
  };
  const skipped = o.skip === 'none' ? null : o.skip === 'companions' ? COMPANION : TOKEN;
  const keep = (name: string) => !name.startsWith('.') && !skipped?.test(name) && (o.accept?.(name) ?? true);
  for (const input of inputs) {
    const path = resolve(input);
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch (err) {
      unreadable.push({ path, error: unreadableError(input, err, 'no such file or folder') });
      continue;
    }
    if (!isDir) add(path, false);
    else for (const f of walk(path, keep, unreadable).sort(byCodeUnit)) add(f, true);
  }
  return { files, fromFolder, unreadable };
}

/** The files under `dir` whose names `keep` accepts; hidden sub-folders are not entered, symlinked folders neither. */
function walk(dir: string, keep: (name: string) => boolean, unreadable: UnreadableInput[]): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    unreadable.push({ path: dir, error: unreadableError(dir, err, 'the folder cannot be listed') });
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (!e.name.startsWith('.')) out.push(...walk(path, keep, unreadable));
    } else if (keep(e.name) && (e.isFile() || isFileLink(e, path))) out.push(path);
  }
  return out;
}

/** A symbolic link to a regular file counts as that file (a link to a folder is not followed: no loops). */
function isFileLink(e: Dirent, path: string): boolean {
  if (!e.isSymbolicLink()) return false;
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Sorted by UTF-16 code units, as the CLI always listed folders: the same order on every machine and locale. */
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function unreadableError(path: string, err: unknown, missing: string): InputError {
  const e = err as NodeJS.ErrnoException;
  const why = e.code === 'ENOENT' ? missing : describeFsError(e);
  return new InputError('INPUT_UNREADABLE', `cannot read ${path}: ${why}`, { cause: err });
}
