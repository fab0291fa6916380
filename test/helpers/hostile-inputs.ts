// The crafted inputs of issue 14's table, made at test time (small on disk, nothing committed as a blob): each is
// what a hostile sender could mail to a Sealdesk user. Every builder writes one file into `dir` and returns its path.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { openssl } from './openssl.js';

/** A PDF from numbered object bodies: `startxref` points at what `tail` returns (given every object's offset). */
function pdf(objects: readonly (Buffer | undefined)[], tail: (offsets: number[], at: number) => Buffer): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let at = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, n) => {
    if (!body) return;
    offsets[n] = at;
    const b = Buffer.concat([Buffer.from(`${n} 0 obj\n`), body, Buffer.from('\nendobj\n')]);
    parts.push(b);
    at += b.length;
  });
  return Buffer.concat([...parts, tail(offsets, at)]);
}

function classicXref(size: number, extraTrailer = ''): (offsets: number[], at: number) => Buffer {
  return (offsets, at) => {
    let x = `xref\n0 ${size}\n0000000000 65535 f\r\n`;
    for (let n = 1; n < size; n++)
      x += `${String(offsets[n] ?? 0).padStart(10, '0')} 00000 ${offsets[n] === undefined ? 'f' : 'n'}\r\n`;
    return Buffer.from(`${x}trailer\n<< /Size ${size} /Root 1 0 R${extraTrailer} >>\nstartxref\n${at}\n%%EOF\n`);
  };
}

const stream = (dict: string, data: Buffer) =>
  Buffer.concat([Buffer.from(`<< ${dict} /Length ${data.length} >>\nstream\n`), data, Buffer.from('\nendstream')]);
const pages = Buffer.from('<< /Type /Pages /Kids [] /Count 0 >>');
const digits = (n: number) => '1'.repeat(n);

/** Row 1: a number token of 200,000 digits followed by a letter, in the catalog (200 KB). */
export function longNumberPdf(dir: string): string {
  const path = join(dir, 'long-number.pdf');
  writeFileSync(
    path,
    pdf([undefined, Buffer.from(`<< /Type /Catalog /Pages 2 0 R /X ${digits(200_000)}a >>`), pages], classicXref(3)),
  );
  return path;
}

/** An xref stream (/W [1 4 2]) for `rows` (type, field 2, field 3) from object 0, plus its own row at the end. */
function xrefStream(
  rows: [number, number, number][],
  self: number,
  root: number,
): (offsets: number[], at: number) => Buffer {
  return (_offsets, at) => {
    const all = [...rows, [1, at, 0] as [number, number, number]];
    const data = Buffer.concat(
      all.map(([t, a, b]) => {
        const r = Buffer.alloc(7);
        r.writeUInt8(t, 0);
        r.writeUInt32BE(a, 1);
        r.writeUInt16BE(b, 5);
        return r;
      }),
    );
    const body = stream(`/Type /XRef /W [1 4 2] /Size ${all.length} /Root ${root} 0 R`, data);
    return Buffer.concat([Buffer.from(`${self} 0 obj\n`), body, Buffer.from(`\nendobj\nstartxref\n${at}\n%%EOF\n`)]);
  };
}

/** Row 2: the same number inside a Flate object stream (the catalog is compressed object 1 of stream 3): ~4 KB. */
export function longNumberObjectStreamPdf(dir: string): string {
  const path = join(dir, 'long-number-objstm.pdf');
  const catalog = `<< /Type /Catalog /Pages 2 0 R /X ${digits(200_000)}a >>`;
  const header = '1 0 ';
  const packed = deflateSync(Buffer.from(header + catalog), { level: 9 });
  const objs = [
    undefined,
    undefined,
    pages,
    stream(`/Type /ObjStm /N 1 /First ${header.length} /Filter /FlateDecode`, packed),
  ];
  const bytes = pdf(objs, (offsets, at) =>
    xrefStream(
      [
        [0, 0, 65535],
        [2, 3, 0],
        [1, offsets[2]!, 0],
        [1, offsets[3]!, 0],
      ],
      4,
      1,
    )(offsets, at),
  );
  writeFileSync(path, bytes);
  return path;
}

