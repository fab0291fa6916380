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

/** One file to act on, or an input that could not be read, in the order the inputs were given. */
export type ExpandedEntry = {
  /** Absolute. */
  readonly path: string;
  /** As the user named it (files named one by one), else the absolute path: what messages call it. */
  readonly given: string;
  readonly fromFolder: boolean;
  readonly error?: InputError;
};

export type ExpandedInputs = {
  readonly entries: readonly ExpandedEntry[];
  /** The readable files' absolute paths, in input order; each folder's files sorted. */
  readonly files: readonly string[];
  /** The files that came from inside a folder (not named by the user). */
  readonly fromFolder: ReadonlySet<string>;
  /** Inputs and sub-folders that could not be read (INPUT_UNREADABLE each), in the order met. */
  readonly unreadable: readonly UnreadableInput[];
};

const TOKEN = /\.tsr$/i;
const COMPANION = /\.(tsr|p7s)$/i;

export function expandInputs(inputs: readonly string[], o: ExpandOptions = {}): ExpandedInputs {
  const entries: ExpandedEntry[] = [];
  const seen = new Set<string>();
  const add = (path: string, given: string, fromFolder: boolean) => {
    if (seen.has(path)) return;
    seen.add(path);
    entries.push({ path, given, fromFolder });
  };
  const skipped = o.skip === 'none' ? null : o.skip === 'companions' ? COMPANION : TOKEN;
  const keep = (name: string) => !name.startsWith('.') && !skipped?.test(name) && (o.accept?.(name) ?? true);
  for (const input of inputs) {
    const path = resolve(input);
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch (err) {
      entries.push({
        path,
        given: input,
        fromFolder: false,
        error: unreadableError(input, err, 'no such file or folder'),
      });
      continue;
    }
    if (!isDir) add(path, input, false);
    else {
      const unreadable: UnreadableInput[] = [];
      for (const f of walk(path, keep, unreadable).sort(byCodeUnit)) add(f, f, true);
      entries.push(...unreadable.map((u) => ({ path: u.path, given: u.path, fromFolder: true, error: u.error })));
    }
  }
  const ok = entries.filter((e) => !e.error);
  return {
    entries,
    files: ok.map((e) => e.path),
    fromFolder: new Set(ok.filter((e) => e.fromFolder).map((e) => e.path)),
    unreadable: entries.flatMap((e) => (e.error ? [{ path: e.path, error: e.error }] : [])),
  };
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
