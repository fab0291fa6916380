// Crafted hostile PDFs for the reader's limits (issue 14's table), built at test time so no attack file is committed.
import { deflateSync } from 'node:zlib';

type Body = Record<number, string | Buffer>;
type Compressed = { readonly num: number; readonly stream: number; readonly index: number };

const PAGES = '<< /Type /Pages /Kids [3 0 R] /Count 1 >>';
const PAGE = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>';

/** A stream object's text: `dict` without /Length, which is added. */
export function stream(dict: string, data: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`<< ${dict} /Length ${data.length} >>\nstream\n`, 'latin1'),
    data,
    Buffer.from('\nendstream', 'latin1'),
  ]);
}

/** Objects written in number order; each offset recorded. */
function body(objs: Body): { parts: Buffer[]; offsets: Map<number, number>; length: number } {
  const parts = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = parts[0]!.length;
  const offsets = new Map<number, number>();
  for (const [k, v] of Object.entries(objs).sort((a, b) => Number(a[0]) - Number(b[0]))) {
    const part = Buffer.concat([
      Buffer.from(`${k} 0 obj\n`, 'latin1'),
      Buffer.isBuffer(v) ? v : Buffer.from(v, 'latin1'),
      Buffer.from('\nendobj\n', 'latin1'),
    ]);
    offsets.set(Number(k), length);
    parts.push(part);
    length += part.length;
  }
  return { parts, offsets, length };
}

/** A file with a classic cross-reference table; object 1 is the catalog. */
export function tablePdf(objs: Body): Buffer {
  const { parts, offsets, length } = body(objs);
  const size = Math.max(...offsets.keys()) + 1;
  let xref = `xref\n0 ${size}\n0000000000 65535 f\r\n`;
  for (let n = 1; n < size; n++)
    xref += offsets.has(n) ? `${String(offsets.get(n)).padStart(10, '0')} 00000 n\r\n` : '0000000000 00000 f\r\n';
  xref += `trailer\n<< /Size ${size} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`;
  return Buffer.concat([...parts, Buffer.from(xref, 'latin1')]);
}

/** A file with a cross-reference stream (W [1 4 2]); `compressed` objects are listed as in their object streams. */
export function xrefStreamPdf(objs: Body, compressed: readonly Compressed[] = []): Buffer {
  const { parts, offsets, length } = body(objs);
  const xrefNum = Math.max(0, ...offsets.keys(), ...compressed.map((c) => c.num)) + 1;
  offsets.set(xrefNum, length);
  const rows: Buffer[] = [];
  for (let n = 0; n <= xrefNum; n++) {
    const row = Buffer.alloc(7);
    const c = compressed.find((x) => x.num === n);
    if (offsets.has(n)) {
      row.writeUInt8(1, 0);
      row.writeUInt32BE(offsets.get(n)!, 1);
    } else if (c) {
      row.writeUInt8(2, 0);
      row.writeUInt32BE(c.stream, 1);
      row.writeUInt16BE(c.index, 5);
    }
    rows.push(row);
  }
  const xref = stream(
    `/Type /XRef /Size ${xrefNum + 1} /W [1 4 2] /Root 1 0 R /Filter /FlateDecode`,
    deflateSync(Buffer.concat(rows)),
  );
  return Buffer.concat([
    ...parts,
    Buffer.from(`${xrefNum} 0 obj\n`, 'latin1'),
    xref,
    Buffer.from(`\nendobj\nstartxref\n${length}\n%%EOF\n`, 'latin1'),
  ]);
}

/** An object stream (Flate) holding `objs` in order. */
export function objectStream(objs: readonly [number, string][]): Buffer {
  let header = '';
  let content = '';
  for (const [num, text] of objs) {
    header += `${num} ${content.length} `;
    content += `${text}\n`;
  }
  return stream(
    `/Type /ObjStm /N ${objs.length} /First ${header.length} /Filter /FlateDecode`,
    deflateSync(Buffer.from(header + content, 'latin1')),
  );
}

/** `count` digits followed by a letter. */
function longNumber(count: number): string {
  return `${'3141592653589793238462643383279502884197169399375105820974944592'.repeat(Math.ceil(count / 64)).slice(0, count)}x`;
}

