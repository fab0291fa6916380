// Builds the CLI, Electron main and preload with esbuild (the renderer is built by Vite). `--cli-only` for the CLI alone;
// `--cli-out <dir>` builds it elsewhere than dist/cli (a test's own copy, which a concurrent build cannot pull away;
// the folder must be inside the repository so the bundle finds node_modules).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { lazyImports } from './lazy-packages.mjs';

const cliOnly = process.argv.includes('--cli-only');
const outAt = process.argv.indexOf('--cli-out');
const cliOut = outAt > 0 ? process.argv[outAt + 1] : 'dist/cli';
const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning', sourcemap: 'linked' };

// The CLI starts fast (issue 15): the application and the verifier's worker are each ONE CommonJS file with their
// libraries inlined (no module resolution, one read), minified, in ASCII, loaded through node:vm with a V8 code cache
// (cli/code-cache.ts). Native addons and what few commands need (AWS SDK, undici) stay in node_modules; dynamic
// import() becomes require() so the vm-compiled code never needs a module loader callback. The big libraries load on
// first use (scripts/lazy-packages.mjs): a command's main thread does not start what only its worker needs.
// @peculiar/x509 (a third of a command's bundle with its ASN.1 schema packages) is needed only to make the default
// seal's certificate, once per machine: it stays in node_modules too.
const NOT_INLINED = [
  'better-sqlite3',
  'pkcs11js',
  '@aws-sdk/*',
  'undici',
  'esbuild',
  '@peculiar/x509',
  'reflect-metadata',
];
const cjsBundle = {
  ...common,
  format: 'cjs',
  write: false,
  external: NOT_INLINED,
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'linked',
  charset: 'ascii',
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__sealdesk_bundle_url' },
  banner: { js: 'var __sealdesk_bundle_url=require("node:url").pathToFileURL(__filename).href;' },
};
// What loads on first use: in the app, the libraries its main thread may never touch; in the worker, which verifies
// with the others every time (loading them while the main thread prepares the job), @peculiar/x509 (certificate facts
// come from core/asn1's TLV walk; only legacy and trusted-list paths need the library) and the --online network code.
const appLazy = lazyImports({
  packages: ['pdf-lib', 'pkijs', 'asn1js', '@peculiar/x509', 'pkcs11js'],
  modules: ['core/report/write.ts', 'core/revocation/network.ts'],
});
const workerLazy = lazyImports({ packages: ['@peculiar/x509'], modules: ['core/revocation/network.ts'] });

/** Writes CommonJS bundles; for each entry, what its loader must know: file name, content hash, whether it is ASCII. */
async function cjs(entryPoints, lazy, plugins = []) {
  const out = await build({
    ...cjsBundle,
    entryPoints,
    outdir: cliOut,
    outExtension: { '.js': '.cjs' },
    plugins: [...plugins, lazy],
  });
  const infos = {};
  for (const f of out.outputFiles) {
    writeFileSync(f.path, f.contents);
    const name = basename(f.path);
    if (!name.endsWith('.cjs')) continue;
    const ascii = f.contents.every((b) => b < 0x80);
    infos[name] = { name, hash: createHash('sha256').update(f.contents).digest('hex'), ascii };
  }
  return infos;
}

// The commands people run once per file, in scripts and loops, get a bundle of their own (cmd-<name>.cjs: that command,
// its libraries and the dispatcher): `sealdesk seal` then reads and compiles 1.5 MB instead of the whole application's
// 3.6 MB, about 50 ms less per run (issue 15, `npm run bench -- cli`). The others load app.cjs. Their modules are read
// from cli/main.ts's table.
const OWN_BUNDLE = new Set(['stamp', 'seal', 'verify', 'inspect', 'lookup']);
const TABLE_ROW = /^ {2}([\w-]+): async \(\) => \(await import\('\.\/commands\/([\w-]+)\.js'\)\)\.(\w+),$/gm;
const commands = [...readFileSync('cli/main.ts', 'utf8').matchAll(TABLE_ROW)]
  .map(([, name, module, exported]) => ({ name, module, exported }))
  .filter((c) => OWN_BUNDLE.has(c.name));
