// Verify shows the document, and "Compare signed version" finds what a later revision drew, in Debian's Chromium over
// the loopback host: a PDF sealed by the CLI, then changed by a generated attack (an opaque widget over the signed
// text, in a new revision); the changed pixels' box must be where the attack drew. An untouched seal offers no compare.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument, rgb } from 'pdf-lib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopbackHost, type LoopbackHost } from '../../main/loopback-host.js';
import { createServices } from '../../main/services/index.js';
import { PdfDict, PdfRef, name } from '../../core/pdf/index.js';
import { CHANGE_ATTACKS } from '../helpers/change-attacks.js';
import { cliRunner, isolateTsas } from '../helpers/cli.js';
import { appendRevision } from '../helpers/pdf-attacks.js';
import { writeMinimalPdf } from '../helpers/pdfs.js';
import { createTestPki } from '../helpers/pki.js';
import { tempDir } from '../helpers/tmp.js';
import { CHROMIUM, buildRenderer, launchChromium, watchCsp } from './chromium.js';
import { chooseFiles, testSide, type TestDialogs } from './dialogs.js';

const shots = join(fileURLToPath(new URL('../..', import.meta.url)), 'test-results', 'screenshots');
const work = tempDir('e2e-compare');
const files = join(work.path, 'files');
/** Where the attack's widget lies on page 1 (change-attacks.ts OVER_TEXT): over the signed title and first line. */
const ATTACK_RECT = { x0: 60, y0: 720, x1: 420, y1: 790 };
const overlay = CHANGE_ATTACKS.find(
  (a) => a.name.startsWith('an opaque signature widget over the text') && a.name.endsWith('no /P'),
)!;
let host: LoopbackHost;
let browser: Browser;
let page: Page;
let signed = '';
let attacked = '';
let large = '';
let dssAdded = '';
let pageAdded = '';
let pageInserted = '';
/** The bytes the page asked of pdf:bytes, per request. */
const ranges: { offset: number; length: number }[] = [];
const violations: string[] = [];
let dialogs: TestDialogs;

