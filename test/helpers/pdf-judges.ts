// Independent judges of the PDFs we write: poppler's pdfsig (with an NSS db trusting the test CA), mutool, qpdf.
// They exit 0 even when a signature is invalid, so what they print is parsed.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestCert } from './pki.js';
import { openssl } from './openssl.js';
import { fileTempDir } from './file-temp.js';

export type Run = { code: number; out: string };

export function run(cmd: string, args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      [...args],
      { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C' } },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : 1
          : 0;
        resolve({ code, out: `${stdout}${stderr}` });
      },
    );
  });
}

async function must(cmd: string, args: readonly string[]): Promise<string> {
  const r = await run(cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.code}): ${r.out}`);
  return r.out;
}

/** A fresh NSS database whose only trust anchor is `caPem`. */
export async function createNssDb(caPem: string): Promise<string> {
  const dir = fileTempDir('nss');
  await must('certutil', ['-N', '--empty-password', '-d', `sql:${dir}`]);
  await must('certutil', ['-A', '-n', 'sealdesk-test-ca', '-t', 'CT,C,C', '-i', caPem, '-d', `sql:${dir}`]);
  return dir;
}

/** Imports a signer (certificate + key) so `pdfsig -add-signature -nick <nick>` can sign with it. */
export async function addNssSigner(dir: string, cert: TestCert, nick: string): Promise<void> {
  const p12 = join(dir, `${nick}.p12`);
  const r = await openssl([
    'pkcs12',
    '-export',
    '-in',
    cert.certPath,
    '-inkey',
    cert.keyPath,
    '-name',
    nick,
    '-out',
    p12,
    '-passout',
    'pass:p12pass',
  ]);
  if (r.code !== 0) throw new Error(r.stderr);
  await must('pk12util', ['-i', p12, '-d', `sql:${dir}`, '-W', 'p12pass', '-K', '']);
}

export async function pdfsigAddSignature(
  dir: string,
  nick: string,
  input: string,
  output: string,
  reason = 'co-signed by pdfsig',
): Promise<void> {
  await must('pdfsig', ['-nssdir', `sql:${dir}`, '-add-signature', '-nick', nick, '-reason', reason, input, output]);
}

export type PdfsigSignature = {
  index: number;
  field: string;
  subFilter: string;
  signatureValid: boolean;
  certificateTrusted: boolean;
  wholeDocument: boolean;
  raw: string;
};

export async function pdfsigVerify(file: string, nssDir: string): Promise<PdfsigSignature[]> {
  const { out } = await run('pdfsig', ['-nssdir', `sql:${nssDir}`, file]);
  return out
    .split(/^Signature #/m)
    .slice(1)
    .map((block) => ({
      index: Number(/^(\d+):/.exec(block)?.[1]),
      field: /Signature Field Name: (.*)/.exec(block)?.[1]?.trim() ?? '',
      subFilter: /Signature Type: (.*)/.exec(block)?.[1]?.trim() ?? '',
      signatureValid: /Signature Validation: Signature is Valid\./.test(block),
      certificateTrusted: /Certificate Validation: Certificate is Trusted\./.test(block),
      wholeDocument: /^\s*- Total document signed/m.test(block),
      raw: block,
    }));
}

export type MutoolSignature = { unchanged: boolean; digestOk: boolean; raw: string };

/** `mutool sign -v`: per signature, whether the signed bytes verify ("valid") and whether later edits exist. */
export async function mutoolVerify(file: string): Promise<MutoolSignature[]> {
  const { out } = await run('mutool', ['sign', '-v', file]);
  return out
    .split(/^Verifying signature /m)
    .slice(1)
    .map((block) => ({
      digestOk:
        /The signature is valid|The document is unchanged since signing/.test(block) &&
        !/Signature is not signed|invalid|failed/i.test(block),
      unchanged: /unchanged since signing/.test(block),
      raw: block,
    }));
}

/** qpdf exits 0 only when it finds nothing (3: warnings, 2: errors). */
export async function qpdfCheck(file: string): Promise<Run & { ok: boolean }> {
  const r = await run('qpdf', ['--check', file]);
  return { ...r, ok: r.code === 0 && /No syntax or stream encoding errors found/.test(r.out) };
}

type QpdfObject = { value?: any; stream?: { data?: string; dict: any } };

/** Every object of the newest revision as qpdf reads it (an independent parser), streams inline and undecoded. */
export async function qpdfObjects(file: string): Promise<Record<string, QpdfObject>> {
  const r = await run('qpdf', ['--json', '--json-key=qpdf', '--decode-level=none', '--json-stream-data=inline', file]);
  if (r.code !== 0 && r.code !== 3) throw new Error(r.out);
  return JSON.parse(r.out).qpdf[1];
}

/** qpdf JSON strings: "u:text" or "b:hex". */
export function qpdfBytes(s: string): Buffer {
  return s.startsWith('b:') ? Buffer.from(s.slice(2), 'hex') : Buffer.from(s.slice(2), 'utf8');
}

export type SignatureValue = {
  type: string;
  subFilter: string;
  byteRange: number[];
  contents: Buffer;
  dict: Record<string, unknown>;
};

/** Every signature or document time-stamp value dictionary, in object order. */
export function signatureValues(objs: Record<string, QpdfObject>): SignatureValue[] {
  return Object.values(objs)
    .map((o) => o.value)
    .filter((v) => v && typeof v === 'object' && Array.isArray(v['/ByteRange']))
    .map((v) => ({
      type: v['/Type'],
      subFilter: v['/SubFilter'],
      byteRange: v['/ByteRange'],
      contents: trimDer(qpdfBytes(v['/Contents'])),
      dict: v,
    }));
}

/** /Contents is zero-padded: the DER's own length says where it ends. */
function trimDer(b: Buffer): Buffer {
  if (b[0] !== 0x30) return b;
  const l = b[1]!;
  if (l < 0x80) return b.subarray(0, 2 + l);
  const n = l & 0x7f;
  return b.subarray(0, 2 + n + b.subarray(2, 2 + n).reduce((a, x) => a * 256 + x, 0));
}

/** The DER held by each stream of the catalog's /DSS /Certs, /OCSPs or /CRLs. */
export function dssStreams(objs: Record<string, QpdfObject>, key: '/Certs' | '/OCSPs' | '/CRLs'): Buffer[] {
  const catalog = Object.values(objs).find((o) => o.value?.['/Type'] === '/Catalog')!.value;
  const deref = (r: unknown) => (typeof r === 'string' && r.endsWith(' R') ? objs[`obj:${r}`] : { value: r });
  const dss = deref(catalog['/DSS'])?.value;
  const list = deref(dss?.[key])?.value ?? [];
  return (list as string[]).map((r) => Buffer.from(deref(r)!.stream!.data!, 'base64'));
}

/** The bytes a signature's /ByteRange covers, concatenated. */
export function signedBytes(file: Buffer, byteRange: number[]): Buffer {
  const [a, b, c, d] = byteRange as [number, number, number, number];
  return Buffer.concat([file.subarray(a, a + b), file.subarray(c, c + d)]);
}

/** Renders page 1 at 72 dpi in gray with poppler or mupdf; returns the share of dark pixels inside a box (PDF points). */
export async function darkShareInBox(
  file: string,
  page: number,
  renderer: 'poppler' | 'mupdf',
  box: { x: number; y: number; width: number; height: number },
): Promise<number> {
  const out = `${file}.${renderer}.pgm`;
  const r =
    renderer === 'poppler'
      ? await run('pdftoppm', [
          '-gray',
          '-r',
          '72',
          '-f',
          String(page),
          '-l',
          String(page),
          '-singlefile',
          file,
          out.replace(/\.pgm$/, ''),
        ])
      : await run('mutool', ['draw', '-q', '-r', '72', '-c', 'gray', '-o', out, file, String(page)]);
  if (r.code !== 0) throw new Error(r.out);
  const pgm = readFileSync(out);
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'))!;
  const [w, h] = [Number(header[1]), Number(header[2])];
  const pixels = pgm.subarray(header[0].length);
  let dark = 0,
    total = 0;
  for (let y = Math.round(h - box.y - box.height); y < Math.round(h - box.y); y++) {
    for (let x = Math.round(box.x); x < Math.round(box.x + box.width); x++, total++)
      if (pixels[y * w + x]! < 128) dark++;
  }
  return dark / total;
}