/** Row 3: an xref stream with `/W [0 0 0]` and an /Index of two billion entries (177 B). */
export function hugeIndexXrefPdf(dir: string): string {
  const path = join(dir, 'huge-index.pdf');
  const head = '%PDF-1.7\n';
  const obj =
    '1 0 obj\n<< /Type /XRef /W [0 0 0] /Index [0 2000000000] /Size 2000000000 /Root 2 0 R /Length 0 >>\nstream\n\nendstream\nendobj\n';
  writeFileSync(path, `${head}${obj}startxref\n${head.length}\n%%EOF\n`);
  return path;
}

/** Row 4: two object streams that contain each other (3 is object 0 of stream 4, 4 is object 0 of stream 3). */
export function cyclicObjectStreamsPdf(dir: string): string {
  const path = join(dir, 'cyclic-objstm.pdf');
  const bytes = pdf([], (_o, at) =>
    xrefStream(
      [
        [0, 0, 65535],
        [2, 3, 1],
        [0, 0, 0],
        [2, 4, 0],
        [2, 3, 0],
      ],
      5,
      1,
    )(_o, at),
  );
  writeFileSync(path, bytes);
  return path;
}

/** Row 5: one 256 MiB Flate bomb (zeros, deflated to ~256 KB) referenced `refs` times from /DSS /Certs (~321 KB). */
export function flateBombDssPdf(dir: string, refs = 10_000): string {
  const path = join(dir, 'flate-bomb-dss.pdf');
  const zeros = Buffer.alloc(256 * 1024 * 1024);
  const bomb = deflateSync(zeros, { level: 9 });
  const dss = `<< /Certs [${' 4 0 R'.repeat(refs)} ] >>`;
  const objs = [
    undefined,
    Buffer.from('<< /Type /Catalog /Pages 2 0 R /DSS 3 0 R >>'),
    pages,
    Buffer.from(dss),
    stream('/Filter /FlateDecode', bomb),
  ];
  writeFileSync(path, pdf(objs, classicXref(5)));
  return path;
}

/** DER tag-length-value with a definite length in the fewest bytes. */
function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  if (n < 0x80) return Buffer.concat([Buffer.from([tag, n]), content]);
  const len: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) len.unshift(v & 0xff);
  return Buffer.concat([Buffer.from([tag, 0x80 | len.length, ...len]), content]);
}

/** Row 6: a TimeStampResp (status rejection) whose PKIFailureInfo BIT STRING is 1 MiB of set bits (RFC 3161 §2.4.2). */
export function hugeFailInfoTsr(dir: string): string {
  const path = join(dir, 'huge-failinfo.tsr');
  const bits = tlv(0x03, Buffer.concat([Buffer.from([0]), Buffer.alloc(1024 * 1024, 0xff)]));
  const statusInfo = tlv(0x30, Buffer.concat([Buffer.from([0x02, 0x01, 0x02]), bits]));
  writeFileSync(path, tlv(0x30, statusInfo));
  return path;
}

async function ossl(args: string[]): Promise<void> {
  const r = await openssl(args);
  if (r.code !== 0) throw new Error(`openssl ${args.slice(0, 2).join(' ')}: ${r.stderr}`);
}

/**
 * Row 7: a detached CMS signature by a signer under CA "A", carrying A's certificate issued by CA "B" and B's issued
 * by A (a cross-signed loop), with a trust anchor that is neither. Returns the signed file, its .p7s and the anchor.
 */
