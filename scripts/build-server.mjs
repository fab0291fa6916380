// Builds sealdesk-server (server/) into dist/server/sealdesk-server.js with esbuild; node_modules stay external
// (PGlite loads its WASM and data files from its own package folder).
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';

await build({
  entryPoints: { 'sealdesk-server': 'server/sealdesk-server.ts' },
  outdir: 'dist/server',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  banner: { js: '#!/usr/bin/env node' },
});
chmodSync('dist/server/sealdesk-server.js', 0o755);