if (commands.length !== OWN_BUNDLE.size)
  throw new Error('scripts/build.mjs: a command of OWN_BUNDLE is not in cli/main.ts');
const commandEntries = {
  name: 'command-entries',
  setup(b) {
    b.onResolve({ filter: /^command-entry:/ }, (args) => ({ path: args.path, namespace: 'command-entry' }));
    b.onLoad({ filter: /.*/, namespace: 'command-entry' }, (args) => {
      const c = commands.find((x) => `command-entry:${x.name}` === args.path);
      const contents = [
        `import { dispatch } from './cli/dispatch.ts';`,
        `import { processIo } from './cli/io.ts';`,
        `import { ${c.exported} as command } from './cli/commands/${c.module}.ts';`,
        `export const runCli = (argv) => dispatch({ ${JSON.stringify(c.name)}: async () => command }, argv, processIo());`,
      ].join('\n');
      return { contents, loader: 'ts', resolveDir: process.cwd() };
    });
  },
};

rmSync(cliOut, { recursive: true, force: true });
mkdirSync(cliOut, { recursive: true });
const app = (await cjs({ app: 'cli/main.ts' }, appLazy))['app.cjs'];
const worker = (await cjs({ 'verify-worker': 'core/verify-isolated/worker.ts' }, workerLazy))['verify-worker.cjs'];
const perCommand = await cjs(
  Object.fromEntries(commands.map((c) => [`cmd-${c.name}`, `command-entry:${c.name}`])),
  appLazy,
  [commandEntries],
);
const commandBundles = Object.fromEntries(commands.map((c) => [c.name, perCommand[`cmd-${c.name}.cjs`]]));
// The two small entries: `sealdesk.js` (package.json's bin: help without loading the app) and `verify-worker.js` (the
// isolated verifier's worker thread, core/verify-isolated, found beside the bundle by its runner). CommonJS too, by the
// package.json written beside them: Node then starts them without setting up its ES module loader.
const url = { 'import.meta.url': '__sealdesk_bundle_url' };
const urlLine = cjsBundle.banner.js;
const entry = { ...common, format: 'cjs', packages: 'external', outdir: cliOut };
await build({
  ...entry,
  entryPoints: { sealdesk: 'cli/sealdesk.ts' },
  define: {
    ...url,
    SEALDESK_APP_BUNDLE: JSON.stringify(app),
    SEALDESK_COMMAND_BUNDLES: JSON.stringify(commandBundles),
  },
  banner: { js: `#!/usr/bin/env node\n${urlLine}` },
});
await build({
  ...entry,
  entryPoints: { 'verify-worker': 'cli/verify-worker.ts' },
  define: { ...url, SEALDESK_WORKER_BUNDLE: JSON.stringify(worker) },
  banner: { js: urlLine },
});
writeFileSync(join(cliOut, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
chmodSync(`${cliOut}/sealdesk.js`, 0o755);

if (!cliOnly) {
  // Main is ESM (Electron ≥ 28); node_modules stay external and are packaged by electron-builder. Its entry also runs
  // the CLI when the app binary is started with --cli (the packaged `sealdesk` launchers; RunAsNode is fused off).
  await build({
    ...common,
    entryPoints: ['main/entry.ts'],
    outfile: 'dist/main/main.js',
    format: 'esm',
    packages: 'external',
  });
  // The service host (main/host), forked by main as a utilityProcess: files, the ledger, TSAs and PDFs run there.
  await build({
    ...common,
    entryPoints: ['main/host/service-host.ts'],
    outfile: 'dist/main/service-host.js',
    format: 'esm',
    packages: 'external',
  });
  // The isolated verifier's worker beside main.js: the main process never parses an untrusted file itself.
  await build({
    ...common,
    entryPoints: ['core/verify-isolated/worker.ts'],
    outfile: 'dist/main/verify-worker.js',
    format: 'esm',
    packages: 'external',
  });
  // A sandboxed preload must be one CommonJS file that requires nothing but 'electron'.
  await build({
    ...common,
    entryPoints: ['preload/preload.ts'],
    outfile: 'dist/preload/preload.cjs',
    format: 'cjs',
    external: ['electron'],
    platform: 'browser',
    target: 'chrome130',
  });
}
