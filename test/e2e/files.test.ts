// Capabilities, not paths, in Chromium through the real preload and the loopback host: a path the page sends is
// refused with a stable code, files come in by drop (the preload hands them to main, which answers handles), by main's
// open dialog and from the recent files, and no view has a text box for a path. Electron's dialogs and
// webUtils.getPathForFile are the test's stand-ins (test/e2e/dialogs.ts); main's registry and dispatch are real.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopbackHost, type LoopbackHost } from '../../main/loopback-host.js';
import { createServices } from '../../main/services/index.js';
import { writeMinimalPdf } from '../helpers/pdfs.js';
import { tempDir } from '../helpers/tmp.js';
import { CHROMIUM, buildRenderer, launchChromium, watchCsp } from './chromium.js';
import { chooseFiles, dropFiles, mapDroppedFiles, testSide, type TestDialogs } from './dialogs.js';

const work = tempDir('e2e-files');
let host: LoopbackHost;
let browser: Browser;
let page: Page;
let dialogs: TestDialogs;
const violations: string[] = [];
const action = (name: string) => page.getByRole('main').getByRole('button', { name, exact: true });
const open = async (view: string) => {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: view, exact: true }).click();
  await page.getByRole('heading', { level: 2, name: view }).waitFor();
};
/** window.api called from the page itself, as a compromised renderer would. */
const fromPage = (script: string) =>
  page.evaluate(`(async (api) => ${script})(window.api)`) as Promise<{ ok: boolean; error?: { code: string } }>;

beforeAll(async () => {
  if (!CHROMIUM) return;
  const rendererDir = buildRenderer(join(work.path, 'renderer')); // its own build: other e2e files build in parallel
  const dataDir = join(work.path, 'data');
  const services = createServices({ dataDir, version: '0.1.0-e2e' });
  const made = testSide({ dataDir });
  dialogs = made.dialogs;
  host = await startLoopbackHost({ services, rendererDir, side: made.side });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await watchCsp(page, violations);
  await page.goto(host.url);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await host?.close();
  work.remove();
});

describe.skipIf(!CHROMIUM)('files enter as handles, never as paths', () => {
  it('a path sent by the page is refused with CAPABILITY_UNKNOWN, on every kind of request', async () => {
    const pdf = writeMinimalPdf(join(work.path, 'secret.pdf'));
    for (const call of [
      `api.pdfBytes({ file: ${JSON.stringify(pdf)}, offset: 0, length: 10 })`,
      `api.jobsVerify({ files: [${JSON.stringify(pdf)}] })`,
      `api.inspectToken({ file: '/etc/passwd' })`,
      `api.trustAdd({ file: ${JSON.stringify(pdf)} })`,
      `api.tokensList({ module: '/usr/lib/softhsm/libsofthsm2.so' })`,
      `api.desktopShowInFolder({ path: '/etc/passwd' })`,
    ]) {
      expect(await fromPage(call), call).toMatchObject({ ok: false, error: { code: 'CAPABILITY_UNKNOWN' } });
    }
    expect(await fromPage(`api.verifyReport({ files: ['x'], out: '/tmp/report.html' })`)).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
  });

  it('a dropped file becomes a handle (its name shown), verified; a File not on disk is refused', async () => {
    const pdf = writeMinimalPdf(join(work.path, 'dropped.pdf'));
    await open('Verify');
    await mapDroppedFiles(page, { 'dropped.pdf': pdf });
    const zone = page.getByLabel('Files to verify: drop files here');
    await dropFiles(page, zone, [
      { name: 'dropped.pdf', text: '%PDF-' },
      { name: 'pasted.pdf', text: '%PDF-' },
    ]);
    const chosen = page.getByRole('list', { name: 'Files to verify: chosen files' });
    await chosen.getByText('dropped.pdf', { exact: true }).waitFor();
    expect(await chosen.textContent()).not.toContain(work.path); // names, never paths
    await page
      .getByRole('status')
      .filter({ hasText: 'Not added: pasted.pdf (this item is not a file on disk)' })
      .waitFor();
    await action('Verify').click();
    await page.getByRole('article', { name: `Report for ${pdf}` }).waitFor({ timeout: 20_000 });
  });

  it("main's dialog and the recent files give handles; an output goes where the save dialog says", async () => {
    await open('Stamp');
    const doc = join(work.path, 'chosen.txt');
    writeFileSync(doc, 'chosen in the dialog');
    await chooseFiles(page, dialogs, 'Files to stamp', doc);
    await open('Inspect');
    await action('Recent files').click();
    const recent = page.getByRole('list', { name: 'Token (.tsr): recent files' });
    await recent.getByRole('button', { name: 'Add chosen.txt' }).waitFor();
    expect(await recent.textContent()).toContain('dropped.pdf');
    await open('Verify');
    await action('Verify').click();
    await page
      .getByRole('article', { name: `Report for ${join(work.path, 'dropped.pdf')}` })
      .waitFor({ timeout: 20_000 });
    dialogs.willSave(null);
    await action('Export report (.pdf or .html)…').click();
    await expect.poll(() => dialogs.saveAsked.length).toBe(1);
    expect(dialogs.saveAsked[0]).toMatchObject({
      title: 'Save the verification report',
      defaultPath: join(work.path, 'dropped-report.pdf'),
    });
    expect(await page.getByRole('alert').count()).toBe(0); // cancelled: nothing said, nothing written
    dialogs.willSave(join(work.path, 'audit.html'));
    await action('Export report (.pdf or .html)…').click();
    await page
      .getByRole('status')
      .filter({ hasText: `Report saved to ${join(work.path, 'audit.html')}` })
      .waitFor();
  });

  it('no view has a text box for a path', async () => {
    for (const view of ['Stamp', 'Seal', 'Verify', 'Inspect', 'History', 'Restamp', 'Settings']) {
      await open(view);
      const boxes = page.locator('input:not([type]), input[type="text"]');
      const placeholders = await boxes.evaluateAll((els) =>
        els.map((e) => (e as unknown as { placeholder: string }).placeholder),
      );
      expect(
        placeholders.filter((p) => /^(\/|[A-Z]:\\)|path/i.test(p)),
        view,
      ).toEqual([]);
      expect(await page.getByLabel('Path', { exact: true }).count(), view).toBe(0);
    }
    expect(violations, violations.join('\n')).toEqual([]);
  });

  it('the drop channel answers only our own page', async () => {
    const res = await fetch(`${host.url}api/files:drop`, {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ paths: ['/etc'] }),
    });
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });
});
