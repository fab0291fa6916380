// The Seal view's page preview in Debian's Chromium: pdf.js draws the real page (read back from the canvas's pixels),
// in its same-origin worker, under the app's CSP, with the PDF's bytes fetched through the API only as far as needed.
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument, rgb } from 'pdf-lib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopbackHost, type LoopbackHost } from '../../main/loopback-host.js';
import { createServices } from '../../main/services/index.js';
import { qpdfVariant, writeMinimalPdf } from '../helpers/pdfs.js';
import { tempDir } from '../helpers/tmp.js';
import { CHROMIUM, buildRenderer, launchChromium, watchCsp } from './chromium.js';
import { chooseFiles, testSide, type TestDialogs } from './dialogs.js';

const shots = join(fileURLToPath(new URL('../..', import.meta.url)), 'test-results', 'screenshots');
const work = tempDir('e2e-preview');
const A4 = { w: 595, h: 842 };
const PAD = 3 * 1024 * 1024; // unreferenced bytes early in the file: nothing pdf.js needs to draw a page
let host: LoopbackHost;
let browser: Browser;
let page: Page;
const violations: string[] = [];
const ranges: { offset: number; length: number }[] = [];
let pdfPath = '';
let rendererDir = '';
let dialogs: TestDialogs; // main's open dialog, answered by the test

/** Page 1: a black rectangle over most of the upper half; page 2: one in the lower half; white elsewhere. */
async function twoPagePdf(path: string): Promise<string> {
  const doc = await PDFDocument.create();
  const noise = new Uint8Array(PAD);
  for (let i = 0; i < PAD; i++) noise[i] = (i * 2654435761) >>> 24;
  doc.context.register(doc.context.stream(noise));
  doc.addPage([A4.w, A4.h]).drawRectangle({ x: 100, y: 480, width: 395, height: 300, color: rgb(0, 0, 0) });
  doc.addPage([A4.w, A4.h]).drawRectangle({ x: 100, y: 60, width: 395, height: 300, color: rgb(0, 0, 0) });
  writeFileSync(path, await doc.save({ useObjectStreams: false }));
  return path;
}

/** Share of dark (< 60) and of white (> 235) pixels of the canvas inside a box given in PDF points. */
function sample(p: Page, box: { x0: number; y0: number; x1: number; y1: number }) {
  return p.evaluate(
    ({ box, A4 }) => {
      const c = (globalThis as any).document.querySelector('canvas.page-canvas');
      const sx = c.width / A4.w;
      const sy = c.height / A4.h;
      const [left, top] = [Math.round(box.x0 * sx), Math.round((A4.h - box.y1) * sy)];
      const data: Uint8ClampedArray = c
        .getContext('2d')
        .getImageData(left, top, Math.round((box.x1 - box.x0) * sx), Math.round((box.y1 - box.y0) * sy)).data;
      let dark = 0;
      let white = 0;
      for (let i = 0; i < data.length; i += 4) {
        const max = Math.max(data[i]!, data[i + 1]!, data[i + 2]!);
        if (max < 60 && data[i + 3] === 255) dark++;
        if (Math.min(data[i]!, data[i + 1]!, data[i + 2]!) > 235 && data[i + 3] === 255) white++;
      }
      const n = data.length / 4;
      return { dark: dark / n, white: white / n };
    },
    { box, A4 },
  );
}

const upper = { x0: 110, y0: 490, x1: 485, y1: 770 }; // inside page 1's rectangle
const lower = { x0: 110, y0: 70, x1: 485, y1: 350 }; // inside page 2's rectangle
const drawn = (n: number) => page.locator(`canvas.page-canvas[data-drawn-page="${n}"]`).waitFor();

const addPath = (path: string) => chooseFiles(page, dialogs, 'Files to seal', path);

