// PAdES seal of a 10 MB and a 100 MB PDF (key file, no TSA): `sealdesk seal` vs `pdfsig -add-signature` on the same
// file, each in its own process: wall time ratio (goal ≤ 1.0×) and peak RSS (goal < 100 MB for 100 MB).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../cli/main.js';
import { addNssSigner, createNssDb } from '../test/helpers/pdf-judges.js';
import { createTestPki } from '../test/helpers/pki.js';

const SIZES_MB = (process.env.BENCH_PDF_MB ?? '10,100').split(',').map(Number);
const work = mkdtempSync(join(process.env.BENCH_WORK ?? '/tmp', 'pades-'));

/** A one-page PDF whose page draws a gray image of `mb` MiB of random (incompressible) samples, written in 1 MiB steps. */
function bigPdf(path: string, mb: number): void {
  const fd = openSync(path, 'w');
  let size = 0;
  const offsets: number[] = [];
  const put = (b: Buffer | string) => (size += writeSync(fd, typeof b === 'string' ? Buffer.from(b, 'latin1') : b));
  const obj = (n: number, body: string) => ((offsets[n] = size), put(`${n} 0 obj\n${body}\nendobj\n`));
  put('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
  obj(1, '<< /Type /Catalog /Pages 2 0 R >>');
  obj(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  obj(
    3,
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /XObject << /Im1 5 0 R >> >> >>',
  );
  const content = 'q 300 0 0 300 150 400 cm /Im1 Do Q';
  obj(4, `<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
  const side = 1024;
  const rows = mb * 1024;
  offsets[5] = size;
  put(
    `5 0 obj\n<< /Type /XObject /Subtype /Image /Width ${side} /Height ${rows} /ColorSpace /DeviceGray /BitsPerComponent 8 /Length ${side * rows} >>\nstream\n`,
  );
  for (let i = 0; i < mb; i++) put(randomBytes(1024 * 1024));
  put('\nendstream\nendobj\n');
  const xref = size;
  put(
    `xref\n0 6\n0000000000 65535 f\r\n${offsets
      .slice(1)
      .map((o) => `${String(o).padStart(10, '0')} 00000 n\r\n`)
      .join('')}`,
  );
  put(`trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  closeSync(fd);
}

/** Wall seconds and peak RSS (KiB) of a command, from GNU time. */
function timed(cmd: string, args: string[]): Promise<{ s: number; rssKb: number }> {
  return new Promise((resolve, reject) => {
    execFile(
      '/usr/bin/time',
      ['-f', 'TIME %e %M', cmd, ...args],
      { maxBuffer: 16 * 1024 * 1024 },
      (err, _out, stderr) => {
        const m = /TIME ([\d.]+) (\d+)/.exec(stderr);
        if (err || !m) return reject(new Error(`${cmd} failed: ${stderr.slice(-500)}`));
        resolve({ s: Number(m[1]), rssKb: Number(m[2]) });
      },
    );
  });
}

try {
  const pki = await createTestPki(join(work, 'pki'));
  const nss = await createNssDb(pki.root.certPath);
  await addNssSigner(nss, pki.signer, 'bench');
  for (const mb of SIZES_MB) {
    const input = join(work, `doc-${mb}.pdf`);
    bigPdf(input, mb);
    const best = { ours: { s: Infinity, rssKb: 0 }, pdfsig: { s: Infinity, rssKb: 0 } };
    for (let round = 0; round < 3; round++) {
      const p = await timed('pdfsig', [
        '-nssdir',
        `sql:${nss}`,
        '-add-signature',
        '-nick',
        'bench',
        input,
        join(work, `pdfsig-${mb}-${round}.pdf`),
      ]);
      const o = await timed(process.execPath, [
        'dist/cli/sealdesk.js',
        'seal',
        input,
        '--tsa',
        'none',
        '--key',
        pki.signer.keyPath,
        '--chain',
        pki.signer.chainPath,
        '--out',
        join(work, `ours-${mb}-${round}.pdf`),
      ]);
      if (p.s < best.pdfsig.s) best.pdfsig = p;
      if (o.s < best.ours.s) best.ours = o;
      rmSync(join(work, `pdfsig-${mb}-${round}.pdf`));
      rmSync(join(work, `ours-${mb}-${round}.pdf`));
    }
    console.log(
      `${mb} MiB PDF   pdfsig -add-signature ${best.pdfsig.s.toFixed(2)} s, ` +
        `${(best.pdfsig.rssKb / 1024).toFixed(0)} MB peak   ` +
        `sealdesk seal ${best.ours.s.toFixed(2)} s, ${(best.ours.rssKb / 1024).toFixed(0)} MB peak`,
    );
    console.log(
      `  time ratio sealdesk/pdfsig: ${(best.ours.s / best.pdfsig.s).toFixed(2)}× (goal ≤ 1.0; best of 3, both include process start)`,
    );
    // The same seal inside a running process (as in the desktop app): what is left once Node and the modules are loaded.
    let warm = Infinity;
    for (let round = 0; round < 3; round++) {
      const io = {
        stdout: () => undefined,
        stderr: () => undefined,
        env: { SEALDESK_HOME: join(work, 'home') },
        isTTY: false,
      };
      const out = join(work, `warm-${mb}-${round}.pdf`);
      const t = performance.now();
      if (
        (await main(
          ['seal', input, '--tsa', 'none', '--key', pki.signer.keyPath, '--chain', pki.signer.chainPath, '--out', out],
          io,
        )) !== 0
      )
        throw new Error('warm seal failed');
      warm = Math.min(warm, (performance.now() - t) / 1000);
      rmSync(out);
    }
    console.log(
      `  in a running process (desktop app): ${warm.toFixed(2)} s → ${(warm / best.pdfsig.s).toFixed(2)}× pdfsig's whole run`,
    );
    rmSync(input);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
