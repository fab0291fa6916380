// §12.8: a signature field (merged with its widget) and its /Sig or /DocTimeStamp dictionary, with placeholders for
// /ByteRange and /Contents that are filled once the revision's layout is known.
import { assertMaySign } from './certification.js';
import type { PdfDocument } from './document.js';
import type { IncrementBuilder } from './increment.js';
import { NewStream, PdfDict, PdfRaw, PdfRef, PdfString, name, type PdfObject } from './objects.js';
import { pageRef } from './pages.js';

export const BYTE_RANGE_PLACEHOLDER = `[0 ${'0'.repeat(12)} ${'0'.repeat(12)} ${'0'.repeat(12)}]`;

export type SignatureFieldOptions = {
  readonly kind: 'signature' | 'doc-timestamp';
  /** Bytes reserved for the DER in /Contents (written as twice as many hex digits). */
  readonly contentsBytes: number;
  readonly signingTime?: Date;
  readonly reason?: string;
  readonly location?: string;
  readonly contactInfo?: string;
  readonly signerName?: string;
  /** A visible widget: page index (0-based), rectangle in user space and its appearance; invisible when absent. */
  readonly visible?: {
    readonly page: number;
    readonly rect: readonly [number, number, number, number];
    readonly appearance: NewStream;
  };
};

/** Adds the field, its value dictionary and the widget's place in the page and the AcroForm. Returns the value's ref. */
export function addSignatureField(doc: PdfDocument, b: IncrementBuilder, o: SignatureFieldOptions): PdfRef {
  assertMaySign(doc);
  const sigRef = b.add(signatureDictionary(o));
  const page = pageRef(doc, o.visible?.page ?? 0);
  const field: Record<string, PdfObject> = {
    Type: name('Annot'),
    Subtype: name('Widget'),
    FT: name('Sig'),
    T: PdfString.text(freeFieldName(doc, o.kind)),
    V: sigRef,
    F: 132,
    P: page,
    Rect: o.visible ? [...o.visible.rect] : [0, 0, 0, 0],
  };
  if (o.visible) field.AP = PdfDict.of({ N: b.add(o.visible.appearance) });
  const fieldRef = b.add(PdfDict.of(field));
  addToAcroForm(doc, b, fieldRef);
  addToPage(doc, b, page, fieldRef);
  return sigRef;
}

function signatureDictionary(o: SignatureFieldOptions): PdfDict {
  const contents = new PdfRaw(`<${'0'.repeat(o.contentsBytes * 2)}>`);
  if (o.kind === 'doc-timestamp') {
    return PdfDict.of({
      Type: name('DocTimeStamp'),
      Filter: name('Adobe.PPKLite'),
      SubFilter: name('ETSI.RFC3161'),
      ByteRange: new PdfRaw(BYTE_RANGE_PLACEHOLDER),
      Contents: contents,
    });
  }
  const d: Record<string, PdfObject> = {
    Type: name('Sig'),
    Filter: name('Adobe.PPKLite'),
    SubFilter: name('ETSI.CAdES.detached'),
    ByteRange: new PdfRaw(BYTE_RANGE_PLACEHOLDER),
    Contents: contents,
  };
  if (o.signingTime) d.M = PdfString.text(pdfDate(o.signingTime));
  if (o.signerName) d.Name = PdfString.text(o.signerName);
  if (o.reason) d.Reason = PdfString.text(o.reason);
  if (o.location) d.Location = PdfString.text(o.location);
  if (o.contactInfo) d.ContactInfo = PdfString.text(o.contactInfo);
  return PdfDict.of(d);
}

/** §7.9.4: D:YYYYMMDDHHmmSS+00'00' (UTC). */
export function pdfDate(d: Date): string {
  const iso = d.toISOString();
  return `D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}+00'00'`;
}

function existingFieldNames(doc: PdfDocument): Set<string> {
  const fields = doc.resolve(doc.dict(doc.catalog.get('AcroForm'))?.get('Fields'));
  const names = new Set<string>();
  for (const f of Array.isArray(fields) ? fields : []) {
    const t = doc.resolve(doc.dict(f)?.get('T'));
    if (t instanceof PdfString) names.add(t.text());
  }
  return names;
}

function freeFieldName(doc: PdfDocument, kind: SignatureFieldOptions['kind']): string {
  const taken = existingFieldNames(doc);
  const base = kind === 'doc-timestamp' ? 'SealdeskTimestamp' : 'SealdeskSeal';
  for (let n = 1; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
}

function rootRef(doc: PdfDocument): PdfRef {
  const root = doc.trailer.get('Root');
  if (!(root instanceof PdfRef)) throw new TypeError('the catalog is not an indirect object');
  return root;
}

/** Appends to a list that may live directly in its dictionary or in an array object of its own. */
function appendTo(doc: PdfDocument, b: IncrementBuilder, owner: PdfDict, key: string, item: PdfRef): PdfDict | null {
  const current = owner.get(key);
  if (current instanceof PdfRef) {
    const arr = doc.resolve(current);
    b.set(current, [...(Array.isArray(arr) ? arr : []), item]);
    return null; // the owner itself is unchanged
  }
  return owner.with({ [key]: [...(Array.isArray(current) ? current : []), item] });
}

function addToAcroForm(doc: PdfDocument, b: IncrementBuilder, field: PdfRef): void {
  const catalog = doc.catalog;
  const af = catalog.get('AcroForm');
  if (af === undefined) {
    b.set(rootRef(doc), catalog.with({ AcroForm: b.add(PdfDict.of({ Fields: [field], SigFlags: 3 })) }));
    return;
  }
  const dict = doc.dict(af) ?? new PdfDict();
  const updated = (appendTo(doc, b, dict, 'Fields', field) ?? dict).with({ SigFlags: 3 });
  if (af instanceof PdfRef) b.set(af, updated);
  else b.set(rootRef(doc), catalog.with({ AcroForm: updated }));
}

function addToPage(doc: PdfDocument, b: IncrementBuilder, page: PdfRef, widget: PdfRef): void {
  const dict = doc.dict(page)!;
  const updated = appendTo(doc, b, dict, 'Annots', widget);
  if (updated) b.set(page, updated);
}