/** A copy of the build, changed by `edit`, on a host of its own, in a tab of its own on Seal with the PDF's page shown. */
async function withRenderer(
  edit: (dir: string) => void,
  check: (tab: Page, consoleText: string[]) => Promise<void>,
): Promise<void> {
  const name = Math.random().toString(36).slice(2);
  const dir = join(work.path, `renderer-${name}`);
  cpSync(rendererDir, dir, { recursive: true });
  edit(dir);
  const made = testSide({ dataDir: join(work.path, `data-${name}`) });
  const other = await startLoopbackHost({
    services: createServices({ dataDir: join(work.path, `data-${name}`), version: '0.1.0-e2e' }),
    rendererDir: dir,
    side: made.side,
  });
  const tab = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const consoleText: string[] = [];
  tab.on('console', (m) => consoleText.push(m.text()));
  try {
    await tab.goto(other.url);
    await tab.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Seal', exact: true }).click();
    await chooseFiles(tab, made.dialogs, 'Files to seal', pdfPath);
    await tab.getByLabel('Visible seal on the page').check();
    await check(tab, consoleText);
  } finally {
    await tab.close();
    await other.close();
  }
}

beforeAll(async () => {
  if (!CHROMIUM) return;
  rendererDir = buildRenderer(join(work.path, 'renderer')); // its own build: renderer.test.ts may build in parallel
  mkdirSync(join(work.path, 'files'));
  pdfPath = await twoPagePdf(join(work.path, 'files', 'blocks.pdf'));
  const services = createServices({ dataDir: join(work.path, 'data'), version: '0.1.0-e2e' });
  const made = testSide({ dataDir: join(work.path, 'data') });
  dialogs = made.dialogs;
  host = await startLoopbackHost({ services, rendererDir, side: made.side });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1100, height: 900 }, deviceScaleFactor: 2 });
  await watchCsp(page, violations);
  page.on('request', (r) => {
    if (r.url().endsWith('/api/pdf:bytes')) ranges.push(JSON.parse(r.postData() ?? '{}'));
  });
  await page.goto(host.url);
  mkdirSync(shots, { recursive: true });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await host?.close();
  work.remove();
});