/** Row 1: a number token of `digits` digits followed by a letter, in the catalog (~200 KB). */
export function longNumberPdf(digits = 200_000): Buffer {
  return tablePdf({ 1: `<< /Type /Catalog /Pages 2 0 R /Big ${longNumber(digits)} >>`, 2: PAGES, 3: PAGE });
}

/** Row 2: the same token inside a Flate object stream (a few KB). */
export function longNumberObjStmPdf(digits = 200_000): Buffer {
  const catalog = `<< /Type /Catalog /Pages 2 0 R /Big ${longNumber(digits)} >>`;
  return xrefStreamPdf({ 2: PAGES, 3: PAGE, 4: objectStream([[1, catalog]]) }, [{ num: 1, stream: 4, index: 0 }]);
}

/** Row 3: an xref stream whose rows have no bytes (/W [0 0 0]) and whose /Index asks for 100 million entries (~180 B). */
export function zeroWidthXrefPdf(): Buffer {
  const head = '%PDF-1.7\n';
  const obj =
    '1 0 obj\n<< /Type /XRef /W [0 0 0] /Index [0 100000000] /Size 100000000 /Length 0 >>\nstream\n\nendstream\nendobj\n';
  return Buffer.from(`${head}${obj}startxref\n${head.length}\n%%EOF\n`, 'latin1');
}

/** Row 4: objects 5 and 6 declared as object streams inside each other; the catalog is in 5. */
export function objStmCyclePdf(): Buffer {
  return xrefStreamPdf({}, [
    { num: 1, stream: 5, index: 0 },
    { num: 5, stream: 6, index: 0 },
    { num: 6, stream: 5, index: 1 },
  ]);
}

/** A cycle through /Length: object stream 4's /Length is object 5, which is inside object stream 4. */
export function lengthCyclePdf(): Buffer {
  const inner = objectStream([
    [1, '<< /Type /Catalog /Pages 2 0 R >>'],
    [5, '10'],
  ]);
  const withRef = Buffer.from(inner.toString('latin1').replace(/\/Length \d+/, '/Length 5 0 R'), 'latin1');
  return xrefStreamPdf({ 2: PAGES, 3: PAGE, 4: withRef }, [
    { num: 1, stream: 4, index: 0 },
    { num: 5, stream: 4, index: 1 },
  ]);
}

/** Row 5: one Flate stream of `mib` MiB of zeros referenced `refs` times from /DSS /Certs (256 MiB, 10,000: ~321 KB). */
export function flateBombDssPdf(mib = 256, refs = 10_000): Buffer {
  const bomb = deflateSync(Buffer.alloc(mib * 1024 * 1024), { level: 9 });
  return tablePdf({
    1: '<< /Type /Catalog /Pages 2 0 R /DSS 4 0 R >>',
    2: PAGES,
    3: PAGE,
    4: `<< /Certs [${' 5 0 R'.repeat(refs)} ] >>`,
    5: stream('/Filter /FlateDecode', bomb),
  });
}

/** Arrays nested `depth` deep in the catalog. */
export function deepNestingPdf(depth = 100_000): Buffer {
  return tablePdf({
    1: `<< /Type /Catalog /Pages 2 0 R /Deep ${'['.repeat(depth)}${']'.repeat(depth)} >>`,
    2: PAGES,
    3: PAGE,
  });
}

/** An xref stream with PNG predictor parameters whose row would be a gigabyte (/Columns 10^9). */
export function hugePredictorRowPdf(): Buffer {
  const good = xrefStreamPdf({ 1: '<< /Type /Catalog /Pages 2 0 R >>', 2: PAGES, 3: PAGE });
  return Buffer.from(
    good
      .toString('latin1')
      .replace('/Filter /FlateDecode', '/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 1000000000 >>'),
    'latin1',
  );
}

/** A valid file with a compressed xref stream and object stream: the legitimate case for the budget tests. */
export function compressedPdf(): Buffer {
  const objs: [number, string][] = [
    [1, '<< /Type /Catalog /Pages 2 0 R >>'],
    [2, PAGES],
    [3, PAGE],
  ];
  return xrefStreamPdf(
    { 4: objectStream(objs) },
    objs.map(([num], index) => ({ num, stream: 4, index })),
  );
}