export async function crossSignedCms(dir: string): Promise<{ file: string; p7s: string; anchor: string }> {
  const p = (name: string) => join(dir, `xs-${name}`);
  const ext = p('ext.cnf');
  writeFileSync(
    ext,
    '[ca]\nbasicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\n[leaf]\nbasicConstraints=CA:false\nkeyUsage=critical,digitalSignature,nonRepudiation\n',
  );
  const days = ['-days', '3650'];
  for (const k of ['a', 'b', 'signer', 'anchor'])
    await ossl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', p(`${k}.key`)]);
  const self = (k: string, cn: string) =>
    ossl([
      'req',
      '-x509',
      '-new',
      '-key',
      p(`${k}.key`),
      '-subj',
      `/CN=${cn}`,
      '-addext',
      'basicConstraints=critical,CA:true',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      ...days,
      '-out',
      p(`${k}-self.pem`),
    ]);
  await self('a', 'Cross CA A');
  await self('b', 'Cross CA B');
  await self('anchor', 'Unrelated Root');
  const issue = async (k: string, cn: string, by: string, section: string, out: string) => {
    await ossl(['req', '-new', '-key', p(`${k}.key`), '-subj', `/CN=${cn}`, '-out', p(`${k}.csr`)]);
    await ossl([
      'x509',
      '-req',
      '-in',
      p(`${k}.csr`),
      '-CA',
      p(`${by}-self.pem`),
      '-CAkey',
      p(`${by}.key`),
      '-set_serial',
      String(Math.floor(Math.random() * 1e9)),
      '-extfile',
      ext,
      '-extensions',
      section,
      ...days,
      '-out',
      out,
    ]);
  };
  await issue('a', 'Cross CA A', 'b', 'ca', p('a-by-b.pem'));
  await issue('b', 'Cross CA B', 'a', 'ca', p('b-by-a.pem'));
  await issue('signer', 'Cross Signer', 'a', 'leaf', p('signer.pem'));
  const { readFileSync } = await import('node:fs');
  writeFileSync(p('cross.pem'), Buffer.concat([readFileSync(p('a-by-b.pem')), readFileSync(p('b-by-a.pem'))]));
  const file = p('document.txt');
  writeFileSync(file, 'a document signed under a cross-signed pair of CAs\n');
  const p7s = `${file}.p7s`;
  await ossl([
    'cms',
    '-sign',
    '-binary',
    '-in',
    file,
    '-signer',
    p('signer.pem'),
    '-inkey',
    p('signer.key'),
    '-certfile',
    p('cross.pem'),
    '-md',
    'sha256',
    '-outform',
    'DER',
    '-out',
    p7s,
  ]);
  return { file, p7s, anchor: p('anchor-self.pem') };
}

export type HostilePdf = { readonly row: string; readonly path: string };

/** Every PDF row of the table, written into `dir`. */
export function hostilePdfs(dir: string): HostilePdf[] {
  return [
    { row: 'number token of 200,000 digits', path: longNumberPdf(dir) },
    { row: 'the same inside a Flate object stream', path: longNumberObjectStreamPdf(dir) },
    { row: 'xref stream /W [0 0 0] with a huge /Index', path: hugeIndexXrefPdf(dir) },
    { row: 'two object streams that contain each other', path: cyclicObjectStreamsPdf(dir) },
    { row: '256 MiB Flate bomb referenced 10,000 times from /DSS /Certs', path: flateBombDssPdf(dir) },
  ];
}

/**
 * Not in the table: a well-formed PDF whose catalog holds an array of `n` numbers (2 bytes each on disk). Parsing it
 * needs tens of MB of heap for a 6 MB file, so a small `--max-heap-mb` shows the worker's heap cap at work.
 */
export function bigArrayPdf(dir: string, n = 3_000_000): string {
  const path = join(dir, 'big-array.pdf');
  writeFileSync(
    path,
    pdf([undefined, Buffer.from(`<< /Type /Catalog /Pages 2 0 R /X [${' 0'.repeat(n)} ] >>`), pages], classicXref(3)),
  );
  return path;
}
