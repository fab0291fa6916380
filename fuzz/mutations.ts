// Structure-aware mutations of seed files as fast-check arbitraries (the engine when Jazzer.js's libFuzzer addon does not
// load): byte flips, interesting bytes, deletions, duplications, truncations, splices of two seeds, the format's own
// tokens, extreme numbers and deep nesting. Not coverage-guided: nothing learns which inputs reach new code.
import fc from 'fast-check';
import type { TargetName } from './targets.js';

/** Mutated inputs are capped so a few huge ones cannot dominate the run. */
export const MAX_INPUT_BYTES = 256 * 1024;

export type Op =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'byte'; readonly at: number; readonly value: number }
  | { readonly kind: 'delete'; readonly at: number; readonly len: number }
  | { readonly kind: 'duplicate'; readonly at: number; readonly len: number; readonly times: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | {
      readonly kind: 'splice';
      readonly other: number;
      readonly at: number;
      readonly from: number;
      readonly len: number;
    }
  | { readonly kind: 'insert'; readonly at: number; readonly text: Uint8Array }
  | { readonly kind: 'overwrite'; readonly at: number; readonly text: Uint8Array }
  | { readonly kind: 'nest'; readonly at: number; readonly open: Uint8Array; readonly depth: number };

export type Recipe = { readonly seed: number; readonly ops: readonly Op[] };

const INTERESTING_BYTES = [
  0x00, 0x01, 0x7f, 0x80, 0x81, 0x82, 0x84, 0xff, 0x30, 0x31, 0xa0, 0x24, 0x04, 0x06, 0x02, 0x0a, 0x0d, 0x20, 0x25,
  0x28, 0x29, 0x2f, 0x3c, 0x3e, 0x5b, 0x5d,
];

const NUMBERS = [
  '0',
  '-1',
  '-0',
  '1.5',
  '.5',
  '-.0',
  '2147483647',
  '2147483648',
  '4294967295',
  '4294967296',
  '9007199254740993',
  '1e308',
  '99999999999999999999999999999999',
  '0000000000000000000001',
  '-2147483649',
  '3.402823466e38',
  '1'.repeat(400),
];

const PDF_TOKENS = [
  'obj',
  'endobj',
  'stream\n',
  '\nendstream',
  'xref\n0 1\n0000000000 65535 f\r\n',
  'trailer',
  'startxref\n',
  '%%EOF\n',
  ' R',
  ' 0 R',
  '<<',
  '>>',
  '[',
  ']',
  '(',
  ')',
  '<',
  '>',
  '/Type',
  '/Catalog',
  '/Pages',
  '/Page',
  '/Kids',
  '/Count',
  '/Parent',
  '/Root',
  '/Prev',
  '/Size',
  '/Length',
  '/Filter /FlateDecode',
  '/Filter /ASCIIHexDecode',
  '/Filter [/ASCII85Decode /FlateDecode]',
  '/Filter /LZWDecode',
  '/Filter /RunLengthDecode',
  '/DecodeParms << /Predictor 12 /Columns 4 >>',
  '/Type /ObjStm /N 1 /First 4',
  '/Type /XRef /W [1 4 2]',
  '/Index [0 1]',
  '/XRefStm',
  '/Encrypt',
  '/ID [<00><00>]',
  '/AcroForm',
  '/Fields',
  '/FT /Sig',
  '/V',
  '/Type /Sig',
  '/ByteRange [0 10 20 30]',
  '/Contents <3080>',
  '/SubFilter /ETSI.CAdES.detached',
  '/SubFilter /ETSI.RFC3161',
  '/Perms',
  '/DocMDP',
  '/Reference',
  '/TransformParams',
  '/P 1',
  '/DSS',
  '/Certs',
  '/OCSPs',
  '/CRLs',
  '/VRI',
  '/Annots',
  '/Subtype /Widget',
  '/AP',
  '/N',
  '/Resources',
  '/XObject',
  'null',
  'true',
  '\\',
  '\\(',
  '#',
  '#0',
  '%',
  '\r',
  '\n',
  '\0',
];

const DER_TOKENS: number[][] = [
  [0x30, 0x80],
  [0x00, 0x00],
  [0x24, 0x80],
  [0x04, 0x80],
  [0x30, 0x84, 0xff, 0xff, 0xff, 0xff],
  [0x30, 0x84, 0x7f, 0xff, 0xff, 0xff],
  [0x30, 0x85, 1, 0, 0, 0, 0],
  [0x02, 0x00],
  [0x02, 0x01, 0x80],
  [0x02, 0x09, 0x01, 0, 0, 0, 0, 0, 0, 0, 0],
  [0x06, 0x00],
  [0x06, 0x01, 0x80],
  [0x06, 0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
  [0x18, 0x0f, ...Buffer.from('99991399999999Z')],
  [0x17, 0x0d, ...Buffer.from('000229000000Z')],
  [0x03, 0x01, 0x08],
  [0x03, 0x00],
  [0x1f, 0x81, 0x00],
  [0xa0, 0x80],
  [0x31, 0x00],
  [0x05, 0x00],
  [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02],
  [0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x04],
];

const PDF_NEST = ['[', '<<', '<< /A ', '(', '[['];
const DER_NEST = [
  [0x30, 0x80],
  [0x24, 0x80],
  [0xa0, 0x80],
  [0x30, 0x84, 0, 0, 0, 0],
];

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const int = (min: number, max: number) => fc.integer({ min, max });

function tokensFor(target: TargetName): fc.Arbitrary<Uint8Array> {
  const der = fc.constantFrom(...DER_TOKENS.map((t) => Uint8Array.from(t)));
  const num = fc.constantFrom(...NUMBERS.map(bytes));
  const spaced = num.map((n) => bytes(` ${Buffer.from(n).toString('latin1')} `));
  if (target === 'pdf') return fc.oneof(fc.constantFrom(...PDF_TOKENS.map(bytes)), spaced);
  return fc.oneof(
    { weight: 3, arbitrary: der },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 8 }) },
  );
}

