// Packaging cannot run here (electron-builder downloads Electron), so its configuration is checked against
// electron-builder's own JSON schema and against what the app needs from it: the fuses, and the packaged `sealdesk`
// command that works with RunAsNode off — its launchers (run against a stand-in app binary that prints what it got)
// and the app entry's routing of `--cli` to the CLI (bundled with `electron` reduced to the `app` it uses).
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { build } from 'esbuild';
import yaml from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { cliArguments } from '../../../main/cli-entry.js';
import { tempDir } from '../../helpers/tmp.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const config = yaml.load(readFileSync(`${root}/electron-builder.yml`, 'utf8')) as Record<string, any>;
const work = tempDir('packaging');
/** The bundled app entry: inside the repository, so its node_modules resolve. */
const out = join(root, 'node_modules', '.cache', 'sealdesk-tests', `entry-${process.pid}`);
afterAll(() => {
  work.remove();
  rmSync(out, { recursive: true, force: true });
});
const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(cmd, args, { env: { ...process.env, ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });

it('electron-builder.yml is valid against app-builder-lib/scheme.json', () => {
  const schema = JSON.parse(readFileSync(`${root}/node_modules/app-builder-lib/scheme.json`, 'utf8'));
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
  expect(validate(config), JSON.stringify(validate.errors, null, 2)).toBe(true);
});

it('targets AppImage + deb, NSIS, dmg; unpacks native modules; associates .pdf/.p7s/.tsr; ships the launchers', () => {
  expect(config.linux.target).toEqual(['AppImage', 'deb']);
  expect(config.win.target).toEqual(['nsis']);
  expect(config.mac.target).toEqual(['dmg']);
  expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/*.node']));
  expect(config.fileAssociations.map((a: { ext: string }) => a.ext)).toEqual(['pdf', 'p7s', 'tsr']);
  expect(config.files).toEqual(expect.arrayContaining(['dist/**']));
  expect(config.extraResources).toEqual([{ from: 'packaging/cli', to: 'bin', filter: ['sealdesk', 'sealdesk.cmd'] }]);
  // The launchers find the binary by these names: <app>/sealdesk, Sealdesk.app/Contents/MacOS/Sealdesk, Sealdesk.exe.
  expect(config.linux.executableName).toBe('sealdesk');
  expect(config.productName).toBe('Sealdesk');
  expect(config.mac.executableName ?? config.productName).toBe('Sealdesk');
  expect(config.win.executableName ?? config.productName).toBe('Sealdesk');
});

it('flips the fuses: no RunAsNode, NODE_OPTIONS, --inspect; only the checked asar; cookies encrypted', () => {
  expect(config.electronFuses).toEqual({
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    enableCookieEncryption: true,
  });
});

describe('the packaged `sealdesk` command', () => {
  it('routes only a start whose first non-switch argument is --cli to the CLI, with the arguments after it', () => {
    expect(cliArguments(['/opt/Sealdesk/sealdesk', '--cli', '--', 'verify', 'a.pdf', '--cli'], 1)).toEqual([
      'verify',
      'a.pdf',
      '--cli',
    ]);
    expect(
      cliArguments(
        ['/opt/Sealdesk/sealdesk', '--ozone-platform=headless', '--disable-gpu', '--cli', '--', '--version'],
        1,
      ),
    ).toEqual(['--version']);
    expect(cliArguments(['electron', '.', '--cli', 'tsa', 'list'], 2)).toEqual(['tsa', 'list']);
    expect(cliArguments(['/opt/Sealdesk/sealdesk', '/home/a/deal.pdf'], 1)).toBeNull(); // opened with the app
    expect(cliArguments(['/opt/Sealdesk/sealdesk', '/home/a/deal.pdf', '--cli'], 1)).toBeNull(); // a file first
    expect(cliArguments(['/opt/Sealdesk/sealdesk', '--', '--cli'], 1)).toBeNull(); // past the end of the switches
    expect(cliArguments(['/opt/Sealdesk/sealdesk'], 1)).toBeNull();
  });

  it('the Linux/macOS launcher starts the app beside it with --cli (via a symlink too), keeping its code', async () => {
    for (const [layout, binary] of [
      ['linux/resources/bin', 'linux/sealdesk'],
      ['Sealdesk.app/Contents/Resources/bin', 'Sealdesk.app/Contents/MacOS/Sealdesk'],
    ] as const) {
      const bin = join(work.path, layout);
      mkdirSync(bin, { recursive: true });
      copyFileSync(join(root, 'packaging', 'cli', 'sealdesk'), join(bin, 'sealdesk'));
      chmodSync(join(bin, 'sealdesk'), 0o755);
      mkdirSync(join(work.path, binary, '..'), { recursive: true });
      // The app binary's stand-in: prints its arguments one a line and exits with $CODE.
      writeFileSync(join(work.path, binary), '#!/bin/sh\nfor a in "$@"; do echo "[$a]"; done\nexit "${CODE:-0}"\n', {
        mode: 0o755,
      });
      const link = join(work.path, `on-path-${layout.length}`);
      symlinkSync(join(bin, 'sealdesk'), link);
      const r = await run(link, ['verify', 'my file.pdf', '--json'], { CODE: '3' });
      expect(r.code).toBe(3);
      const headless = process.platform === 'linux' ? ['[--ozone-platform=headless]', '[--disable-gpu]'] : [];
      expect(r.stdout.trim().split('\n')).toEqual([
        ...headless,
        '[--cli]',
        '[--]',
        '[verify]',
        '[my file.pdf]',
        '[--json]',
      ]);
      rmSync(join(work.path, binary));
      expect(await run(link, ['--version'])).toMatchObject({
        code: 127,
        stderr: expect.stringMatching(/the Sealdesk app was not found/),
      });
    }
  });

  it('the Windows launcher runs Sealdesk.exe beside resources with --cli -- and the arguments', () => {
    const cmd = readFileSync(join(root, 'packaging', 'cli', 'sealdesk.cmd'), 'utf8');
    expect(cmd.split('\r\n').every((line) => !line.includes('\n'))).toBe(true); // CRLF line ends, as cmd.exe wants
    expect(cmd).toContain('set "SEALDESK_APP=%~dp0..\\..\\Sealdesk.exe"');
    expect(cmd).toContain('"%SEALDESK_APP%" --cli -- %*');
    expect(cmd).toContain('exit /b %ERRORLEVEL%');
    expect(cmd).not.toMatch(/ELECTRON_RUN_AS_NODE/);
  });

  it("the app entry started with --cli runs the CLI's main() without a window and exits with its code", async () => {
    // Electron's `app` as far as the CLI start uses it; exit() is what ends the process with the CLI's code.
    const electron =
      'module.exports = { app: { isPackaged: false, dock: undefined, exit: (code) => process.exit(code) } };';
    await build({
      entryPoints: [join(root, 'main', 'entry.ts')],
      outfile: join(out, 'main.js'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'error',
      plugins: [
        {
          name: 'electron-app',
          setup: (b) => {
            b.onResolve({ filter: /^electron$/ }, () => ({ path: 'electron', namespace: 'stand-in' }));
            b.onLoad({ filter: /.*/, namespace: 'stand-in' }, () => ({ contents: electron, loader: 'js' }));
          },
        },
      ],
    });
    const home = join(work.path, 'home');
    const version = await run(process.execPath, [join(out, 'main.js'), '--cli', '--', '--version']);
    expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^sealdesk \d+\.\d+\.\d+/) });
    const tsas = await run(process.execPath, [join(out, 'main.js'), '--cli', 'tsa', 'list', '--json'], {
      SEALDESK_HOME: home,
    });
    expect(tsas.code, tsas.stderr).toBe(0);
    expect(JSON.parse(tsas.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'SK ID Solutions (RSA, qualified)' })]),
    );
    expect((await run(process.execPath, [join(out, 'main.js'), '--cli', 'stmap'], { SEALDESK_HOME: home })).code).toBe(
      2,
    );
  });
});
