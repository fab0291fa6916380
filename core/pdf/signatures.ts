// §12.8: the signatures and document time-stamps a PDF carries — its signature fields' values (walking /Kids), with
// their byte ranges checked against the file (ETSI EN 319 142-1 §5.1, the checks that stop USF and SWA).
import type { PdfDocument } from './document.js';
import { PdfDict, PdfName, PdfRef, PdfString, isName, type PdfObject } from './objects.js';
import type { ByteSource } from './source.js';

export type PdfSignatureField = {
  readonly fieldName: string;
  readonly valueRef: PdfRef | null;
  readonly value: PdfDict;
  readonly kind: 'signature' | 'document-timestamp';
  readonly subFilter: string | null;
  /** The widget's page reference and rectangle, when it has one. */
  readonly page: PdfRef | null;
  readonly rect: readonly number[] | null;
  /** The field's /Lock dictionary (FieldMDP, §12.8.2.4), when it has one. */
  readonly lock: PdfDict | null;
};

const MAX_FIELDS = 10_000;

export function signatureFields(doc: PdfDocument): PdfSignatureField[] {
  const out: PdfSignatureField[] = [];
  const seen = new Set<string>();
  const walk = (o: PdfObject | undefined, parentName: string, depth: number) => {
    if (depth > 32 || out.length > MAX_FIELDS) return;
    if (o instanceof PdfRef) {
      if (seen.has(o.key)) return;
      seen.add(o.key);
    }
    const f = doc.dict(o);
    if (!f) return;
    const t = doc.resolve(f.get('T'));
    const name = t instanceof PdfString ? (parentName ? `${parentName}.${t.text()}` : t.text()) : parentName;
    const kids = doc.resolve(f.get('Kids'));
    if (Array.isArray(kids)) for (const k of kids) walk(k, name, depth + 1);
    if (!isName(inherited(doc, f, 'FT'), 'Sig')) return;
    const v = f.get('V');
    const value = doc.dict(v);
    if (!value) return;
    const type = value.get('Type');
    const sub = value.get('SubFilter');
    const rect = doc.resolve(f.get('Rect'));
    const page = f.get('P');
    out.push({
      fieldName: name,
      valueRef: v instanceof PdfRef ? v : null,
      value,
      kind: isName(type, 'DocTimeStamp') || isName(sub, 'ETSI.RFC3161') ? 'document-timestamp' : 'signature',
      subFilter: sub instanceof PdfName ? sub.name : null,
      page: page instanceof PdfRef ? page : null,
      rect: Array.isArray(rect) && rect.every((x) => typeof x === 'number') ? (rect as number[]) : null,
      lock: doc.dict(f.get('Lock')) ?? null,
    });
  };
  const fields = doc.resolve(doc.dict(doc.catalog.get('AcroForm'))?.get('Fields'));
  for (const f of Array.isArray(fields) ? fields : []) walk(f, '', 0);
  return out;
}

function inherited(doc: PdfDocument, f: PdfDict, key: string): PdfObject | undefined {
  let node: PdfDict | undefined = f;
  for (let i = 0; node && i < 32; i++) {
    const v = node.get(key);
    if (v !== undefined) return doc.resolve(v);
    node = doc.dict(node.get('Parent'));
  }
  return undefined;
}

export type ByteRangeCheck = {
  readonly byteRange: readonly number[] | null;
  /** Problems that make the signature's coverage untrustworthy (FORMAT_FAILURE). */
  readonly problems: readonly string[];
  /** The DER in /Contents, as found in the gap of the byte range. */
  readonly contents: Uint8Array | null;
  /** End of the signed bytes (a + b of the last range). */
  readonly signedEnd: number;
  readonly coversWholeDocument: boolean;
};

/**
 * ISO 32000-1 §12.8.1 and ETSI EN 319 142-1: four non-negative integers, starting at 0, the gap holding exactly
 * this dictionary's /Contents hex string, ranges inside the file, ending at the end of a revision.
 */
export function checkByteRange(
  src: ByteSource,
  sig: PdfSignatureField,
  revisionEnds: readonly number[],
  valueOffset: number | null,
): ByteRangeCheck {
  const problems: string[] = [];
  const fail = (p: string): ByteRangeCheck => ({
    byteRange: null,
    problems: [...problems, p],
    contents: null,
    signedEnd: 0,
    coversWholeDocument: false,
  });
  const br = sig.value.get('ByteRange');
  const contents = sig.value.get('Contents');
  if (!Array.isArray(br) || br.length !== 4 || !br.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0))
    return fail('/ByteRange is not four non-negative integers');
  if (!(contents instanceof PdfString)) return fail('/Contents is missing or not a string');
  const [a, b, c, d] = br as [number, number, number, number];
  if (a !== 0) return fail('/ByteRange does not start at the beginning of the file');
  if (c < b) return fail('/ByteRange ranges overlap');
  if (c + d > src.size) return fail(`/ByteRange reaches past the end of the file (${c + d} > ${src.size})`);
  const gap = Buffer.from(src.read(b, c - b)).toString('latin1');
  if (!/^<[0-9a-fA-F]*>$/.test(gap))
    return fail('the gap in /ByteRange does not hold exactly one hex string (a signature-wrapping layout)');
  const gapBytes = Buffer.from(gap.slice(1, -1), 'hex');
  if (!contents.hex || !gapBytes.equals(Buffer.from(contents.bytes)))
    return fail("the hex string excluded by /ByteRange is not this signature's /Contents");
  if (valueOffset !== null && valueOffset >= b)
    problems.push('the signature dictionary lies outside the bytes its own /ByteRange covers');
  const end = c + d;
  if (!revisionEnds.some((e) => endsRevision(src, end, e))) {
    problems.push('the signed bytes do not end at the end of a revision (%%EOF)');
  }
  return {
    byteRange: br as number[],
    problems,
    contents: gapBytes,
    signedEnd: end,
    coversWholeDocument: end === src.size,
  };
}

/** Offsets just after each `%%EOF` marker and the end-of-line that follows it: where each revision ends. */
export function revisionEnds(src: ByteSource): number[] {
  const ends: number[] = [];
  const CHUNK = 1 << 20;
  for (let pos = 0; pos < src.size; pos += CHUNK - 8) {
    const buf = Buffer.from(src.read(pos, CHUNK));
    for (let i = buf.indexOf('%%EOF'); i >= 0; i = buf.indexOf('%%EOF', i + 1)) {
      let at = pos + i + 5;
      const eol = Buffer.from(src.read(at, 2)).toString('latin1');
      at += eol.startsWith('\r\n') ? 2 : eol[0] === '\r' || eol[0] === '\n' ? 1 : 0;
      if (!ends.includes(at)) ends.push(at);
    }
    if (pos + CHUNK >= src.size) break;
  }
  return ends.sort((x, y) => x - y);
}

/** A signed range may stop right after %%EOF or include its end-of-line. */
export function endsRevision(src: ByteSource, end: number, revisionEnd: number): boolean {
  return (
    end <= revisionEnd &&
    end >= revisionEnd - 2 &&
    /^[\r\n]*$/.test(Buffer.from(src.read(end, revisionEnd - end)).toString('latin1'))
  );
}
