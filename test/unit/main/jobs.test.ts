// Main-process jobs in Node: a stamp job reports progress and results, and cancelling stops the files not started.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServices, type Services } from '../../../main/services/index.js';
import type { SealItem, StampItem } from '../../../preload/api.js';
import { cliRunner, isolateTsas } from '../../helpers/cli.js';
import { createTestPki } from '../../helpers/pki.js';
import { tempDir } from '../../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../../helpers/tsa-server.js';

const work = tempDir('jobs');
let tsa: LoopbackTsa;
let services: Services;

beforeAll(async () => {
  tsa = await startTsa({ pki: await createTestPki(join(work.path, 'pki')) });
  const sealdesk = cliRunner({ SEALDESK_HOME: work.path });
  await isolateTsas(sealdesk);
  expect((await sealdesk('tsa', 'add', 'loop', tsa.url)).code).toBe(0);
  services = createServices({ dataDir: work.path, version: 'test', tsaTimeoutMs: 2000 });
});
afterAll(async () => {
  await tsa.close();
  work.remove();
});

function files(n: number, tag: string): string[] {
  return Array.from({ length: n }, (_, i) => {
    const p = join(work.path, `${tag}-${i}.txt`);
    writeFileSync(p, `${tag} ${i} ${Math.random()}`);
    return p;
  });
}

async function until(id: string) {
  for (;;) {
    const s = await services['jobs:status']({ id });
    if (s.state !== 'running') return s;
    expect(s.done).toBeLessThanOrEqual(s.total);
    await new Promise((r) => setTimeout(r, 50));
  }
}

it('a stamp job runs in the background, lists itself while running, and ends with every result', async () => {
  const { id } = await services['jobs:stamp']({ paths: files(6, 'a') });
  expect((await services['jobs:list']({})).map((j) => j.id)).toContain(id);
  const s = await until(id);
  expect(s).toMatchObject({ state: 'done', done: 6, total: 6 });
  expect((s.results as StampItem[]).every((r) => r.tsrPath?.endsWith('.tsr') && r.tsaName)).toBe(true);
  expect((await services['jobs:list']({})).map((j) => j.id)).not.toContain(id);
});

it('cancelling stops the files not yet started; those under way finish', async () => {
  const { id } = await services['jobs:stamp']({ paths: files(12, 'b') });
  await services['jobs:cancel']({ id });
  const s = await until(id);
  expect(s.state).toBe('cancelled');
  if (s.kind !== 'stamp') throw new Error(`a ${s.kind} job`);
  const cancelled = s.results.filter((r) => r.error?.code === 'CANCELLED');
  expect(cancelled.length).toBeGreaterThan(0);
  expect(cancelled.length + (s.results as StampItem[]).filter((r) => r.tsrPath).length).toBe(12);
  expect(() => services['jobs:status']({ id: 'nope' })).toThrow(/no job nope/);
});

it('a dropped folder is stamped file by file (its hidden files and .tsr outputs left alone)', async () => {
  const { mkdirSync } = await import('node:fs');
  const dir = join(work.path, 'folder');
  mkdirSync(join(dir, 'sub'), { recursive: true });
  writeFileSync(join(dir, 'one.txt'), `one ${Math.random()}`);
  writeFileSync(join(dir, 'sub', 'two.txt'), `two ${Math.random()}`);
  writeFileSync(join(dir, '.hidden'), 'x');
  writeFileSync(join(dir, 'old.tsr'), 'x');
  const { id } = await services['jobs:stamp']({ paths: [dir] });
  const s = await until(id);
  if (s.kind !== 'stamp') throw new Error(`a ${s.kind} job`);
  expect(s.results.map((r) => r.file)).toEqual([join(dir, 'one.txt'), join(dir, 'sub', 'two.txt')]);
  expect((s.results as StampItem[]).every((r) => r.tsrPath)).toBe(true);
});

it('a seal job seals PDFs one by one with one signer, reports each, and keeps its label in the ledger', async () => {
  const { writeMinimalPdf } = await import('../../helpers/pdfs.js');
  const pdfs = [1, 2, 3].map((i) => writeMinimalPdf(join(work.path, `seal-${i}.pdf`)));
  const { id } = await services['jobs:seal']({ paths: pdfs, level: 'B-T', label: 'Q4 invoices' });
  const s = await until(id);
  expect(s).toMatchObject({ kind: 'seal', state: 'done', done: 3, total: 3 });
  expect((s.results as SealItem[]).map((r) => [r.format, r.level, r.outputPath])).toEqual(
    pdfs.map((p) => ['pades', 'B-T', p.replace(/\.pdf$/, '_sealed.pdf')]),
  );
  // The label reaches the ledger as `sealdesk seal --label` puts it there (read back by the CLI).
  const listed = await cliRunner({ SEALDESK_HOME: work.path })('operations', '--search', 'Q4 invoices', '--json');
  const items = listed.json<{ items: { label: string; filePath: string }[] }>().items;
  expect(items.map((o) => [o.label, o.filePath]).sort()).toEqual(pdfs.map((p) => ['Q4 invoices', p]).sort());
});

it('a verify job reports each document (a folder with a PDF and a file + .tsr pair)', async () => {
  const { mkdirSync, copyFileSync } = await import('node:fs');
  const { writeMinimalPdf } = await import('../../helpers/pdfs.js');
  const dir = join(work.path, 'to-verify');
  mkdirSync(dir);
  const [stamped] = (await until((await services['jobs:stamp']({ paths: files(1, 'v') })).id)).results as StampItem[];
  copyFileSync(stamped!.file, join(dir, 'note.txt'));
  copyFileSync(stamped!.tsrPath!, join(dir, 'note.txt.tsr'));
  writeMinimalPdf(join(dir, 'unsigned.pdf'));
  const s = await until((await services['jobs:verify']({ paths: [dir] })).id);
  expect(s).toMatchObject({ kind: 'verify', state: 'done', total: 2, done: 2 });
  expect(s.results.map((r) => [(r as { file: string }).file, (r as { kind?: string }).kind])).toEqual([
    [join(dir, 'note.txt'), 'tsr'],
    [join(dir, 'unsigned.pdf'), 'pdf'],
  ]);
});

it('a stamp job reports the bytes hashed here, pushed to subscribers as it goes', async () => {
  const big = join(work.path, 'big.bin');
  writeFileSync(big, Buffer.alloc(24 * 1024 * 1024, 7));
  const seen: (number | undefined)[] = [];
  const stop = (
    services as unknown as { subscribeJobs(l: (s: { bytes?: { done: number } }) => void): () => void }
  ).subscribeJobs((s) => seen.push(s.bytes?.done));
  const s = await until((await services['jobs:stamp']({ paths: [big, ...files(1, 'small')] })).id);
  stop();
  expect(s.bytes).toMatchObject({ total: s.bytes!.done });
  expect(s.bytes!.total).toBeGreaterThan(24 * 1024 * 1024);
  expect(seen.filter((b) => b !== undefined && b > 0 && b < s.bytes!.total).length).toBeGreaterThan(0); // progress before the end
});
