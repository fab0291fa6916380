// Capabilities, not paths: main issues an opaque handle (128 random bits) for each file or folder the user gave it
// through main (an open dialog, a drop the preload vouched for, an OS open-file event); the renderer holds handles
// and display names only, and main/dispatch.ts turns handles back into paths. Also the recent files, kept by path in
// main's data folder and re-issued as handles.
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { tempBeside } from '../core/fs/atomic.js';
import type { FileRef } from '../preload/api.js';

/** Dispatch-level failures with stable codes (not core errors: they never happen outside main). */
export class CapabilityError extends Error {
  override readonly name = 'CapabilityError';
  constructor(
    readonly code: 'CAPABILITY_UNKNOWN' | 'CAPABILITY_REFUSED' | 'CANCELLED',
    message: string,
  ) {
    super(message);
  }
}

type Entry = { readonly path: string; readonly ref: FileRef };

const HANDLE = /^[0-9a-f]{32}$/;
const MAX_HANDLES = 100_000;
const MAX_RECENT = 12;

export class CapabilityRegistry {
  private readonly byHandle = new Map<string, Entry>();
  private readonly byPath = new Map<string, string>();
  private recentPaths: string[];

  /** `recentFile`: where the recent list lives (none: kept in memory only). */
  constructor(private readonly o: { readonly recentFile?: string } = {}) {
    this.recentPaths = o.recentFile ? readRecent(o.recentFile) : [];
  }

  /** A handle for an existing regular file or folder (the same one again for the same path); refuses anything else. */
  issue(path: string): FileRef {
    const full = resolve(path);
    let st;
    try {
      st = statSync(full);
    } catch (err) {
      throw new CapabilityError(
        'CAPABILITY_REFUSED',
        `${basename(full)} cannot be opened (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    if (!st.isFile() && !st.isDirectory())
      throw new CapabilityError('CAPABILITY_REFUSED', `${basename(full)} is neither a file nor a folder`);
    const ref: FileRef = {
      handle: '',
      name: basename(full) || full,
      size: st.isFile() ? st.size : 0,
      kind: st.isFile() ? 'file' : 'folder',
    };
    const known = this.byPath.get(full);
    if (known) {
      const fresh = { ...ref, handle: known };
      this.byHandle.set(known, { path: full, ref: fresh });
      return fresh;
    }
    if (this.byHandle.size >= MAX_HANDLES) this.forgetOldest();
    const handle = randomBytes(16).toString('hex');
    const entry = { path: full, ref: { ...ref, handle } };
    this.byHandle.set(handle, entry);
    this.byPath.set(full, handle);
    return entry.ref;
  }

  /** The path behind a handle this registry issued; anything else (a raw path, a guess, a forgotten one) is refused. */
  resolve(handle: string): string {
    const entry = HANDLE.test(handle) ? this.byHandle.get(handle) : undefined;
    if (!entry) {
      const what = HANDLE.test(handle)
        ? 'an unknown or expired file handle'
        : 'not a file handle (main accepts no paths from the window)';
      throw new CapabilityError('CAPABILITY_UNKNOWN', `${what}: choose or drop the file again`);
    }
    return entry.path;
  }

  /** Paths the user worked with, newest first (kept across runs). */
  remember(paths: readonly string[]): void {
    if (paths.length === 0) return;
    const next = [...new Set([...paths.slice(0, MAX_RECENT), ...this.recentPaths])].slice(0, MAX_RECENT);
    if (next.join('\n') === this.recentPaths.join('\n')) return;
    this.recentPaths = next;
    if (this.o.recentFile) writeRecent(this.o.recentFile, next);
  }

  /** The recent files that still exist, each as a (re-)issued handle. */
  recent(): FileRef[] {
    const out: FileRef[] = [];
    for (const p of this.recentPaths) {
      try {
        out.push(this.issue(p));
      } catch {
        // gone or replaced by something else since: not offered
      }
    }
    return out;
  }

  private forgetOldest(): void {
    const [handle, entry] = this.byHandle.entries().next().value!;
    this.byHandle.delete(handle);
    this.byPath.delete(entry.path);
  }
}

function readRecent(file: string): string[] {
  try {
    const list: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string').slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
}

/** Replaced atomically (temp beside it, then rename); readable by this user alone. */
function writeRecent(file: string, paths: readonly string[]): void {
  try {
    const temp = tempBeside(file);
    writeFileSync(temp, JSON.stringify(paths), { mode: 0o600 });
    renameSync(temp, file);
  } catch {
    // the recent list is a convenience: a data folder that cannot be written loses it, nothing else
  }
}
