// A screenshot of every desktop view, light and dark (Chromium's prefers-color-scheme emulation), each taken once the
// view shows real work: files stamped and sealed against a loopback TSA, a sealed PDF verified beside its document, a
// changed one compared with its signed version. They land in test-results/screenshots/<view>-light.png / -dark.png;
// docs/screenshots/ holds a compressed copy of a set of them for the README.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopbackHost, type LoopbackHost } from '../../main/loopback-host.js';
import { createServices } from '../../main/services/index.js';
import { CHANGE_ATTACKS } from '../helpers/change-attacks.js';
import { cliRunner, isolateTsas } from '../helpers/cli.js';
import { writeMinimalPdf } from '../helpers/pdfs.js';
import { createTestPki } from '../helpers/pki.js';
import { tempDir } from '../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';
import { CHROMIUM, buildRenderer, launchChromium, watchCsp } from './chromium.js';
import { chooseFiles, testSide, type TestDialogs } from './dialogs.js';

const shots = join(fileURLToPath(new URL('../..', import.meta.url)), 'test-results', 'screenshots');
const work = tempDir('e2e-shots');
const files = join(work.path, 'files');
const overlay = CHANGE_ATTACKS.find(
  (a) => a.name.startsWith('an opaque signature widget over the text') && a.name.endsWith('no /P'),
)!;
let host: LoopbackHost;
let tsa: LoopbackTsa;
let browser: Browser;
let page: Page;
const violations: string[] = [];
let dialogs: TestDialogs;
const doc = { minutes: '', sealed: '', attacked: '', contract: '' };

beforeAll(async () => {
  if (!CHROMIUM) return;
  const rendererDir = buildRenderer(join(work.path, 'renderer'));
  mkdirSync(files);
  const pki = await createTestPki(join(work.path, 'pki'));
  tsa = await startTsa({ pki });
  const dataDir = join(work.path, 'data');
  const sealdesk = cliRunner({ SEALDESK_HOME: dataDir, SEALDESK_TSA_TIMEOUT_MS: '10000' });
  await isolateTsas(sealdesk);
  for (const args of [
    ['tsa', 'add', 'loop', tsa.url, '--name', 'Loopback TSA'],
    ['trust', 'add', pki.root.certPath],
    ['cert', 'import', '--key', pki.signer.keyPath, '--chain', pki.signer.chainPath],
  ])
    expect((await sealdesk(...args)).code).toBe(0);
  doc.minutes = join(files, 'minutes.txt');
  writeFileSync(doc.minutes, 'Board minutes, 2026-11-24\n');
  const stamped = await sealdesk('stamp', doc.minutes, '--label', 'board minutes');
  expect(stamped.code, stamped.stderr).toBe(0);
  doc.contract = writeMinimalPdf(join(files, 'contract.pdf'), { annotsRef: true, pages: 2 });
  doc.sealed = join(files, 'contract_sealed.pdf');
  const signer = ['--key', pki.signer.keyPath, '--chain', pki.signer.chainPath];
  const sealed = await sealdesk(
    'seal',
    doc.contract,
    ...signer,
    '--level',
    'B-T',
    '--reason',
    'Approved',
    '--out',
    doc.sealed,
  );
  expect(sealed.code, sealed.stderr).toBe(0);
  doc.attacked = join(files, 'contract_paid.pdf');
  overlay.make(doc.sealed, doc.attacked);
  const test = testSide({ dataDir: join(work.path, 'main') });
  dialogs = test.dialogs;
  const services = createServices({ dataDir, version: '0.1.0-e2e', tsaTimeoutMs: 10_000 });
  host = await startLoopbackHost({ services, rendererDir, side: test.side });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  await watchCsp(page, violations);
  await page.goto(host.url);
  mkdirSync(shots, { recursive: true });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await host?.close();
  await tsa?.close();
  work.remove();
});

/** Within 3 points: a CSS pixel of the 280-pixel preview is about 2 points of an A4 page. */
const near = (v: number, target: number) =>
  expect(Math.abs(v - target), `${v} is not near ${target}`).toBeLessThanOrEqual(3);
const action = (name: string) => page.getByRole('main').getByRole('button', { name, exact: true });

async function open(view: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: view, exact: true }).click();
  await page.getByRole('heading', { level: 2, name: view }).waitFor();
}

/** `paths` picked in main's file dialog, in the current view's picker (whatever it held before is removed). */
async function choose(label: string, ...paths: string[]): Promise<void> {
  const remove = page.getByRole('main').getByRole('button', { name: /^Remove / });
  while ((await remove.count()) > 0) await remove.first().click();
  await chooseFiles(page, dialogs, label, ...paths);
}

/** The view as it is now, light then dark: the window scrolled to `focus` (its top), else to the page's top. */
async function shoot(name: string, focus?: Locator): Promise<void> {
  const scrollTo = (el: any) =>
    (globalThis as any).scrollTo(0, el.getBoundingClientRect().top + (globalThis as any).scrollY - 16);
  if (focus) await focus.evaluate(scrollTo);
  else await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: join(shots, `${name}-light.png`) });
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(22, 25, 29)');
  await page.screenshot({ path: join(shots, `${name}-dark.png`) });
  await page.emulateMedia({ colorScheme: 'light' });
}

