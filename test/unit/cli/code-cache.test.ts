// The built CLI's V8 code cache (cli/code-cache.ts): written once per bundle and use, used by the next run, keyed by
// the bundle's hash, and a cache V8 rejects (corrupt, or another bundle's) is ignored and replaced. Each load runs in a
// fresh Node process, as the CLI does (within one process V8 would answer from its own in-memory compilation cache).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheDirs, type BundleInfo } from '../../../cli/code-cache.js';
import { tempDir } from '../../helpers/tmp.js';

const dir = tempDir('code-cache');
const loader = join(dir.path, 'code-cache.cjs');
afterAll(() => dir.remove());
beforeAll(async () => {
  const entry = fileURLToPath(new URL('../../../cli/code-cache.ts', import.meta.url));
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: loader,
    logLevel: 'warning',
  });
});

function bundle(name: string, body: string, hash: string): BundleInfo {
  const file = join(dir.path, name);
  writeFileSync(file, `const path = require('node:path');\n${body}\nexports.where = path.basename(__filename);\n`);
  return { file, hash, ascii: true };
}

/** Loads the bundle in a new process, calls its answer(), saves the cache; what it saw. */
function load(
  info: BundleInfo,
  use: string,
  dirs: readonly string[],
): { answer: number; where: string; cacheMissing: boolean } {
  const script = `const l = require(${JSON.stringify(loader)}).loadBundle(${JSON.stringify(info)}, ${JSON.stringify(use)}, ${JSON.stringify(dirs)});
    process.stdout.write(JSON.stringify({ answer: l.exports.answer(), where: l.exports.where, cacheMissing: l.cacheMissing })); l.save();`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

/** A cache file's name: the build hash's first 16 digits and the file's size and time, the use, Node, the CPU. */
const cacheFile = (c: string, use: string) =>
  new RegExp(`^${c.repeat(16)}[0-9a-z]+-${use}-${process.version.replace(/\./g, '\\.')}-${process.arch}\\.bin$`);

describe('loadBundle', () => {
  it('runs the bundle as CommonJS, writes the cache once, and the next run uses it', () => {
    const info = bundle('a.cjs', 'exports.answer = () => [1, 2, 3].reduce((s, x) => s + x * 7, 0);', 'a'.repeat(64));
    const dirs = cacheDirs(info.file, undefined);
    expect(load(info, 'cli-verify', dirs)).toEqual({ answer: 42, where: 'a.cjs', cacheMissing: true });
    const files = readdirSync(dirs[0]!);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(cacheFile('a', 'cli-verify'));
    const written = readFileSync(join(dirs[0]!, files[0]!));
    expect(load(info, 'cli-verify', dirs)).toEqual({ answer: 42, where: 'a.cjs', cacheMissing: false });
    expect(readFileSync(join(dirs[0]!, files[0]!)).equals(written)).toBe(true); // used, not rewritten
  });

  it('ignores a cache V8 rejects and writes a good one in its place', () => {
    const info = bundle('b.cjs', 'exports.answer = () => 7;', 'b'.repeat(64));
    const dirs = cacheDirs(info.file, undefined);
    load(info, 'cli-seal', dirs);
    const cache = join(
      dirs[0]!,
      readdirSync(dirs[0]!).find((f) => cacheFile('b', 'cli-seal').test(f))!,
    );
    writeFileSync(cache, Buffer.alloc(4096, 0x5a));
    expect(load(info, 'cli-seal', dirs)).toMatchObject({ answer: 7, cacheMissing: true });
    expect(readFileSync(cache).equals(Buffer.alloc(4096, 0x5a))).toBe(false);
    expect(load(info, 'cli-seal', dirs).cacheMissing).toBe(false);
  });

  it("a new build's cache replaces the old build's for the same use, and falls back to the data folder", () => {
    const home = join(dir.path, 'home');
    const old = bundle('c.cjs', 'exports.answer = () => 1;', 'c'.repeat(64));
    // A file where the folder beside the bundle would go: that folder cannot be made, the data folder is used.
    const blocked = join(dir.path, 'blocked');
    writeFileSync(blocked, '');
    const dirs = [join(blocked, '.v8-cache'), join(home, 'v8-cache')];
    load(old, 'cli-stamp', dirs);
    load(old, 'cli-history', dirs);
    const next = bundle('c.cjs', 'exports.answer = () => 2;', 'd'.repeat(64));
    expect(load(next, 'cli-stamp', dirs)).toMatchObject({ answer: 2, cacheMissing: true });
    const names = readdirSync(join(home, 'v8-cache')).sort();
    expect(names).toHaveLength(2);
    expect(names[0]).toMatch(cacheFile('c', 'cli-history'));
    expect(names[1]).toMatch(cacheFile('d', 'cli-stamp'));
    expect(existsSync(join(blocked, '.v8-cache'))).toBe(false);
  });

  it('a bundle edited in place (same name, same length, same build hash) does not meet its former cache', () => {
    const info = bundle('e.cjs', 'exports.answer = () => 1;', 'e'.repeat(64));
    const dirs = cacheDirs(info.file, undefined);
    utimesSync(info.file, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
    load(info, 'cli-lookup', dirs);
    expect(load(info, 'cli-lookup', dirs).cacheMissing).toBe(false);
    bundle('e.cjs', 'exports.answer = () => 2;', 'e'.repeat(64));
    utimesSync(info.file, new Date('2026-01-02T00:00:00Z'), new Date('2026-01-02T00:00:00Z'));
    expect(load(info, 'cli-lookup', dirs)).toMatchObject({ answer: 2, cacheMissing: true });
  });
});
