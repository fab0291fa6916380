// CAdES seal of 1,000 small files with a key file and no TSA: `sealdesk seal` (one process) vs a loop of `openssl cms -sign`.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../cli/main.js';
import { createTestPki } from '../test/helpers/pki.js';

const N = Number(process.env.BENCH_FILES ?? 1000);
const work = mkdtempSync(join(process.env.BENCH_WORK ?? '/tmp', 'cades-'));
try {
  const pki = await createTestPki(join(work, 'pki'));
  const dir = join(work, 'files');
  mkdirSync(dir);
  const files = Array.from({ length: N }, (_, i) => {
    const p = join(dir, `doc-${i}.txt`);
    writeFileSync(p, `small document ${i}\n`.repeat(20));
    return p;
  });

  const sign =
    `openssl cms -sign -binary -in "$f" -signer ${pki.signer.certPath} -inkey ${pki.signer.keyPath} ` +
    `-certfile ${pki.caFile} -md sha256 -nosmimecap -outform DER -out "$f.openssl.p7s" -cades`;
  const script = `for f in "$@"; do ${sign} || exit 1; done`;
  const t0 = performance.now();
  const code = await new Promise<number | null>((resolve) =>
    spawn('bash', ['-c', script, 'loop', ...files], { stdio: 'ignore' }).on('exit', resolve),
  );
  const opensslMs = performance.now() - t0;
  if (code !== 0) throw new Error('openssl loop failed');

  let out = '';
  const io = {
    stdout: (t: string) => (out += t),
    stderr: () => undefined,
    env: { SEALDESK_HOME: join(work, 'home') },
    isTTY: false,
  };
  const t1 = performance.now();
  const exit = await main(
    ['seal', ...files, '--tsa', 'none', '--key', pki.signer.keyPath, '--chain', pki.signer.chainPath, '--json'],
    io,
  );
  const oursMs = performance.now() - t1;
  const sealed = (JSON.parse(out) as { p7sPath?: string }[]).filter((r) => r.p7sPath).length;
  if (exit !== 0 || sealed !== N) throw new Error(`sealdesk seal: exit ${exit}, ${sealed}/${N} sealed`);

  console.log(
    `openssl cms -sign loop (${N} processes)  ${opensslMs.toFixed(0).padStart(6)} ms  ${(N / (opensslMs / 1000)).toFixed(0)} files/s`,
  );
  console.log(
    `sealdesk seal (one process, ledger)    ${oursMs.toFixed(0).padStart(6)} ms  ${(N / (oursMs / 1000)).toFixed(0)} files/s`,
  );
  console.log(`speed-up: ${(opensslMs / oursMs).toFixed(2)}× (goal ≥ 3)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
