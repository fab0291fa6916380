// CI gate: @doyensec/electronegativity over the app (main, preload, renderer, the build); fails on any HIGH finding.
// The check that downloads Electron's release list is skipped (no network in CI); the Electron version is given.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'electronegativity-'));
const out = join(dir, 'findings.sarif');
const electron = JSON.parse(readFileSync('node_modules/electron/package.json', 'utf8')).version;
try {
  execFileSync(
    process.execPath,
    [
      'node_modules/@doyensec/electronegativity/dist/index.js',
      '-i',
      '.',
      '-e',
      electron,
      '-x',
      'AvailableSecurityFixesGlobalCheck',
      '-o',
      out,
      '-r',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const results = JSON.parse(readFileSync(out, 'utf8')).runs[0].results;
  for (const r of results)
    console.log(
      `${r.level.padEnd(7)} ${r.ruleId}  ${r.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? ''}  ${r.message.text}`,
    );
  const high = results.filter((r) => r.level === 'error');
  console.log(`electronegativity: ${results.length} finding(s), ${high.length} high`);
  if (high.length > 0) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
