// Loads a CommonJS bundle of the built CLI (dist/cli/app.cjs, verify-worker.cjs) through node:vm with a V8 code cache,
// so a run skips parsing and compiling what an earlier run of the same command compiled. Node 20 has no
// module.enableCompileCache; vm.Script's cachedData is the supported way. The cache is keyed by the bundle's hash
// (set by scripts/build.mjs), the use (the command) and the Node version; it is written atomically (temp + rename)
// beside the bundle, else in the data folder; V8 checks it again and a rejected cache is simply ignored and replaced.
import { mkdirSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** What scripts/build.mjs tells an entry about the bundle it loads. */
export type BundleInfo = { readonly file: string; readonly hash: string; readonly ascii: boolean };

export type LoadedBundle<T> = {
  readonly exports: T;
  /** True when this run compiled without a usable cache: `save()` will write one. */
  readonly cacheMissing: boolean;
  /** Writes the code compiled so far as the cache of this use (once; never throws). */
  readonly save: () => void;
};

const WRAP_HEAD = '(function (exports, require, module, __filename, __dirname) {';

/** Folders tried in order: a `.v8-cache` beside the bundle, then `v8-cache` in the data folder (when one is known). */
export function cacheDirs(bundleFile: string, home: string | undefined): string[] {
  return [join(dirname(bundleFile), '.v8-cache'), ...(home ? [join(home, 'v8-cache')] : [])];
}

export function loadBundle<T>(info: BundleInfo, use: string, dirs: readonly string[]): LoadedBundle<T> {
  const source = readFileSync(info.file, info.ascii ? 'latin1' : 'utf8');
  const name = cacheName(info, use);
  const cached = readFirst(dirs.map((d) => join(d, name)));
  const script = new Script(`${WRAP_HEAD}${source}\n})`, { filename: info.file, cachedData: cached });
  const module = { exports: {} as T };
  const fn = script.runInThisContext() as (e: unknown, r: NodeRequire, m: unknown, f: string, d: string) => void;
  fn(module.exports, createRequire(info.file), module, info.file, dirname(info.file));
  const cacheMissing = cached === undefined || script.cachedDataRejected === true;
  let saved = !cacheMissing;
  return {
    exports: module.exports,
    cacheMissing,
    save: () => {
      if (saved) return;
      saved = true;
      writeFirst(dirs, name, script);
    },
  };
}

/**
 * `<key>-<use>-<node>-<arch>.bin`. The key is the build's content hash plus the file's size and modification time: V8
 * itself only checks the source's length, so a bundle edited in place (same name, same hash from the build) must not
 * meet the cache of its former content.
 */
function cacheName(info: BundleInfo, use: string): string {
  const st = statSync(info.file);
  const key = `${info.hash.slice(0, 16)}${st.size.toString(36)}${Math.floor(st.mtimeMs).toString(36)}`;
  return `${key}-${use.replace(/[^a-z0-9-]/gi, '_')}-${process.version}-${process.arch}.bin`;
}

function readFirst(paths: readonly string[]): Buffer | undefined {
  for (const p of paths) {
    try {
      return readFileSync(p);
    } catch {
      // not there: try the next folder
    }
  }
  return undefined;
}

/** Temp file then rename in the first folder that takes it; this use's caches of other bundles there are removed. */
function writeFirst(dirs: readonly string[], name: string, script: Script): void {
  let data: Buffer;
  try {
    data = script.createCachedData();
  } catch {
    return;
  }
  for (const dir of dirs) {
    const temp = join(dir, `.${name}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(temp, data);
      renameSync(temp, join(dir, name));
      removeOlder(dir, name);
      return;
    } catch {
      try {
        unlinkSync(temp);
      } catch {
        // never written
      }
    }
  }
}

/** The same use, node and arch under another key is an older build's. */
function removeOlder(dir: string, name: string): void {
  const rest = name.slice(name.indexOf('-'));
  for (const f of readdirSync(dir)) {
    if (f !== name && f.endsWith('.bin') && f.slice(f.indexOf('-')) === rest) {
      try {
        unlinkSync(join(dir, f));
      } catch {
        // another process removed it
      }
    }
  }
}
