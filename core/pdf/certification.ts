// §12.8.2.2 DocMDP: a certified document whose permissions (P=1) forbid any change, a further signature included;
// §12.8.2.4 FieldMDP: the form fields a signature locks.
import { CoreError } from '../errors.js';
import type { PdfDocument } from './document.js';
import { PdfDict, PdfString, isName } from './objects.js';

/** The DocMDP permission level of a certification signature (1, 2 or 3), or null when the file is not certified. */
export function docMdpPermission(doc: PdfDocument): number | null {
  const sig = doc.dict(doc.dict(doc.catalog.get('Perms'))?.get('DocMDP'));
  if (!sig) return null;
  const refs = doc.resolve(sig.get('Reference'));
  for (const r of Array.isArray(refs) ? refs : []) {
    const ref = doc.dict(r);
    if (!ref || !isName(ref.get('TransformMethod'), 'DocMDP')) continue;
    const p = doc.dict(ref.get('TransformParams'))?.get('P');
    return p === 1 || p === 3 ? p : 2;
  }
  return 2;
}

export function assertMaySign(doc: PdfDocument): void {
  if (docMdpPermission(doc) === 1) {
    throw new CoreError(
      'PDF_CERTIFIED_NO_CHANGES',
      'the PDF is certified with "no changes allowed" (DocMDP P=1): any further signature, seal or time-stamp would invalidate its certification',
    );
  }
}

/** The fields a signature locks (FieldMDP): from its /Reference transforms and its field's /Lock, by qualified name. */
export function lockedFields(doc: PdfDocument, value: PdfDict, lock: PdfDict | null): (fieldName: string) => boolean {
  const params: PdfDict[] = lock ? [lock] : [];
  const refs = doc.resolve(value.get('Reference'));
  for (const r of Array.isArray(refs) ? refs : []) {
    const ref = doc.dict(r);
    const p = ref && isName(ref.get('TransformMethod'), 'FieldMDP') ? doc.dict(ref.get('TransformParams')) : undefined;
    if (p) params.push(p);
  }
  const rules = params.map((p) => {
    const fields = doc.resolve(p.get('Fields'));
    const names = new Set(
      (Array.isArray(fields) ? fields : [])
        .map((f) => doc.resolve(f))
        .flatMap((f) => (f instanceof PdfString ? [f.text()] : [])),
    );
    const action = doc.resolve(p.get('Action'));
    return { action: isName(action) ? action.name : 'All', names };
  });
  return (name) =>
    rules.some(
      (r) =>
        r.action === 'All' ||
        (r.action === 'Include' ? r.names.has(name) : r.action === 'Exclude' && !r.names.has(name)),
    );
}
