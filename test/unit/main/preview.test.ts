// pdf:bytes, the page preview's byte ranges: exact bytes of real files, at most PDF_BYTES_MAX a request, PDFs only;
// through dispatch() as IPC calls it, and over the loopback host as JSON.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../main/dispatch.js';
import { createMainSide } from '../../../main/main-side.js';
import { startLoopbackHost } from '../../../main/loopback-host.js';
import { createServices } from '../../../main/services/index.js';
import { pdfBytesService } from '../../../main/services/preview.js';
import { PDF_BYTES_MAX, type PdfBytes, type Result } from '../../../preload/api.js';
import { writeMinimalPdf } from '../../helpers/pdfs.js';
import { tempDir } from '../../helpers/tmp.js';

const work = tempDir('preview');
afterAll(() => work.remove());
const ours = 'file:///opt/Sealdesk/renderer/dist/index.html';
const isOurs = (url: string) => url === ours;
const services = createServices({ dataDir: join(work.path, 'data'), version: '9.9.9' });
const side = createMainSide();
/** The file as the window knows it: a handle main issued (the user chose or dropped it). */
const handle = (path: string) => side.files.issue(path).handle;
const bytes = ({ path, ...r }: { path: string; offset: number; length: number }) =>
  dispatch('pdf:bytes', ours, { ...r, file: handle(path) }, services, isOurs, side) as Promise<Result<PdfBytes>>;
const pdf = writeMinimalPdf(join(work.path, 'contract.pdf'));
const file = readFileSync(pdf);

describe('pdf:bytes', () => {
  it("gives the exact bytes of the range asked for and the file's size; fewer at the end, none past it", async () => {
    expect(await bytes({ path: pdf, offset: 0, length: 100 })).toEqual({
      ok: true,
      value: { size: file.length, bytes: new Uint8Array(file.subarray(0, 100)) },
    });
    const tail = await bytes({ path: pdf, offset: file.length - 10, length: 1000 });
    expect(tail.ok && Buffer.from(tail.value.bytes).equals(file.subarray(file.length - 10))).toBe(true);
    expect(await bytes({ path: pdf, offset: file.length + 5, length: 10 })).toEqual({
      ok: true,
      value: { size: file.length, bytes: new Uint8Array(0) },
    });
  });

  it('a PDF larger than one request is read whole in PDF_BYTES_MAX ranges', async () => {
    const big = join(work.path, 'big.pdf');
    const padding = Buffer.alloc(PDF_BYTES_MAX + 12_345, 0x25);
    writeFileSync(big, Buffer.concat([file, padding])); // a PDF with trailing junk: bytes are bytes here
    const whole = readFileSync(big);
    const parts: Uint8Array[] = [];
    for (let at = 0; at < whole.length; at += PDF_BYTES_MAX) {
      const r = await bytes({ path: big, offset: at, length: PDF_BYTES_MAX });
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value.size).toBe(whole.length);
      parts.push(r.value.bytes);
    }
    expect(parts).toHaveLength(2);
    expect(Buffer.concat(parts).equals(whole)).toBe(true);
  });

  it('refuses more than PDF_BYTES_MAX at once: BAD_REQUEST from the contract, USAGE from the service itself', async () => {
    expect(await bytes({ path: pdf, offset: 0, length: PDF_BYTES_MAX + 1 })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    await expect(pdfBytesService()({ path: pdf, offset: 0, length: PDF_BYTES_MAX + 1 })).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(/at most 4 MiB/),
    });
    expect(await bytes({ path: pdf, offset: -1, length: 10 })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
  });

  it('reads only PDFs: a text file, a missing file and a folder are refused with their reasons', async () => {
    const text = join(work.path, 'id_rsa');
    writeFileSync(text, '-----BEGIN OPENSSH PRIVATE KEY-----\n');
    expect(await bytes({ path: text, offset: 0, length: 10 })).toEqual({
      ok: false,
      error: { code: 'PDF_MALFORMED', message: 'id_rsa is not a PDF (it does not start with %PDF-)' },
    });
    const gone = writeMinimalPdf(join(work.path, 'gone.pdf'));
    const goneHandle = handle(gone);
    rmSync(gone); // chosen, then deleted
    expect(
      await dispatch('pdf:bytes', ours, { file: goneHandle, offset: 0, length: 10 }, services, isOurs, side),
    ).toMatchObject({ ok: false, error: { code: 'INPUT_UNREADABLE', message: expect.stringMatching(/no such file/) } });
    const folder = join(work.path, 'folder.pdf');
    mkdirSync(folder);
    expect(await bytes({ path: folder, offset: 0, length: 10 })).toMatchObject({
      ok: false,
      error: { code: 'INPUT_UNREADABLE', message: expect.stringMatching(/is a folder/) },
    });
  });

  it('travels over the loopback host as JSON ({ $bytes: base64 }), byte for byte', async () => {
    const host = await startLoopbackHost({ services, rendererDir: join(work.path, 'no-renderer'), side });
    try {
      const origin = host.url.replace(/\/$/, '');
      const res = await fetch(`${host.url}api/pdf:bytes`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: JSON.stringify({ file: handle(pdf), offset: 7, length: 500 }),
      });
      const body = (await res.json()) as { ok: true; value: { size: number; bytes: { $bytes: string } } };
      expect(body.value.size).toBe(file.length);
      expect(Buffer.from(body.value.bytes.$bytes, 'base64').equals(file.subarray(7, 507))).toBe(true);
    } finally {
      await host.close();
    }
  });
});
