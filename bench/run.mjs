// `npm run bench`: compiles the TypeScript benchmarks with esbuild and runs each; prints ratios, asserts nothing.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const work = join(here, '.work');
mkdirSync(work, { recursive: true });
const only = process.argv.slice(2);
const benches = [
  'hash',
  'stamp',
  'cades',
  'pades',
  'verify',
  'verify-corpus',
  'renderer',
  'ledger',
  'restamp',
  'cli',
  'server',
  'tl',
  'sync',
].filter((b) => only.length === 0 || only.includes(b));

// The benchmarks call the CLI in-process: its isolated verification looks for its worker beside the bundle.
await build({
  entryPoints: [join(here, '..', 'core', 'verify-isolated', 'worker.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outfile: join(work, 'verify-worker.js'),
  logLevel: 'warning',
});
await build({
  entryPoints: [join(here, 'tsa-child.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outfile: join(work, 'tsa-child.mjs'),
  logLevel: 'warning',
});

for (const name of benches) {
  const outfile = join(work, `${name}.mjs`);
  await build({
    entryPoints: [join(here, `${name}.bench.ts`)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  console.log(`\n== ${name} ==`);
  const r = spawnSync(process.execPath, [outfile], {
    stdio: 'inherit',
    cwd: join(here, '..'),
    env: { ...process.env, BENCH_WORK: work },
  });
  if (r.status !== 0) process.exitCode = 1;
}
