// ETSI EN 319 142-1 §5.4.2: the Document Security Store — certificates, OCSP responses and CRLs as streams in
// /DSS, merged with any DSS the file already has, written in a revision of its own.
import type { PdfDocument } from './document.js';
import type { IncrementBuilder } from './increment.js';
import { NewStream, PdfDict, PdfRef, PdfStream, name, type PdfObject } from './objects.js';

export type ValidationData = { readonly certs: readonly Uint8Array[]; readonly ocsps: readonly Uint8Array[]; readonly crls: readonly Uint8Array[] };

export function addDss(doc: PdfDocument, b: IncrementBuilder, data: ValidationData): void {
  const root = doc.trailer.get('Root') as PdfRef;
  const existing = doc.catalog.get('DSS');
  const old = doc.dict(existing) ?? new PdfDict();
  const merged: Record<string, PdfObject> = { Type: name('DSS') };
  for (const [key, ders] of [['Certs', data.certs], ['OCSPs', data.ocsps], ['CRLs', data.crls]] as const) {
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

const key64 = (d: Uint8Array) => Buffer.from(d).toString('base64');

/** What an existing DSS stream holds (to skip adding it twice); unreadable ones are simply kept. */
function storedKey(doc: PdfDocument, o: PdfObject): string | null {
  try {
    const s = doc.resolve(o);
    return s instanceof PdfStream ? key64(doc.streamData(s)) : null;
  } catch {
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
  const streams = (o: PdfObject | undefined, into: Uint8Array[]) => {
    const list = doc.resolve(o);
    for (const item of Array.isArray(list) ? list.slice(0, 10_000) : []) {
      try {
        const s = doc.resolve(item);
        if (s instanceof PdfStream) into.push(doc.streamData(s));
      } catch {
        // a damaged stream is not validation data
      }
    }
  };
  streams(dss.get('Certs'), out.certs);
  streams(dss.get('OCSPs'), out.ocsps);
  streams(dss.get('CRLs'), out.crls);
  const vri = doc.dict(dss.get('VRI'));
  for (const entry of vri ? [...vri.map.values()].slice(0, 10_000) : []) {
    const d = doc.dict(entry);
    streams(d?.get('Cert'), out.certs);
    streams(d?.get('OCSP'), out.ocsps);
    streams(d?.get('CRL'), out.crls);
  }
  return { certs: unique(out.certs), ocsps: unique(out.ocsps), crls: unique(out.crls) };
}
