// Verification speed: 100 signed PDFs (the corpus's signed files, then our own seals to make up 100) with
// `sealdesk verify` (one process) vs `pdfsig` on each (one process per file, as it works); and full validation of
// a PDF carrying 10 signatures (goal < 1 s; DSS users report > 20 s).
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../cli/main.js';
import { minimalPdf } from '../test/helpers/pdfs.js';
import { createTestPki } from '../test/helpers/pki.js';

const work = mkdtempSync(join(process.env.BENCH_WORK ?? '/tmp', 'verify-'));
const corpus = join(process.cwd(), '..', 'shared', 'corpus', 'pdf', 'signed');

const quiet = (home: string) => ({
  stdout: () => undefined,
  stderr: () => undefined,
  env: { SEALDESK_HOME: home },
  isTTY: false,
});
const run = (cmd: string, args: string[]) =>
  new Promise<void>((resolve) => execFile(cmd, args, { maxBuffer: 64 << 20 }, () => resolve()));

try {
  const pki = await createTestPki(join(work, 'pki'));
  const home = join(work, 'home');
  const dir = join(work, 'pdfs');
  mkdirSync(dir);
  const fromCorpus = existsSync(corpus) ? readdirSync(corpus).filter((f) => f.endsWith('.pdf')) : [];
  for (const f of fromCorpus) copyFileSync(join(corpus, f), join(dir, f));
  const signer = ['--key', pki.signer.keyPath, '--chain', pki.signer.chainPath, '--tsa', 'none'];
  for (let i = fromCorpus.length; i < 100; i++) {
    const input = join(work, `in-${i}.pdf`);
    writeFileSync(input, minimalPdf({ pages: 1 + (i % 5), text: `Contract ${i}` }));
    if ((await main(['seal', input, ...signer, '--out', join(dir, `ours-${i}.pdf`)], quiet(home))) !== 0)
      throw new Error('seal failed');
  }
  const files = readdirSync(dir).map((f) => join(dir, f));

  const t0 = performance.now();
  for (const f of files) await run('pdfsig', [f]);
  const pdfsigMs = performance.now() - t0;
  const t1 = performance.now();
  await main(['verify', ...files, '--trust', pki.root.certPath, '--json'], quiet(home));
  const oursMs = performance.now() - t1;
  // The shipped CLI in its own process: start-up included, one worker thread per core.
  const t2 = performance.now();
  await run(process.execPath, ['dist/cli/sealdesk.js', 'verify', dir, '--trust', pki.root.certPath]);
  const cliMs = performance.now() - t2;
  console.log(
    `${files.length} signed PDFs (${fromCorpus.length} from the corpus): pdfsig (a process per file) ${pdfsigMs.toFixed(0)} ms`,
  );
  console.log(
    `  sealdesk verify, one thread in a running process ${oursMs.toFixed(0)} ms → ${(oursMs / pdfsigMs).toFixed(2)}×`,
  );
  console.log(
    `  sealdesk verify <folder>, the CLI with a worker per core ${cliMs.toFixed(0)} ms → ${(cliMs / pdfsigMs).toFixed(2)}× (goal ≤ 1.0)`,
  );

  // Ten signatures on one document, each over the previous revision.
  let current = join(work, 'ten-0.pdf');
  writeFileSync(current, minimalPdf({ pages: 3 }));
  for (let i = 1; i <= 10; i++) {
    const next = join(work, `ten-${i}.pdf`);
    if ((await main(['seal', current, ...signer, '--out', next], quiet(home))) !== 0) throw new Error('seal failed');
    current = next;
  }
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const t = performance.now();
    let out = '';
    await main(['verify', current, '--trust', pki.root.certPath, '--json'], {
      ...quiet(home),
      stdout: (s: string) => (out += s),
    });
    best = Math.min(best, performance.now() - t);
    if (JSON.parse(out).signatures.length !== 10) throw new Error('expected 10 signatures');
  }
  console.log(`full validation of a 10-signature PDF: ${best.toFixed(0)} ms (goal < 1000 ms)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