/** One mutation, positions as free naturals taken modulo the input's length when applied. */
export function opArbitrary(target: TargetName): fc.Arbitrary<Op> {
  const at = fc.nat();
  const interesting = fc.constantFrom(...INTERESTING_BYTES);
  const depths = fc.oneof(int(60, 70), int(100, 20_000));
  const nest =
    target === 'pdf'
      ? fc.constantFrom(...PDF_NEST.map(bytes))
      : fc.constantFrom(...DER_NEST.map((t) => Uint8Array.from(t)));
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({ kind: fc.constant('flip' as const), at, bit: fc.integer({ min: 0, max: 7 }) }),
    },
    {
      weight: 3,
      arbitrary: fc.record({ kind: fc.constant('byte' as const), at, value: fc.oneof(interesting, int(0, 255)) }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('delete' as const), at, len: fc.integer({ min: 1, max: 64 }) }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('duplicate' as const), at, len: int(1, 64), times: int(1, 2000) }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('splice' as const),
        other: fc.nat(),
        at,
        from: fc.nat(),
        len: int(1, 4096),
      }),
    },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('insert' as const), at, text: tokensFor(target) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('overwrite' as const), at, text: tokensFor(target) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('nest' as const), at, open: nest, depth: depths }) },
  );
}

export function recipeArbitrary(target: TargetName): fc.Arbitrary<Recipe> {
  return fc.record({ seed: fc.nat(), ops: fc.array(opArbitrary(target), { minLength: 1, maxLength: 6 }) });
}

/** The input a recipe makes from `seeds` (never mutated in place). */
export function applyRecipe(seeds: readonly Uint8Array[], r: Recipe): Uint8Array {
  let b: Uint8Array = seeds.length ? seeds[r.seed % seeds.length]! : new Uint8Array(0);
  for (const op of r.ops) {
    b = applyOp(b, op, seeds);
    if (b.length > MAX_INPUT_BYTES) b = b.subarray(0, MAX_INPUT_BYTES);
  }
  return b;
}

function applyOp(b: Uint8Array, op: Op, seeds: readonly Uint8Array[]): Uint8Array {
  const at = b.length ? op.at % (b.length + 1) : 0;
  const i = Math.min(at, Math.max(0, b.length - 1));
  switch (op.kind) {
    case 'flip': {
      if (!b.length) return b;
      const c = b.slice();
      c[i]! ^= 1 << op.bit;
      return c;
    }
    case 'byte': {
      if (!b.length) return Uint8Array.of(op.value);
      const c = b.slice();
      c[i] = op.value;
      return c;
    }
    case 'delete':
      return concat(b.subarray(0, at), b.subarray(at + op.len));
    case 'duplicate': {
      const piece = b.subarray(at, at + op.len);
      const times = Math.min(op.times, Math.floor(MAX_INPUT_BYTES / Math.max(1, piece.length)));
      return concat(b.subarray(0, at), ...Array<Uint8Array>(times).fill(piece), b.subarray(at));
    }
    case 'truncate':
      return b.subarray(0, at);
    case 'splice': {
      const other = seeds.length ? seeds[op.other % seeds.length]! : b;
      const from = other.length ? op.from % other.length : 0;
      return concat(b.subarray(0, at), other.subarray(from, from + op.len), b.subarray(at));
    }
    case 'insert':
      return concat(b.subarray(0, at), op.text, b.subarray(at));
    case 'overwrite':
      return concat(b.subarray(0, at), op.text, b.subarray(at + op.text.length));
    case 'nest':
      return concat(b.subarray(0, at), ...Array<Uint8Array>(op.depth).fill(op.open), b.subarray(at));
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}