beforeAll(async () => {
  if (!CHROMIUM) return;
  const rendererDir = buildRenderer(join(work.path, 'renderer')); // its own build: other e2e files build in parallel
  mkdirSync(files);
  const pki = await createTestPki(join(work.path, 'pki'));
  const dataDir = join(work.path, 'data');
  const sealdesk = cliRunner({ SEALDESK_HOME: dataDir });
  await isolateTsas(sealdesk);
  expect((await sealdesk('trust', 'add', pki.root.certPath)).code).toBe(0);
  const base = writeMinimalPdf(join(files, 'contract.pdf'), { annotsRef: true });
  signed = join(files, 'contract_sealed.pdf');
  const seal = async (input: string, out: string) => {
    const signer = ['--key', pki.signer.keyPath, '--chain', pki.signer.chainPath, '--level', 'B-B', '--tsa', 'none'];
    const r = await sealdesk('seal', input, ...signer, '--out', out);
    expect(r.code, r.stderr).toBe(0);
    return out;
  };
  await seal(base, signed);
  attacked = join(files, 'contract_paid.pdf');
  overlay.make(signed, attacked);
  // Later revisions that are no attack on what shows: validation data (a /DSS) only; and one that adds a page.
  dssAdded = join(files, 'contract_dss.pdf');
  appendRevision(signed, dssAdded, (doc, b) => {
    const dss = b.add(PdfDict.of({ Type: name('DSS'), Certs: [] }));
    b.set(doc.trailer.get('Root') as PdfRef, doc.catalog.with({ DSS: dss }));
  });
  pageAdded = join(files, 'contract_page.pdf');
  CHANGE_ATTACKS.find((a) => a.name === 'a page added')!.make(signed, pageAdded);
  pageInserted = join(files, 'contract_cover.pdf');
  CHANGE_ATTACKS.find((a) => a.name === 'a page inserted before page 1')!.make(signed, pageInserted);
  large = await seal(await largePdf(join(files, 'large.pdf')), join(files, 'large_sealed.pdf'));
  const test = testSide({ dataDir: join(work.path, 'main') });
  dialogs = test.dialogs;
  host = await startLoopbackHost({
    services: createServices({ dataDir, version: '0.1.0-e2e' }),
    rendererDir,
    side: test.side,
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await watchCsp(page, violations);
  page.on('request', (r) => {
    if (r.url().endsWith('/api/pdf:bytes')) ranges.push(JSON.parse(r.postData() ?? '{}'));
  });
  await page.goto(host.url);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Verify', exact: true }).click();
  mkdirSync(shots, { recursive: true });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await host?.close();
  work.remove();
});

/** 40 pages, page n with a black bar n × 10 points wide, after 8 MiB of unreferenced bytes pdf.js never needs. */
async function largePdf(path: string): Promise<string> {
  const doc = await PDFDocument.create();
  const noise = new Uint8Array(8 * 1024 * 1024);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
  doc.context.register(doc.context.stream(noise));
  for (let n = 1; n <= 40; n++) {
    doc.addPage([595, 842]).drawRectangle({ x: 50, y: 400, width: n * 10, height: 40, color: rgb(0, 0, 0) });
  }
  writeFileSync(path, await doc.save({ useObjectStreams: false }));
  return path;
}

/** How far the page is wider than a 900-pixel window at 125% zoom (the window's size is put back after). */
async function overflowAt125(): Promise<number> {
  await page.setViewportSize({ width: 900, height: 800 });
  await page.evaluate('document.documentElement.style.zoom = "1.25"');
  const overflow = Number(
    await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'),
  );
  await page.evaluate('document.documentElement.style.zoom = ""');
  await page.setViewportSize({ width: 1280, height: 900 });
  return overflow;
}

const action = (name: string) => page.getByRole('main').getByRole('button', { name, exact: true });

/** Chooses `path` alone in main's file dialog, then verifies it. */
async function verify(path: string): Promise<void> {
  const remove = page.getByRole('button', { name: /^Remove / });
  while ((await remove.count()) > 0) await remove.first().click();
  await chooseFiles(page, dialogs, 'Files to verify', path);
  await action('Verify').click();
  await page.getByRole('region', { name: 'Signatures' }).getByRole('article').first().waitFor({ timeout: 20_000 });
}

/** Share of dark pixels of a drawn canvas inside a box given as fractions of its width and height. */
const darkShare = (selector: string, box: { x0: number; y0: number; x1: number; y1: number }) =>
  page.evaluate(
    ({ selector, box }) => {
      const c = (globalThis as any).document.querySelector(selector);
      const [x, y] = [Math.round(box.x0 * c.width), Math.round(box.y0 * c.height)];
      const w = Math.round((box.x1 - box.x0) * c.width);
      const h = Math.round((box.y1 - box.y0) * c.height);
      const data: Uint8ClampedArray = c.getContext('2d').getImageData(x, y, w, h).data;
      let dark = 0;
      for (let i = 0; i < data.length; i += 4) if (Math.max(data[i]!, data[i + 1]!, data[i + 2]!) < 100) dark++;
      return dark / (data.length / 4);
    },
    { selector, box },
  );

describe.skipIf(!CHROMIUM)('Verify: the document beside the signatures, and Compare signed version', () => {
  it('an untouched seal: green, the document drawn beside it, and no Compare button', async () => {
    await verify(signed);
    const card = page.getByRole('region', { name: 'Signatures' }).getByRole('article').first();
    expect(await card.getAttribute('class')).toMatch(/\bgood\b/);
    const doc = page.getByRole('region', { name: /^Document: / });
    await doc.locator('canvas.doc-canvas[data-drawn-page="1"]').waitFor({ timeout: 20_000 });
    // The title line (y 760, 18 pt Helvetica, from x 72) is ink on page 1: dark pixels in its band, none in the footer.
    const title = { x0: 72 / 595, y0: (842 - 778) / 842, x1: 200 / 595, y1: (842 - 758) / 842 };
    expect(await darkShare('canvas.doc-canvas[data-drawn-page="1"]', title)).toBeGreaterThan(0.05);
    expect(await darkShare('canvas.doc-canvas[data-drawn-page="1"]', { x0: 0.1, y0: 0.8, x1: 0.9, y1: 0.95 })).toBe(0);
    expect(await action('Compare signed version').count()).toBe(0);
    await page.screenshot({ path: join(shots, 'verify-document.png') });
  });

  it('a later revision drew over the text: red, and the comparison boxes exactly where it drew', async () => {
    await verify(attacked);
    const card = page.getByRole('region', { name: 'Signatures' }).getByRole('article').first();
    expect(await card.getAttribute('class')).toMatch(/\bbad\b/);
    expect(await card.textContent()).toMatch(
      /Invalid \(TOTAL-FAILED \/ FORMAT_FAILURE\).*draws over the signed page content/s,
    );
    await card.getByRole('button', { name: 'Compare signed version' }).click();
    const compare = page.getByRole('region', { name: /^Signed version \(revision 2/ });
    await compare.getByRole('status').filter({ hasText: 'look different' }).waitFor({ timeout: 30_000 });
    const listed = await compare
      .getByRole('list', { name: 'Visible differences' })
      .getByRole('listitem')
      .allTextContents();
    expect(listed).toHaveLength(1); // page 1 only
    expect(listed[0]).toMatch(/^Page 1: \d changed regions? at /);
    // The regions together: inside the widget's rectangle (a point or two for anti-aliasing), and over all it changed,
    // the signed title (x 72-214, y 756-773) and first line (x 72-262, y 728-737) it hides and the text it shows.
    const found = listed[0]!.matchAll(/at x (\d+), y (\d+), (\d+) × (\d+) pt/g);
    const boxes = [...found].map((m) => m.slice(1).map(Number));
    expect(boxes.length).toBeGreaterThan(0);
    const x0 = Math.min(...boxes.map(([x]) => x!));
    const y0 = Math.min(...boxes.map(([, y]) => y!));
    const x1 = Math.max(...boxes.map(([x, , w]) => x! + w!));
    const y1 = Math.max(...boxes.map(([, y, , h]) => y! + h!));
    const box = `the changed pixels' box ${x0},${y0} – ${x1},${y1} pt`;
    expect(x0, box).toBeGreaterThanOrEqual(ATTACK_RECT.x0 - 2);
    expect(x0, box).toBeLessThanOrEqual(73);
    expect(y0, box).toBeGreaterThanOrEqual(ATTACK_RECT.y0 - 2);
    expect(y0, box).toBeLessThanOrEqual(729);
    expect(x1, box).toBeGreaterThanOrEqual(240);
    expect(x1, box).toBeLessThanOrEqual(ATTACK_RECT.x1 + 2);
    expect(y1, box).toBeGreaterThanOrEqual(770);
    expect(y1, box).toBeLessThanOrEqual(ATTACK_RECT.y1 + 2);
    // Both sides drawn, each with the box on it.
    await compare.locator('canvas.compare-canvas[data-drawn-page="1"]').nth(1).waitFor();
    expect(await compare.locator('svg rect.diff-box').count()).toBe(2 * boxes.length);
    expect(await compare.getByRole('figure').allTextContents()).toEqual(['Signed (revision 2), page 1', 'Now, page 1']);
    await page.screenshot({ path: join(shots, 'compare-attack-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(shots, 'compare-attack-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await overflowAt125(), 'Compare is wider than a 900-pixel window at 125%').toBeLessThanOrEqual(0);
    await compare.getByRole('button', { name: 'Back to the document' }).click();
    await page.getByRole('region', { name: /^Document: / }).waitFor();
    expect(await overflowAt125(), 'Verify is wider than a 900-pixel window at 125%').toBeLessThanOrEqual(0);
  });

  it('a revision that only adds validation data: no visible change, the change listed as drawing nothing', async () => {
    await verify(dssAdded);
    const card = page.getByRole('region', { name: 'Signatures' }).getByRole('article').first();
    await card.getByRole('button', { name: 'Compare signed version' }).click();
    const compare = page.getByRole('region', { name: /^Signed version/ });
    await compare.getByRole('status').filter({ hasText: 'No visible change' }).waitFor({ timeout: 30_000 });
    expect(await compare.getByRole('list', { name: 'Visible differences' }).getByRole('listitem').count()).toBe(0);
    const quiet = await compare
      .getByRole('list', { name: 'Changes that draw nothing' })
      .getByRole('listitem')
      .allTextContents();
    expect(quiet).toEqual(['catalog: DSS added or updated']);
    expect(await card.getAttribute('class')).toMatch(/\bgood\b/); // allowed: the signature stays valid
    expect(await compare.getByRole('list', { name: 'Other changes after signing' }).count()).toBe(0);
  });

  it('a page added after signing is named; page 1, unchanged, is not listed', async () => {
    await verify(pageAdded);
    const card = page.getByRole('region', { name: 'Signatures' }).getByRole('article').first();
    expect(await card.getAttribute('class')).toMatch(/\bbad\b/);
    await card.getByRole('button', { name: 'Compare signed version' }).click();
    const compare = page.getByRole('region', { name: /^Signed version/ });
    await compare.getByRole('status').filter({ hasText: 'look different' }).waitFor({ timeout: 30_000 });
    const listed = compare.getByRole('list', { name: 'Visible differences' }).getByRole('listitem');
    expect(await listed.allTextContents()).toEqual(['Page 2: added after signing']);
  });

  it('a page inserted in front: named as added, and the signed page is still compared with itself', async () => {
    await verify(pageInserted);
    const card = page.getByRole('region', { name: 'Signatures' }).getByRole('article').first();
    await card.getByRole('button', { name: 'Compare signed version' }).click();
    const compare = page.getByRole('region', { name: /^Signed version/ });
    await compare.getByRole('status').filter({ hasText: 'look different' }).waitFor({ timeout: 30_000 });
    const listed = compare.getByRole('list', { name: 'Visible differences' }).getByRole('listitem');
    expect(await listed.allTextContents()).toEqual(['Page 1: added after signing']); // page 2 = signed page 1, unchanged
    await compare.locator('canvas.compare-canvas[data-drawn-page="2"]').waitFor();
    expect(await compare.getByRole('figure').allTextContents()).toEqual(['Signed (revision 2), page 1', 'Now, page 2']);
    expect(await compare.locator('svg rect.diff-box').count()).toBe(0);
  });

  it('a large PDF: the pages near the view are drawn, read by range; scrolled to, the last page is drawn', async () => {
    await verify(large);
    const doc = page.getByRole('region', { name: /^Document: / });
    await doc.locator('canvas.doc-canvas[data-drawn-page="1"]').waitFor({ timeout: 20_000 });
    expect(await doc.getByRole('figure').count()).toBe(40);
    expect(await doc.locator('canvas.doc-canvas[data-drawn-page="40"]').count()).toBe(0); // far below: not drawn
    const size = statSync(large).size;
    const read = () => ranges.reduce((n, r) => n + r.length, 0);
    expect(read()).toBeLessThan(size / 4);
    await doc.getByRole('figure', { name: 'Page 40 of 40' }).scrollIntoViewIfNeeded();
    await doc.locator('canvas.doc-canvas[data-drawn-page="40"]').waitFor({ timeout: 20_000 });
    // Page 40's bar is 400 points wide (x 50-450, y 400-440), and page 1, far above now, let go of its pixels.
    const bar = { x0: 60 / 595, y0: (842 - 435) / 842, x1: 440 / 595, y1: (842 - 405) / 842 };
    expect(await darkShare('canvas.doc-canvas[data-drawn-page="40"]', bar)).toBeGreaterThan(0.95);
    await expect.poll(() => doc.locator('canvas.doc-canvas[data-drawn-page="1"]').count()).toBe(0);
    expect(read()).toBeLessThan(size / 4);
  });

  it("pdf:bytes with an end reads the signed revision: the file's prefix, its size the end", async () => {
    dialogs.willChoose(attacked);
    const r = (await page.evaluate(async () => {
      const api = (globalThis as any).api;
      const chosen = await api.desktopChooseFiles({});
      const file = chosen.value[0].handle;
      const whole = await api.pdfBytes({ file, offset: 0, length: 64 });
      const prefix = await api.pdfBytes({ file, offset: 1000, length: 4_000_000, end: 2000 });
      return { whole: whole.value.size, size: prefix.value.size, got: prefix.value.bytes.length };
    })) as { whole: number; size: number; got: number };
    expect(r.size).toBe(2000);
    expect(r.got).toBe(1000);
    expect(r.whole).toBeGreaterThan(2000);
  });

  it("no Content-Security-Policy violation in the page or pdf.js's worker", () => {
    expect(violations, violations.join('\n')).toEqual([]);
  });
});
