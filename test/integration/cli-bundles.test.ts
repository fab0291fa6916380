// The built CLI's own bundles per command (scripts/build.mjs, cli/sealdesk.ts): `seal`, `verify`, `stamp`, `inspect`
// and `lookup` run from cmd-<name>.cjs alone — the test removes the whole application's bundle (app.cjs) from a copy of
// the build — while every other command line (help, a typo, `history`) still goes through app.cjs.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeMinimalPdf } from '../helpers/pdfs.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';
import { tempDir } from '../helpers/tmp.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = tempDir('cli-bundles');
// Inside the repository, so the bundles find node_modules (better-sqlite3 is not inlined).
const out = mkdtempSync(join(root, '.tmp-cli-bundles-'));
let pki: TestPki;
let tsa: LoopbackTsa;

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs', '--cli-only', '--cli-out', out], { cwd: root });
  pki = await createTestPki(join(work.path, 'pki'));
  tsa = await startTsa({ pki });
});
afterAll(async () => {
  await tsa.close();
  rmSync(out, { recursive: true, force: true });
  work.remove();
});

const run = (...args: string[]) =>
  new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [join(out, 'sealdesk.js'), ...args],
      { encoding: 'utf8', env: { ...process.env, SEALDESK_HOME: join(work.path, 'home') } },
      (err, stdout, stderr) =>
        resolve({ status: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

describe('the per-command bundles of the built CLI', () => {
  it('are built for the per-file commands, beside the whole application', () => {
    const files = readdirSync(out).filter((f) => f.endsWith('.cjs'));
    expect(files.sort()).toEqual(
      ['app', 'cmd-inspect', 'cmd-lookup', 'cmd-seal', 'cmd-stamp', 'cmd-verify', 'verify-worker'].map(
        (n) => `${n}.cjs`,
      ),
    );
  });

  it('stamp, inspect, seal, verify and lookup run without app.cjs; other commands need it', async () => {
    // `tsa` has no bundle of its own: configured while app.cjs is still there.
    for (const slug of ['digicert', 'sectigo', 'globalsign', 'swisssign', 'rfc3161.ai.moda'])
      expect((await run('tsa', 'disable', slug)).status).toBe(0);
    expect((await run('tsa', 'add', 'loop', tsa.url)).status).toBe(0);
    rmSync(join(out, 'app.cjs'));

    const text = join(work.path, 'minutes.txt');
    writeFileSync(text, 'minutes of the meeting');
    const stamp = await run('stamp', text, '--json');
    expect(stamp.status, stamp.stderr).toBe(0);
    const inspect = await run('inspect', `${text}.tsr`);
    expect(inspect.status, inspect.stderr).toBe(0);
    expect(inspect.stdout).toMatch(/Status +granted[\s\S]*Signature +valid/);

    const doc = writeMinimalPdf(join(work.path, 'doc.pdf'));
    const sealed = join(work.path, 'doc-sealed.pdf');
    const key = ['--key', pki.signer.keyPath, '--chain', pki.signer.chainPath];
    const seal = await run('seal', doc, '--tsa', 'none', ...key, '--out', sealed, '--json');
    expect(seal.stderr).toBe('');
    expect(seal.status).toBe(0);
    expect(existsSync(sealed)).toBe(true);

    const verify = await run('verify', sealed, '--trust', pki.root.certPath, '--json');
    expect(verify.stderr).toBe('');
    const report = JSON.parse(verify.stdout) as { signatures: { intact: boolean; fieldName: string }[] };
    expect(report.signatures).toHaveLength(1);
    expect(report.signatures[0]).toMatchObject({ intact: true, fieldName: 'SealdeskSeal1' });

    const lookup = await run('lookup', text);
    expect(lookup.status, lookup.stderr).toBe(0);
    expect(lookup.stdout).toContain('loop');

    const history = await run('history');
    expect(history.status).not.toBe(0);
    expect(history.stderr).toMatch(/app\.cjs/);
  });
});
