// Stream decoding for what the writer and the structure reader need: FlateDecode with PNG/TIFF predictors (§7.4.4).
import { inflateSync } from 'node:zlib';
import { malformed } from './lexer.js';
import { isDict, isName, type PdfDict, type PdfObject } from './objects.js';

const MAX_DECODED = 256 * 1024 * 1024;

export function decodeStream(dict: PdfDict, raw: Uint8Array): Uint8Array {
  const filter = dict.get('Filter');
  const filters = filter === undefined ? [] : Array.isArray(filter) ? filter : [filter];
  const parms = dict.get('DecodeParms');
  let data = raw;
  filters.forEach((f, i) => {
    if (!isName(f, 'FlateDecode')) throw malformed(`a structural stream uses the ${isName(f) ? f.name : 'unknown'} filter, which Sealdesk does not decode`);
    const p = Array.isArray(parms) ? parms[i] : parms;
    data = unpredict(inflate(data), isDict(p) ? p : undefined);
  });
  return data;
}

function inflate(data: Uint8Array): Uint8Array {
  try {
    return inflateSync(data, { maxOutputLength: MAX_DECODED });
  } catch (err) {
    throw malformed(`a compressed stream does not inflate: ${(err as Error).message}`);
  }
}

function num(o: PdfObject | undefined, dflt: number): number {
  return typeof o === 'number' ? o : dflt;
}

function unpredict(data: Uint8Array, parms: PdfDict | undefined): Uint8Array {
  const predictor = num(parms?.get('Predictor'), 1);
  if (predictor === 1) return data;
  if (predictor < 10) throw malformed(`TIFF predictor ${predictor} is not supported in structural streams`);
  const colors = num(parms?.get('Colors'), 1);
  const bpc = num(parms?.get('BitsPerComponent'), 8);
  const columns = num(parms?.get('Columns'), 1);
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowLen = Math.ceil((colors * bpc * columns) / 8);
  const rows = Math.floor(data.length / (rowLen + 1));
  const out = new Uint8Array(rows * rowLen);
  let prev = new Uint8Array(rowLen);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLen + 1)]!;
    const row = data.subarray(r * (rowLen + 1) + 1, (r + 1) * (rowLen + 1));
    const cur = out.subarray(r * rowLen, (r + 1) * rowLen);
    for (let i = 0; i < rowLen; i++) {
      const left = i >= bpp ? cur[i - bpp]! : 0;
      const up = prev[i]!;
      const upLeft = i >= bpp ? prev[i - bpp]! : 0;
      const x = row[i]!;
      switch (type) {
        case 0: cur[i] = x; break;
        case 1: cur[i] = x + left; break;
        case 2: cur[i] = x + up; break;
        case 3: cur[i] = x + ((left + up) >> 1); break;
        case 4: cur[i] = x + paeth(left, up, upLeft); break;
        default: throw malformed(`unknown PNG predictor row type ${type}`);
      }
    }
    prev = cur;
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
