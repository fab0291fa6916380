// Verify → Options in Debian's Chromium against the real services: a seal by the test CA, with no anchor in the trust
// store, turns green once the CA is added as an extra trust anchor through main's open dialog (a handle, not a path).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceHost, type ServiceHost } from '../../main/host/start.js';
import { startLoopbackHost, type LoopbackHost } from '../../main/loopback-host.js';
import { cliRunner } from '../helpers/cli.js';
import { writeMinimalPdf } from '../helpers/pdfs.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { tempDir } from '../helpers/tmp.js';
import { CHROMIUM, buildRenderer, launchChromium, watchCsp } from './chromium.js';
import { chooseFiles, testSide, type TestDialogs } from './dialogs.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = tempDir('e2e-verify-options');
const dataDir = join(work.path, 'data');
const files = join(work.path, 'files');
const sealed = join(files, 'contract_sealed.pdf');
let host: LoopbackHost;
let serviceHost: ServiceHost;
let browser: Browser;
let page: Page;
let pki: TestPki;
let dialogs: TestDialogs;
const violations: string[] = [];

beforeAll(async () => {
  if (!CHROMIUM) return;
  buildRenderer();
  mkdirSync(files, { recursive: true });
  pki = await createTestPki(join(work.path, 'pki'));
  const sealdesk = cliRunner({ SEALDESK_HOME: dataDir });
  const doc = writeMinimalPdf(join(files, 'contract.pdf'));
  const args = ['--key', pki.signer.keyPath, '--chain', pki.signer.chainPath, '--level', 'B-B', '--tsa', 'none'];
  const r = await sealdesk('seal', doc, ...args, '--out', sealed);
  expect(r.code, r.stderr).toBe(0);
  serviceHost = await startServiceHost({ options: { dataDir, version: '0.1.0-e2e' } });
  const made = testSide({ dataDir });
  dialogs = made.dialogs;
  const rendererDir = join(root, 'renderer', 'dist');
  host = await startLoopbackHost({ services: serviceHost.services, rendererDir, side: made.side });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await watchCsp(page, violations);
  await page.goto(host.url);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await host?.close();
  await serviceHost?.close();
  work.remove();
});

describe.skipIf(!CHROMIUM)('Verify → Options in Chromium', () => {
  it('an extra trust anchor added through the dialog makes the test-CA seal green', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Verify', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Verify' }).waitFor();
    await chooseFiles(page, dialogs, 'Files to verify', sealed);
    await page.locator('summary', { hasText: 'Options' }).click();
    dialogs.willChoose(pki.root.certPath);
    await page.getByRole('button', { name: 'Add trust anchor…', exact: true }).click();
    await page
      .getByRole('list', { name: /Extra trust anchors.*: chosen/ })
      .getByText('root.pem')
      .waitFor();
    await page.getByRole('main').getByRole('button', { name: 'Verify', exact: true }).click();
    const card = page.getByRole('article', { name: `Report for ${sealed}` });
    await card.waitFor({ timeout: 30_000 });
    expect(await card.getAttribute('class')).toMatch(/\bgood\b/);
    expect(await card.textContent()).toMatch(/Valid \(TOTAL-PASSED\)/);
    expect(violations).toEqual([]);
  });
});
