// Debian's Chromium driving the real renderer build for the e2e tests: where it is, how it starts, the build, and every
// Content-Security-Policy violation the page or its workers report.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => existsSync(p));
const root = fileURLToPath(new URL('../..', import.meta.url));

/** Builds the renderer with Vite into `outDir` (renderer/dist by default; another folder keeps parallel test files apart). */
export function buildRenderer(outDir = join(root, 'renderer', 'dist')): string {
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      'renderer/vite.config.ts',
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: root, env: { ...process.env, NODE_ENV: 'production' } },
  ); // as shipped, not vitest's 'test'
  return outDir;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * Collects CSP violations into `violations`: Chromium's console reports (page and workers) and the document's
 * securitypolicyviolation events, which fire even where nothing is logged.
 */
export async function watchCsp(page: Page, violations: string[]): Promise<void> {
  const seen = (text: string) => {
    if (/Content Security Policy|Refused to/.test(text)) violations.push(text);
  };
  page.on('console', (m) => seen(m.text()));
  page.on('worker', (w) => w.on('console', (m) => seen(`${w.url()}: ${m.text()}`)));
  await page.addInitScript({
    content:
      "document.addEventListener('securitypolicyviolation', (e) => console.error(`Content Security Policy violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} in ${e.sourceFile}`));",
  });
}
