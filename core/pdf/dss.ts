// ETSI EN 319 142-1 §5.4.2: the Document Security Store — certificates, OCSP responses and CRLs as streams in
// /DSS, merged with any DSS the file already has, written in a revision of its own. Reading is bounded: each stream
// is decoded once (a stream listed 10,000 times is one entry), lists are capped, and the document's decode budget is
// not swallowed as "damaged data" (RESOURCE_LIMIT propagates; the file is too large for the limits, not invalid).
import { createHash } from 'node:crypto';
import { CoreError } from '../errors.js';
import type { PdfDocument } from './document.js';
import type { IncrementBuilder } from './increment.js';
import { NewStream, PdfDict, PdfRef, PdfStream, name, type PdfObject } from './objects.js';

export type ValidationData = {
  readonly certs: readonly Uint8Array[];
  readonly ocsps: readonly Uint8Array[];
  readonly crls: readonly Uint8Array[];
};

export function addDss(doc: PdfDocument, b: IncrementBuilder, data: ValidationData): void {
  const root = doc.trailer.get('Root') as PdfRef;
  const existing = doc.catalog.get('DSS');
  const old = doc.dict(existing) ?? new PdfDict();
  const merged: Record<string, PdfObject> = { Type: name('DSS') };
  for (const [key, ders] of [
    ['Certs', data.certs],
    ['OCSPs', data.ocsps],
    ['CRLs', data.crls],
  ] as const) {
    const before = doc.resolve(old.get(key));
    const list: PdfObject[] = Array.isArray(before) ? [...before] : [];
    const present = new Set(list.map((o) => storedKey(doc, o)));
    for (const der of unique(ders)) if (!present.has(key64(der))) list.push(b.add(new NewStream(new PdfDict(), der)));
    if (list.length > 0) merged[key] = list;
  }
  const vri = old.get('VRI');
  if (vri !== undefined) merged.VRI = vri;
  const dss = old.with(merged);
  if (existing instanceof PdfRef) b.set(existing, dss);
  else b.set(root, doc.catalog.with({ DSS: b.add(dss) }));
}

/** A content key for de-duplication: a digest, not a copy (DSS values can be megabytes each). */
const key64 = (d: Uint8Array) => createHash('sha256').update(d).digest('base64');
const isLimit = (err: unknown) => err instanceof CoreError && err.code === 'RESOURCE_LIMIT';
/** Entries read from one DSS list or /VRI dictionary. */
const MAX_ITEMS = 10_000;

/** What an existing DSS stream holds (to skip adding it twice); unreadable ones are simply kept. */
function storedKey(doc: PdfDocument, o: PdfObject): string | null {
  try {
    const s = doc.resolve(o);
    return s instanceof PdfStream ? key64(doc.streamData(s)) : null;
  } catch (err) {
    if (isLimit(err)) throw err;
    return null;
  }
}

function unique(ders: readonly Uint8Array[]): Uint8Array[] {
  const seen = new Set<string>();
  return ders.filter((d) => {
    const k = key64(d);
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

/** What a document's DSS holds (its /Certs, /OCSPs and /CRLs, and those only its /VRI entries list); unreadable streams are skipped. */
export function readDss(doc: PdfDocument): ValidationData {
  const dss = doc.dict(doc.catalog.get('DSS'));
  const out = { certs: [] as Uint8Array[], ocsps: [] as Uint8Array[], crls: [] as Uint8Array[] };
  if (!dss) return out;
  const seen = new Set<string>(); // lists and items already read, per kind
  const once = (kind: string, o: PdfObject | undefined) => {
    if (!(o instanceof PdfRef)) return true;
    const key = `${kind}${o.key}`;
    return seen.has(key) ? false : (seen.add(key), true);
  };
  const streams = (o: PdfObject | undefined, into: Uint8Array[]) => {
    const kind = into === out.certs ? 'c' : into === out.ocsps ? 'o' : 'r';
    if (!once(`${kind}[]`, o)) return;
    const list = doc.resolve(o);
    const items = Array.isArray(list) ? list.slice(0, MAX_ITEMS) : [];
    doc.budget.chargeObjects(items.length); // /VRI entries can list the same long arrays again and again
    for (const item of items) {
      if (!once(kind, item)) continue;
      try {
        const s = doc.resolve(item);
        if (s instanceof PdfStream) into.push(doc.streamData(s));
      } catch (err) {
        if (isLimit(err)) throw err;
        // a damaged stream is not validation data
      }
    }
  };
  streams(dss.get('Certs'), out.certs);
  streams(dss.get('OCSPs'), out.ocsps);
  streams(dss.get('CRLs'), out.crls);
  const vri = doc.dict(dss.get('VRI'));
  for (const entry of vri ? [...vri.map.values()].slice(0, MAX_ITEMS) : []) {
    const d = doc.dict(entry);
    streams(d?.get('Cert'), out.certs);
    streams(d?.get('OCSP'), out.ocsps);
    streams(d?.get('CRL'), out.crls);
  }
  return { certs: unique(out.certs), ocsps: unique(out.ocsps), crls: unique(out.crls) };
}