describe.skipIf(!CHROMIUM)('Seal: the page preview is the page as pdf.js draws it', () => {
  it("pdf:bytes over the loopback host: the file's exact bytes as a Uint8Array; a text file is refused", async () => {
    const text = join(work.path, 'files', 'notes.txt');
    writeFileSync(text, 'not a PDF');
    dialogs.willChoose(pdfPath, text);
    const r = (await page.evaluate(async () => {
      const api = (globalThis as any).api;
      const [pdf, txt] = (await api.desktopChooseFiles({})).value; // handles main issued for the chosen files
      const ok = await api.pdfBytes({ file: pdf.handle, offset: 1000, length: 300_000 });
      const refused = await api.pdfBytes({ file: txt.handle, offset: 0, length: 10 });
      return {
        ok:
          ok.ok && ok.value.bytes instanceof Uint8Array
            ? { size: ok.value.size, bytes: Array.from(ok.value.bytes) }
            : ok,
        refused,
      };
    })) as { ok: { size: number; bytes: number[] }; refused: { ok: false; error: { code: string } } };
    const file = readFileSync(pdfPath);
    expect(r.ok.size).toBe(file.length);
    expect(Buffer.from(r.ok.bytes).equals(file.subarray(1000, 301_000))).toBe(true);
    expect(r.refused.error.code).toBe('PDF_MALFORMED');
  });

  it('draws page 1 (dark rectangle above, white below) at the device pixel ratio, then page 2, and the seal is placed on it', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Seal', exact: true }).click();
    await addPath(pdfPath);
    ranges.length = 0;
    await page.getByLabel('Visible seal on the page').check();
    await page.getByRole('img', { name: "Page 1 of 2 with the seal's box" }).waitFor();
    await drawn(1);
    const size = await page
      .locator('canvas.page-canvas')
      .evaluate((c: any) => [c.width, c.height, c.getBoundingClientRect().width]);
    expect(size).toEqual([560, Math.round(A4.h * (280 / A4.w) * 2), 280]); // 280 CSS pixels at a device pixel ratio of 2
    expect((await sample(page, upper)).dark).toBeGreaterThan(0.99);
    expect((await sample(page, lower)).white).toBeGreaterThan(0.99);
    expect(page.workers().some((w) => /pdf\.worker/.test(w.url()))).toBe(true); // a real worker, not pdf.js's main-thread fallback

    await page.getByLabel('Page', { exact: true }).fill('2');
    await page.getByRole('img', { name: "Page 2 of 2 with the seal's box" }).waitFor();
    await drawn(2);
    expect((await sample(page, lower)).dark).toBeGreaterThan(0.99);
    expect((await sample(page, upper)).white).toBeGreaterThan(0.99);
    // Only what pdf.js needed: a small part of a file that is mostly padding.
    const fetched = ranges.reduce((n, r) => n + r.length, 0);
    expect(fetched).toBeGreaterThan(0);
    expect(fetched).toBeLessThan(readFileSync(pdfPath).length / 4);

    // The overlap warning still comes from main's content boxes: over the rectangle it warns, beside it not.
    await page.getByLabel('x', { exact: true }).fill('200');
    await page.getByLabel('y', { exact: true }).fill('150');
    await page.getByRole('status').filter({ hasText: 'covers what the page already shows' }).waitFor();
    await page.getByLabel('x', { exact: true }).fill('340');
    await page.getByLabel('y', { exact: true }).fill('700');
    expect(await page.getByRole('status').filter({ hasText: 'covers what' }).count()).toBe(0);
    expect(await page.getByText('could not be drawn').count()).toBe(0);
    await page.screenshot({ path: join(shots, 'seal-preview.png'), fullPage: true });
  });

  it("an encrypted PDF: main's refusal is shown, nothing is drawn", async () => {
    await page.getByRole('button', { name: /^Remove / }).click();
    const encrypted = await qpdfVariant(
      writeMinimalPdf(join(work.path, 'files', 'plain.pdf')),
      'encrypted',
      join(work.path, 'files', 'locked.pdf'),
    );
    await addPath(encrypted);
    await page.getByText(/the PDF is encrypted/).waitFor();
    expect(await page.locator('canvas.page-canvas').count()).toBe(0);
  });

  it("where no worker may start (worker-src refused here, as a platform might), pdf.js draws on the page's thread: same pixels, no blob: worker", async () => {
    await withRenderer(
      (dir) => {
        const index = join(dir, 'index.html');
        writeFileSync(index, readFileSync(index, 'utf8').replace("worker-src 'self'", "worker-src 'none'"));
      },
      async (tab, consoleText) => {
        await tab.locator('canvas.page-canvas[data-drawn-page="1"]').waitFor();
        expect((await sample(tab, upper)).dark).toBeGreaterThan(0.99);
        expect((await sample(tab, lower)).white).toBeGreaterThan(0.99);
        expect(tab.workers()).toEqual([]);
        expect(consoleText.some((t) => /worker-src/.test(t))).toBe(true); // the worker really was refused
        expect(consoleText.filter((t) => /blob:/.test(t))).toEqual([]);
      },
    );
  });

  it('when pdf.js cannot draw (here its worker file is missing), the page says so and the schematic is shown instead', async () => {
    await withRenderer(
      (dir) => {
        const workers = readdirSync(join(dir, 'assets')).filter((f) => f.startsWith('pdf.worker'));
        expect(workers).toHaveLength(1);
        rmSync(join(dir, 'assets', workers[0]!));
      },
      async (tab) => {
        await tab
          .getByText(
            'The page could not be drawn (the page renderer did not start); the grey boxes show where it has content.',
          )
          .waitFor();
        expect(await tab.locator('svg rect.ink').count()).toBeGreaterThan(0); // main's content boxes: the rectangle
        expect(await tab.locator('canvas.page-canvas[data-drawn-page]').count()).toBe(0);
        await tab.getByLabel('y', { exact: true }).fill('600');
        await tab.getByRole('status').filter({ hasText: 'covers what the page already shows' }).waitFor(); // still warned
        await tab.screenshot({ path: join(shots, 'seal-preview-fallback.png'), fullPage: true });
      },
    );
  });

  it('no Content-Security-Policy violation in the page or the worker', () => {
    expect(violations, violations.join('\n')).toEqual([]);
  });
});
