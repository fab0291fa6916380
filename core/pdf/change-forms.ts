// Form changes after signing (ISO 32000-2 §12.7, §12.8.2.2–§12.8.2.4): the AcroForm, fields added, fields filled in,
// empty signature fields signed, appearances redrawn for a new value — each held to DocMDP and FieldMDP.
import {
  appearanceOwned,
  fieldName,
  forbidden,
  inherited,
  isDocTimestampField,
  ok,
  widgetsUsing,
  type Change,
  type Judge,
} from './change-judge.js';
import { appendOnly } from './deep-equal.js';
import { PdfDict, PdfName, PdfRef, isName, type PdfObject } from './objects.js';

/** What signing an empty signature field writes into it. */
const SIGNING_KEYS = new Set(['V', 'AP', 'Lock', 'SV', 'F']);
/** What filling in a field writes: its value and how it looks. */
const FILLING_KEYS = new Set(['V', 'AP', 'AS', 'MK']);
const QUIET_FORM_KEYS = new Set(['SigFlags', 'DR', 'DA']);

/** The AcroForm dictionary before and after (inline in the catalog or its own object). */
export function acroFormChange(
  j: Judge,
  num: number,
  before: PdfDict | undefined,
  after: PdfDict | undefined,
): Change[] {
  const b = before ?? new PdfDict();
  const a = after ?? new PdfDict();
  const out: Change[] = [];
  for (const k of j.eq.changedKeys(b, a)) {
    if (k === 'Fields')
      out.push(fieldsChange(j, num, j.signed.resolve(b.get('Fields')), j.current.resolve(a.get('Fields'))));
    else if (k === 'XFA')
      out.push(forbidden(num, 'an XFA form was added or changed after signing (XFA replaces what viewers draw)'));
    else if (k === 'NeedAppearances' && j.current.resolve(a.get('NeedAppearances')) === true) {
      out.push(forbidden(num, '/NeedAppearances true was set after signing: viewers would redraw every field'));
    } else if (QUIET_FORM_KEYS.has(k) || k === 'NeedAppearances')
      out.push(ok(num, 'signature', `the form's /${k} was updated`));
    else out.push(forbidden(num, `the AcroForm's /${k} changed after signing`));
  }
  return out;
}

/** The form's field list: only extended, and only by signature fields (by document time-stamps under P=1). */
export function fieldsChange(
  j: Judge,
  num: number,
  before: PdfObject | undefined,
  after: PdfObject | undefined,
): Change {
  const b = Array.isArray(before) ? before : [];
  if (!Array.isArray(after) || !appendOnly(b, after))
    return forbidden(num, "the form's field list was rewritten, not only extended");
  let last = ok(num, 'signature', "the form's field list was rewritten with the same fields");
  for (const r of after.slice(b.length)) {
    const d = j.current.dict(r);
    const ft = j.current.resolve(inherited(j.current, d, 'FT'));
    if (!isName(ft, 'Sig'))
      return forbidden(num, `a form field (${ft instanceof PdfName ? ft.name : 'of no type'}) was added after signing`);
    const dts = isDocTimestampField(j.current, d);
    if (j.o.docMdp === 1 && !dts)
      return forbidden(num, 'a signature field was added, which the certification (DocMDP P=1) forbids');
    last = ok(
      num,
      dts ? 'document-timestamp' : 'signature',
      dts ? 'a document time-stamp field was added' : 'a signature field was added',
    );
  }
  return last;
}

/** A form field or widget dictionary that changed: signed, filled in, locked — or something no rule allows. */
export function fieldChange(j: Judge, num: number, b: PdfDict, a: PdfDict, changed: readonly string[]): Change {
  const name = fieldName(j.current, a) || `#${num}`;
  const ft = j.signed.resolve(inherited(j.signed, b, 'FT'));
  if (isName(ft, 'Sig') && b.get('V') === undefined && changed.every((k) => SIGNING_KEYS.has(k))) {
    const dts = isDocTimestampField(j.current, a);
    if (j.o.docMdp === 1 && !dts)
      return forbidden(
        num,
        `the empty signature field "${name}" was signed, which the certification (DocMDP P=1) forbids`,
      );
    return ok(num, dts ? 'document-timestamp' : 'signature', `the empty signature field "${name}" was signed`);
  }
  if (changed.every((k) => FILLING_KEYS.has(k)) && (changed.includes('V') || changed.includes('AS')))
    return filled(j, num, name);
  if (changed.includes('AP'))
    return forbidden(num, `the appearance of form field "${name}" was replaced while its value stayed the same`);
  const ff = [j.signed.resolve(b.get('Ff')), j.current.resolve(a.get('Ff'))];
  if (
    changed.length === 1 &&
    changed[0] === 'Ff' &&
    typeof ff[1] === 'number' &&
    ff[1] === ((typeof ff[0] === 'number' ? ff[0] : 0) | 1)
  ) {
    return ok(num, 'form-fill', `form field "${name}" was locked (made read-only)`);
  }
  return forbidden(num, `form field "${name}" changed (${changed.join(', ') || 'its value'})`);
}

function filled(j: Judge, num: number, name: string): Change {
  if (j.o.docMdp === 1)
    return forbidden(num, `form field "${name}" was filled in, which the certification (DocMDP P=1) forbids`);
  if (j.o.locked?.(name))
    return forbidden(num, `form field "${name}" was filled in, but the signature locks it (FieldMDP)`);
  return ok(num, 'form-fill', `form field "${name}" was filled in`);
}

/**
 * A stream rewritten under its old number is allowed only as form filling: it was, and still is, nothing but the
 * appearance of widgets, and every such widget got a new value (pyHanko's diff policy allows the same). The same reuse
 * of a page content or resource stream is never allowed.
 */
export function appearanceRewrite(j: Judge, num: number): Change | null {
  if (!appearanceOwned(j.signed, j.signedGraph, num) || !appearanceOwned(j.current, j.view.graph, num)) return null;
  const widgets = new Set([
    ...widgetsUsing(j.signed, j.signedGraph, num),
    ...widgetsUsing(j.current, j.view.graph, num),
  ]);
  if (widgets.size === 0) return null;
  const name = fieldName(j.current, j.current.dict(new PdfRef([...widgets][0]!, 0))) || `#${num}`;
  if (![...widgets].every((w) => valueChanged(j, w))) {
    return forbidden(
      num,
      `the appearance of form field "${name}" (stream ${num}) was redrawn while its value stayed the same`,
    );
  }
  const change = filled(j, num, name);
  return change.allowed
    ? { ...change, detail: `appearance stream ${num} was redrawn for the new value of form field "${name}"` }
    : change;
}

function valueChanged(j: Judge, widget: number): boolean {
  const ref = new PdfRef(widget, 0);
  const b = j.signed.dict(ref);
  const a = j.current.dict(ref);
  if (!a) return false;
  return !j.eq.same(inherited(j.signed, b, 'V'), inherited(j.current, a, 'V')) || !j.eq.same(b?.get('AS'), a.get('AS'));
}
