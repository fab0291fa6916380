// Builds sealdesk-server (server/) into dist/server/sealdesk-server.js with esbuild; node_modules stay external
// (PGlite loads its WASM and data files from its own package folder).
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';

// `--out <dir>`: build elsewhere than dist/server (a test's own copy while others build dist/).
const outIndex = process.argv.indexOf('--out');
const outdir = outIndex > 0 ? process.argv[outIndex + 1] : 'dist/server';

await build({
  entryPoints: { 'sealdesk-server': 'server/sealdesk-server.ts' },
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  banner: { js: '#!/usr/bin/env node' },
});
chmodSync(join(outdir, 'sealdesk-server.js'), 0o755);