describe.skipIf(!CHROMIUM)('screenshots of every view, light and dark', () => {
  it('Stamp: a file stamped by the loopback TSA', async () => {
    await open('Stamp');
    const agenda = join(files, 'agenda.txt');
    writeFileSync(agenda, 'Agenda, 2026-12-01\n');
    await choose('Files to stamp', agenda);
    await action('Stamp').click();
    const result = page.getByRole('list', { name: 'Stamp results' }).getByRole('listitem');
    await expect.poll(() => result.first().textContent(), { timeout: 15_000 }).toMatch(/stamped by Loopback TSA/);
    await shoot('stamp');
  });

  it("Seal: the visible seal's box drawn by dragging on the drawn page, warned live, snapped to the edge", async () => {
    await open('Seal');
    await choose('Files to seal', doc.contract);
    await page.getByLabel('Visible seal on the page').check();
    await page.locator('canvas.page-canvas[data-drawn-page="1"]').waitFor({ timeout: 20_000 });
    const sheet = page.getByRole('img', { name: "Page 1 of 2 with the seal's box" });
    await sheet.evaluate((el: any) => el.scrollIntoView({ block: 'center' }));
    const r = (await sheet.boundingBox())!;
    const scale = r.width / 595;
    /** Client pixels of a point on the A4 page (PDF points, y up). */
    const at = (x: number, y: number): [number, number] => [r.x + x * scale, r.y + (842 - y) * scale];
    const value = async (label: string) => Number(await page.getByLabel(label, { exact: true }).inputValue());
    const warning = page.getByRole('status').filter({ hasText: 'covers what the page already shows' });
    // Over the title: the warning shows while the button is still down.
    await page.mouse.move(...at(60, 800));
    await page.mouse.down();
    await page.mouse.move(...at(240, 745), { steps: 5 });
    await warning.waitFor();
    await expect.poll(() => value('Width')).toBeGreaterThan(150);
    near(await value('x'), 60);
    near(await value('y'), 745);
    await page.mouse.up();
    // On blank space, ending a few points from the page's right and bottom edges: it lies against them.
    await page.mouse.move(...at(330, 120));
    await page.mouse.down();
    await page.mouse.move(...at(591, 4), { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => warning.count()).toBe(0);
    await expect.poll(() => value('y')).toBe(0);
    near(await value('x'), 330);
    expect((await value('x')) + (await value('Width'))).toBe(595);
    near(await value('Height'), 120);
    // The box dragged left by most of the page: it stops against the left edge, its size kept.
    const [w, h] = [await value('Width'), await value('Height')];
    await page.mouse.move(...at(400, 60));
    await page.mouse.down();
    await page.mouse.move(...at(60, 62), { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => value('x')).toBe(0);
    expect([await value('Width'), await value('Height')]).toEqual([w, h]);
    await shoot('seal', page.getByLabel('Visible seal on the page'));
  });

  it('Verify: the sealed PDF beside its signature card', async () => {
    await open('Verify');
    await choose('Files to verify', doc.sealed);
    await action('Verify').click();
    await page
      .getByRole('region', { name: /^Document: / })
      .locator('canvas.doc-canvas[data-drawn-page="1"]')
      .waitFor({ timeout: 20_000 });
    const card = page.getByRole('region', { name: 'Signatures' }).getByRole('article').first();
    expect(await card.getAttribute('class'), (await card.textContent()) ?? '').toMatch(/\bgood\b/);
    await shoot('verify', page.getByRole('main').getByRole('button', { name: 'Verify', exact: true }));
  });

  it('Compare: the changed PDF against its signed version, the changed region boxed', async () => {
    await choose('Files to verify', doc.attacked);
    await action('Verify').click();
    await page.getByRole('button', { name: 'Compare signed version' }).first().click({ timeout: 20_000 });
    await page.getByRole('status').filter({ hasText: 'look different' }).waitFor({ timeout: 30_000 });
    await page.locator('svg rect.diff-box').first().waitFor();
    await shoot('compare', page.getByRole('region', { name: /^Signed version/ }));
  });

  it("Inspect: the stamp's token, every field", async () => {
    await open('Inspect');
    await choose('Token (.tsr)', `${doc.minutes}.tsr`);
    await action('Inspect').click();
    await expect
      .poll(() => page.getByRole('article', { name: 'Token fields' }).textContent(), { timeout: 10_000 })
      .toMatch(/Sealdesk Test TSA/);
    await shoot('inspect');
  });

  it('Restamp, History, Settings', async () => {
    await open('Restamp');
    await page.getByRole('main').getByRole('status').filter({ hasText: 'due before' }).waitFor({ timeout: 10_000 });
    await shoot('restamp');
    await open('History');
    await expect
      .poll(() => page.locator('table.records tbody tr').count(), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(3);
    await shoot('history');
    await open('Settings');
    await page
      .getByRole('list', { name: 'Trust anchors' })
      .getByText(/Sealdesk Test Root CA/)
      .waitFor();
    await shoot('settings');
  });

  it('no Content-Security-Policy violation on the way', () => {
    expect(violations, violations.join('\n')).toEqual([]);
  });
});
