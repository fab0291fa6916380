// Stream decoding for what the writer and the structure reader need: FlateDecode with PNG predictors (§7.4.4), every
// stage's output charged to the document's decode budget (a Flate bomb ends as RESOURCE_LIMIT), parameters validated.
import { inflateSync } from 'node:zlib';
import { malformed } from './lexer.js';
import { DecodeBudget } from './limits.js';
import { isDict, isName, type PdfDict, type PdfObject } from './objects.js';

/** Filters applied one after the other: more than this is not a structural stream but an attempt to burn time. */
const MAX_FILTERS = 4;

export function decodeStream(dict: PdfDict, raw: Uint8Array, budget: DecodeBudget = new DecodeBudget()): Uint8Array {
  const filter = dict.get('Filter');
  const filters = filter === undefined ? [] : Array.isArray(filter) ? filter : [filter];
  if (filters.length > MAX_FILTERS) throw malformed(`a structural stream has ${filters.length} filters`);
  const parms = dict.get('DecodeParms');
  let data = raw;
  filters.forEach((f, i) => {
    if (!isName(f, 'FlateDecode'))
      throw malformed(
        `a structural stream uses the ${isName(f) ? f.name : 'unknown'} filter, which Sealdesk does not decode`,
      );
    const p = Array.isArray(parms) ? parms[i] : parms;
    if (p !== undefined && p !== null && !isDict(p)) throw malformed("a stream's /DecodeParms is not a dictionary");
    const predictor = predictorOf(isDict(p) ? p : undefined);
    data = inflate(data, budget);
    if (predictor) data = unpredict(data, predictor);
  });
  return data;
}

function inflate(data: Uint8Array, budget: DecodeBudget): Uint8Array {
  const cap = budget.remainingBytes;
  let out: Uint8Array;
  try {
    // maxOutputLength stops inflating as soon as the output passes the cap: memory never exceeds the budget.
    out = inflateSync(data, { maxOutputLength: Math.max(1, cap) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw budget.bytesExceeded();
    throw malformed(`a compressed stream does not inflate: ${(err as Error).message}`);
  }
  budget.chargeBytes(out.length);
  return out;
}

type Predictor = { readonly colors: number; readonly bpc: number; readonly columns: number };

function int(o: PdfObject | undefined, key: string, dflt: number, ok: (v: number) => boolean): number {
  if (o === undefined) return dflt;
  if (typeof o !== 'number' || !Number.isInteger(o) || !ok(o))
    throw malformed(`a stream's /DecodeParms has an invalid /${key}`);
  return o;
}

/** §7.4.4.4 Table 8, validated; null for no prediction. */
function predictorOf(parms: PdfDict | undefined): Predictor | null {
  const predictor = int(parms?.get('Predictor'), 'Predictor', 1, (v) => v === 1 || v === 2 || (v >= 10 && v <= 15));
  if (predictor === 1) return null;
  if (predictor === 2) throw malformed('TIFF predictor 2 is not supported in structural streams');
  return {
    colors: int(parms?.get('Colors'), 'Colors', 1, (v) => v >= 1 && v <= 32),
    bpc: int(parms?.get('BitsPerComponent'), 'BitsPerComponent', 8, (v) => [1, 2, 4, 8, 16].includes(v)),
    columns: int(parms?.get('Columns'), 'Columns', 1, (v) => v >= 1 && v <= 1 << 24),
  };
}

/** PNG prediction undone; the output is smaller than its input (one tag byte per row), so it needs no budget of its own. */
function unpredict(data: Uint8Array, { colors, bpc, columns }: Predictor): Uint8Array {
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowLen = Math.ceil((colors * bpc * columns) / 8);
  const rows = Math.floor(data.length / (rowLen + 1));
  const out = new Uint8Array(rows * rowLen);
  let prev = new Uint8Array(rows > 0 ? rowLen : 0);
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
        case 0:
          cur[i] = x;
          break;
        case 1:
          cur[i] = x + left;
          break;
        case 2:
          cur[i] = x + up;
          break;
        case 3:
          cur[i] = x + ((left + up) >> 1);
          break;
        case 4:
          cur[i] = x + paeth(left, up, upLeft);
          break;
        default:
          throw malformed(`unknown PNG predictor row type ${type}`);
      }
    }
    prev = cur;
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a),
    pb = Math.abs(p - b),
    pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
