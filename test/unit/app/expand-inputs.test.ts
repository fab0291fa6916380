// core/app/expand-inputs: the one folder expansion — named files as named, folders recursive and sorted, hidden
// entries and tokens/companions skipped by option, duplicates once, unreadable inputs reported each on its own.
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expandInputs } from '../../../core/app/expand-inputs.js';
import { tempDir } from '../../helpers/tmp.js';

const work = tempDir('expand-inputs');
const root = join(work.path, 'in');
const p = (...parts: string[]) => join(root, ...parts);

beforeAll(() => {
  for (const d of ['', 'b', 'b/deep', '.hidden', 'a', 'locked']) mkdirSync(p(d), { recursive: true });
  for (const f of [
    'z.pdf',
    'a.txt',
    'a.txt.p7s',
    'a.txt.tsr',
    '.secret',
    'b/c.pdf',
    'b/deep/d.PDF',
    '.hidden/h.pdf',
    'a/x.pdf',
  ]) {
    writeFileSync(p(f), f);
  }
  symlinkSync(p('z.pdf'), p('b/link.pdf'));
  symlinkSync(root, p('b/loop'));
  chmodSync(p('locked'), 0o000);
});
afterAll(() => {
  chmodSync(p('locked'), 0o755);
  work.remove();
});

const unprivileged = process.getuid?.() !== 0;

it('expands a folder recursively and sorted, without hidden entries or .tsr tokens by default; links count', () => {
  const r = expandInputs([root]);
  expect(r.files).toEqual([
    p('a.txt'),
    p('a.txt.p7s'),
    p('a/x.pdf'),
    p('b/c.pdf'),
    p('b/deep/d.PDF'),
    p('b/link.pdf'),
    p('z.pdf'),
  ]);
  expect([...r.fromFolder].sort()).toEqual([...r.files].sort());
  if (unprivileged)
    expect(r.unreadable.map((u) => [u.path, u.error.code])).toEqual([[p('locked'), 'INPUT_UNREADABLE']]);
});

it('keeps tokens and companions for verify, skips both for seal', () => {
  expect(expandInputs([root], { skip: 'none' }).files).toContain(p('a.txt.tsr'));
  const sealing = expandInputs([root], { skip: 'companions' }).files;
  expect(sealing).toContain(p('a.txt'));
  expect(sealing.filter((f) => /\.(p7s|tsr)$/.test(f))).toEqual([]);
});

it('filters folder entries by name but never a file named by the user; named files keep their order', () => {
  const pdfs = (name: string) => name.toLowerCase().endsWith('.pdf');
  const r = expandInputs([p('a.txt.tsr'), p('b'), p('.secret')], { accept: pdfs });
  expect(r.files).toEqual([p('a.txt.tsr'), p('b/c.pdf'), p('b/deep/d.PDF'), p('b/link.pdf'), p('.secret')]);
  expect(r.fromFolder.has(p('a.txt.tsr'))).toBe(false);
  expect(r.fromFolder.has(p('b/c.pdf'))).toBe(true);
});

it('lists a file once however it was reached: named, inside a folder, through ..', () => {
  const r = expandInputs([p('a/x.pdf'), p('a'), `${p('a')}/../a/./x.pdf`]);
  expect(r.files).toEqual([p('a/x.pdf')]);
});

it('reports a missing input with its name and goes on with the others', () => {
  const r = expandInputs([p('missing.pdf'), p('z.pdf')]);
  expect(r.files).toEqual([p('z.pdf')]);
  expect(r.unreadable).toHaveLength(1);
  expect(r.unreadable[0]!.path).toBe(p('missing.pdf'));
  expect(r.unreadable[0]!.error).toMatchObject({
    code: 'INPUT_UNREADABLE',
    message: `cannot read ${p('missing.pdf')}: no such file or folder`,
  });
});

it('gives every input its place in entries, the unreadable ones too, with the name the user gave', () => {
  const rel = join('..', 'in', 'z.pdf');
  const r = expandInputs([p('b/c.pdf'), 'no-such-file.txt', p('a')], {});
  expect(r.entries.map((e) => [e.given, e.fromFolder, e.error?.code ?? null])).toEqual([
    [p('b/c.pdf'), false, null],
    ['no-such-file.txt', false, 'INPUT_UNREADABLE'],
    [p('a/x.pdf'), true, null],
  ]);
  expect(r.entries[1]!.error!.message).toBe('cannot read no-such-file.txt: no such file or folder');
  expect(expandInputs([rel]).entries[0]!.given).toBe(rel);
});
