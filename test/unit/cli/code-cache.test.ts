// The built CLI's V8 code cache (cli/code-cache.ts): written once per bundle and use, used by the next run, keyed by
// the bundle's hash, and a cache V8 rejects (corrupt, or another bundle's) is ignored and replaced.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheDirs, loadBundle, type BundleInfo } from '../../../cli/code-cache.js';
import { tempDir } from '../../helpers/tmp.js';

const dir = tempDir('code-cache');
afterAll(() => dir.remove());

function bundle(name: string, body: string, hash: string): BundleInfo {
  const file = join(dir.path, name);
  writeFileSync(file, `const path = require('node:path');\n${body}\nexports.where = path.basename(__filename);\n`);
  return { file, hash, ascii: true };
}

type Exports = { answer: () => number; where: string };

describe('loadBundle', () => {
  it('runs the bundle as CommonJS, writes the cache once, and the next load uses it', () => {
    const info = bundle('a.cjs', 'exports.answer = () => [1, 2, 3].reduce((s, x) => s + x * 7, 0);', 'a'.repeat(64));
    const dirs = cacheDirs(info.file, undefined);
    const first = loadBundle<Exports>(info, 'cli-verify', dirs);
    expect(first.exports.answer()).toBe(42);
    expect(first.exports.where).toBe('a.cjs');
    expect(first.cacheMissing).toBe(true);
    first.save();
    const files = readdirSync(dirs[0]!);
    expect(files).toEqual([`${'a'.repeat(16)}-cli-verify-${process.version}-${process.arch}.bin`]);
    const second = loadBundle<Exports>(info, 'cli-verify', dirs);
    expect(second.cacheMissing).toBe(false);
    expect(second.exports.answer()).toBe(42);
  });

  it('ignores a cache V8 rejects and writes a good one in its place', () => {
    const info = bundle('b.cjs', 'exports.answer = () => 7;', 'b'.repeat(64));
    const dirs = cacheDirs(info.file, undefined);
    const cache = join(dirs[0]!, `${'b'.repeat(16)}-cli-seal-${process.version}-${process.arch}.bin`);
    writeFileSync(cache, Buffer.alloc(4096, 0x5a));
    const loaded = loadBundle<Exports>(info, 'cli-seal', dirs);
    expect(loaded.exports.answer()).toBe(7);
    expect(loaded.cacheMissing).toBe(true);
    loaded.save();
    expect(readFileSync(cache).equals(Buffer.alloc(4096, 0x5a))).toBe(false);
    expect(loadBundle<Exports>(info, 'cli-seal', dirs).cacheMissing).toBe(false);
  });

  it("a new build's cache replaces the old build's for the same use, and falls back to the data folder", () => {
    const home = join(dir.path, 'home');
    const old = bundle('c.cjs', 'exports.answer = () => 1;', 'c'.repeat(64));
    // A file where the folder beside the bundle would go: that folder cannot be made, the data folder is used.
    const blocked = join(dir.path, 'blocked');
    writeFileSync(blocked, '');
    const dirs = [join(blocked, '.v8-cache'), join(home, 'v8-cache')];
    loadBundle<Exports>(old, 'cli-stamp', dirs).save();
    loadBundle<Exports>(old, 'cli-history', dirs).save();
    const next = bundle('c.cjs', 'exports.answer = () => 2;', 'd'.repeat(64));
    const loaded = loadBundle<Exports>(next, 'cli-stamp', dirs);
    expect(loaded.exports.answer()).toBe(2);
    loaded.save();
    const names = readdirSync(join(home, 'v8-cache')).sort();
    expect(names).toEqual([`${'c'.repeat(16)}-cli-history-${process.version}-${process.arch}.bin`, `${'d'.repeat(16)}-cli-stamp-${process.version}-${process.arch}.bin`]);
    expect(existsSync(join(blocked, '.v8-cache'))).toBe(false);
  });
});
