// Builds the CLI, Electron main and preload with esbuild (the renderer is built by Vite). `--cli-only` for the CLI alone;
// `--cli-out <dir>` builds it elsewhere than dist/cli (a test's own copy, which a concurrent build cannot pull away;
// the folder must be inside the repository so the bundle finds node_modules).
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';

const cliOnly = process.argv.includes('--cli-only');
const outAt = process.argv.indexOf('--cli-out');
const cliOut = outAt > 0 ? process.argv[outAt + 1] : 'dist/cli';
const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning', sourcemap: 'linked' };

// Split so what only some commands need (the AWS SDK) loads only when they run. verify-worker.js is the isolated
// verifier's worker thread (core/verify-isolated), found beside the bundle.
rmSync(cliOut, { recursive: true, force: true });
await build({ ...common, entryPoints: { sealdesk: 'cli/sealdesk.ts', 'verify-worker': 'cli/verify-worker.ts' }, outdir: cliOut, splitting: true, chunkNames: 'chunks/[name]-[hash]', format: 'esm', packages: 'external', banner: { js: '#!/usr/bin/env node' } });
chmodSync(`${cliOut}/sealdesk.js`, 0o755);

if (!cliOnly) {
  // Main is ESM (Electron ≥ 28); node_modules stay external and are packaged by electron-builder.
  await build({ ...common, entryPoints: ['main/main.ts'], outfile: 'dist/main/main.js', format: 'esm', packages: 'external' });
  // The isolated verifier's worker beside main.js: the main process never parses an untrusted file itself.
  await build({ ...common, entryPoints: ['core/verify-isolated/worker.ts'], outfile: 'dist/main/verify-worker.js', format: 'esm', packages: 'external' });
  // A sandboxed preload must be one CommonJS file that requires nothing but 'electron'.
  await build({ ...common, entryPoints: ['preload/preload.ts'], outfile: 'dist/preload/preload.cjs', format: 'cjs', external: ['electron'], platform: 'browser', target: 'chrome130' });
}
