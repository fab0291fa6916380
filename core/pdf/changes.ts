// What later revisions changed after a signature, object by object, and whether any rule allows it (ISO 32000-1
// §12.8.2 DocMDP, ETSI EN 319 142-1 §5.4 DSS/document time-stamps): what no rule allows is reported, never ignored.
import { contentOverlaps } from './content-overlap.js';
import type { PdfDocument } from './document.js';
import { PdfDict, PdfName, PdfRef, PdfStream, isName, type PdfObject } from './objects.js';
import { serialize } from './serialize.js';

export type ChangeKind = 'dss' | 'document-timestamp' | 'signature' | 'form-fill' | 'annotation' | 'metadata' | 'other';
export type Change = { readonly object: number | null; readonly kind: ChangeKind; readonly allowed: boolean; readonly detail: string };

const MAX_CHANGED = 50_000;

/**
 * `signed`: the document as the signature covers it; `current`: as it is now; `laterSections`: the xref sections
 * written after the signature. `docMdp`: the certification level (null when the document is not certified).
 */
export function changesAfter(signed: PdfDocument, current: PdfDocument, laterNums: ReadonlySet<number>, docMdp: number | null): Change[] {
  const out: Change[] = [];
  if (laterNums.size > MAX_CHANGED) return [{ object: null, kind: 'other', allowed: false, detail: `more than ${MAX_CHANGED} objects changed after signing` }];
  const rootNum = (current.trailer.get('Root') as PdfRef | undefined)?.num;
  const dssRef = signed.catalog.get('DSS');
  const info = signed.trailer.get('Info');
  const xmp = signed.catalog.get('Metadata');
  const metadataNums = new Set([info, xmp].flatMap((r) => (r instanceof PdfRef ? [r.num] : [])));
  const reach = new Reachability(signed);
  for (const num of [...laterNums].sort((a, b) => a - b)) {
    const ref = new PdfRef(num, 0);
    const wasInUse = signed.isInUse(num);
    const isInUse = current.isInUse(num);
    if (wasInUse && !isInUse) {
      out.push({ object: num, kind: 'other', allowed: false, detail: `object ${num} was deleted (marked free) after signing` });
      continue;
    }
    if (!wasInUse) continue; // new objects are judged through the objects that start using them
    const before = signed.get(ref);
    const after = current.get(ref);
    const eq = new DeepEqual(signed, current);
    if (eq.same(before, after)) continue;
    for (const r of addedRefs(before, after)) {
      if (signed.isInUse(r.num) && !laterNums.has(r.num) && !reach.reachable(r.num)) {
        out.push({ object: num, kind: 'other', allowed: false, detail: `object ${num} now refers to object ${r.num}, which was unreachable when signed (a shadow-attack pattern)` });
      }
    }
    if (metadataNums.has(num)) out.push(ok(num, 'metadata', 'document information or XMP metadata updated (never drawn)'));
    else out.push(classify(signed, current, num, before, after, { rootNum, dssNum: dssRef instanceof PdfRef ? dssRef.num : null, docMdp, eq }));
  }
  return out;
}

type Ctx = { rootNum: number | undefined; dssNum: number | null; docMdp: number | null; eq: DeepEqual };

function classify(signed: PdfDocument, current: PdfDocument, num: number, before: PdfObject | undefined, after: PdfObject | undefined, c: Ctx): Change {
  const other = (detail: string): Change => ({ object: num, kind: 'other', allowed: false, detail });
  if (before instanceof PdfStream || after instanceof PdfStream) return num === c.dssNum ? ok(num, 'dss', 'DSS updated') : other(`stream object ${num} (page content, image, font or other resource) was replaced`);
  if (num === c.rootNum) return catalogChange(num, before, after, c.eq);
  if (num === c.dssNum || isName(dictOf(before)?.get('Type'), 'DSS')) return ok(num, 'dss', 'DSS updated');
  if (Array.isArray(before) && Array.isArray(after)) return appendOnly(num, before, after) ? appended(signed, current, num, before, after, c) : other(`array object ${num} was rewritten, not only extended`);
  const b = dictOf(before);
  const a = dictOf(after);
  if (!b || !a) return other(`object ${num} changed type`);
  const changed = changedKeys(b, a, c.eq);
  if (isName(b.get('Type'), 'Page')) {
    if (changed.every((k) => k === 'Annots')) {
      const before = signed.resolve(b.get('Annots'));
      const afterAnnots = current.resolve(a.get('Annots'));
      const beforeList = Array.isArray(before) ? before : [];
      if (Array.isArray(afterAnnots) && appendOnly(num, beforeList, afterAnnots)) return judgeAnnots(signed, current, num, new PdfRef(num, 0), afterAnnots.slice(beforeList.length), c);
    }
    return other(`page object ${num} changed (${changed.join(', ')})`);
  }
  if (isAcroForm(signed, b)) return changed.every((k) => ['Fields', 'SigFlags', 'NeedAppearances', 'DR', 'DA'].includes(k)) && fieldsAppended(signed, current, b, a) ? ok(num, 'signature', 'form fields added') : other(`the AcroForm changed (${changed.join(', ')})`);
  const ft = b.get('FT');
  if (isName(ft, 'Sig') && changed.every((k) => ['V', 'AP', 'Lock', 'SV', 'F'].includes(k)) && b.get('V') === undefined) return ok(num, 'signature', 'an empty signature field was signed');
  if (ft instanceof PdfName || isName(b.get('Subtype'), 'Widget')) {
    // Form filling (DocMDP P=2, also the rule for a document that is not certified) changes a value and its look;
    // a new look for an unchanged value is a shadow attack.
    if (changed.every((k) => ['V', 'AP', 'AS', 'MK'].includes(k)) && (changed.includes('V') || changed.includes('AS'))) {
      return c.docMdp === 1 ? other(`form field ${num} was filled in, which the certification forbids`) : ok(num, 'form-fill', `form field ${num} was filled in`);
    }
    if (changed.includes('AP')) return other(`the appearance of form field ${num} was replaced while its value stayed the same`);
    const ff = [b.get('Ff'), a.get('Ff')];
    if (changed.length === 1 && changed[0] === 'Ff' && typeof ff[1] === 'number' && ff[1] === ((typeof ff[0] === 'number' ? ff[0] : 0) | 1)) return ok(num, 'form-fill', `form field ${num} was locked (made read-only)`);
  }
  return other(`object ${num} changed (${changed.join(', ') || 'its value'})`);
}

function catalogChange(num: number, before: PdfObject | undefined, after: PdfObject | undefined, eq: DeepEqual): Change {
  const b = dictOf(before);
  const a = dictOf(after);
  if (!b || !a) return { object: num, kind: 'other', allowed: false, detail: 'the catalog was replaced' };
  const changed = changedKeys(b, a, eq);
  const bad = changed.filter((k) => !(k === 'DSS' || k === 'Extensions' || k === 'Version' || k === 'Metadata' || (k === 'AcroForm' && (b.get('AcroForm') === undefined || dictOf(b.get('AcroForm')) !== undefined))));
  if (bad.length) return { object: num, kind: 'other', allowed: false, detail: `the catalog changed (${bad.join(', ')})` };
  return ok(num, changed.includes('DSS') ? 'dss' : 'signature', `catalog: ${changed.join(', ')} updated`);
}

/** An array object only extended (Fields or Annots kept as a separate object). */
function appended(signed: PdfDocument, current: PdfDocument, num: number, before: PdfObject[], after: PdfObject[], c: Ctx): Change {
  const added = after.slice(before.length);
  const annots = added.filter((r) => isName(current.dict(r)?.get('Type'), 'Annot') || current.dict(r)?.get('Subtype') !== undefined);
  if (annots.length === added.length && annots.length > 0) {
    const page = current.dict(added[0])?.get('P');
    return judgeAnnots(signed, current, num, page instanceof PdfRef ? page : null, added, c);
  }
  return ok(num, 'signature', `array ${num} extended by ${added.length} item(s)`);
}

function judgeAnnots(signed: PdfDocument, current: PdfDocument, num: number, page: PdfRef | null, added: PdfObject[], c: Ctx): Change {
  for (const r of added) {
    const d = current.dict(r);
    if (!d) return { object: num, kind: 'other', allowed: false, detail: 'an added annotation is missing' };
    const rect = current.resolve(d.get('Rect'));
    const box = Array.isArray(rect) && rect.length === 4 && rect.every((x) => typeof x === 'number') ? (rect as number[]) : [0, 0, 0, 0];
    const area = Math.abs((box[2]! - box[0]!) * (box[3]! - box[1]!));
    const sigWidget = isName(d.get('Subtype'), 'Widget') && isName(d.get('FT'), 'Sig');
    const flags = current.resolve(d.get('F'));
    const hidden = typeof flags === 'number' && (flags & 2) !== 0;
    // A widget draws only its appearance; other annotations may be drawn by the viewer even without one.
    const draws = !hidden && (!isName(d.get('Subtype'), 'Widget') || current.dict(current.dict(d.get('AP'))?.get('N')) !== undefined);
    const covers = draws && area > 0 && page !== null && contentOverlaps(signed, page, [Math.min(box[0]!, box[2]!), Math.min(box[1]!, box[3]!), Math.max(box[0]!, box[2]!), Math.max(box[1]!, box[3]!)]);
    if (covers) return { object: num, kind: 'other', allowed: false, detail: `an ${sigWidget ? 'added signature widget' : 'annotation added after signing'} draws over the signed page content` };
    // Annotations need DocMDP P=3; a document that is not certified is held to P=2 (form filling and signatures).
    if (!sigWidget && c.docMdp !== 3) return { object: num, kind: 'annotation', allowed: false, detail: `an annotation was added after signing, which ${c.docMdp === null ? 'only a certification with P=3 would allow' : 'the certification forbids'}` };
    if (!sigWidget) return { object: num, kind: 'annotation', allowed: true, detail: 'an annotation was added on blank space' };
  }
  return ok(num, 'signature', 'a signature widget was added');
}

const ok = (object: number, kind: ChangeKind, detail: string): Change => ({ object, kind, allowed: true, detail });

function dictOf(o: PdfObject | undefined): PdfDict | undefined {
  return o instanceof PdfDict ? o : undefined;
}

function isAcroForm(doc: PdfDocument, d: PdfDict): boolean {
  const af = doc.catalog.get('AcroForm');
  return af instanceof PdfRef ? doc.dict(af) === d : false;
}

function fieldsAppended(signed: PdfDocument, current: PdfDocument, b: PdfDict, a: PdfDict): boolean {
  const before = signed.resolve(b.get('Fields'));
  const after = current.resolve(a.get('Fields'));
  return Array.isArray(after) && appendOnly(0, Array.isArray(before) ? before : [], after);
}

function appendOnly(_num: number, before: PdfObject[], after: PdfObject[]): boolean {
  return after.length >= before.length && before.every((x, i) => serialize(x) === serialize(after[i]!));
}

/** Private keys producers add that no viewer draws from (iText's version stamp). */
const IGNORED_KEYS = new Set(['ITXT']);

function changedKeys(b: PdfDict, a: PdfDict, eq: DeepEqual): string[] {
  const keys = new Set([...b.map.keys(), ...a.map.keys()]);
  return [...keys].filter((k) => !IGNORED_KEYS.has(k) && !eq.same(b.get(k), a.get(k)));
}

/**
 * Structural equality across two revisions: dictionaries regardless of key order, references followed (an object
 * copied under a new number with the same content is the same), streams by dictionary and raw bytes.
 */
class DeepEqual {
  constructor(
    private readonly a: PdfDocument,
    private readonly b: PdfDocument,
  ) {}

  same(x: PdfObject | undefined, y: PdfObject | undefined, depth = 0): boolean {
    if (depth > 12) return false;
    // The same reference is the same: if the object it names changed, that change is judged on its own.
    if (x instanceof PdfRef && y instanceof PdfRef && x.num === y.num && x.gen === y.gen) return true;
    if (x instanceof PdfRef || y instanceof PdfRef) return this.same(x instanceof PdfRef ? this.a.get(x) : x, y instanceof PdfRef ? this.b.get(y) : y, depth + 1);
    if (x === undefined || y === undefined || x === null || y === null) return x === y;
    if (Array.isArray(x) || Array.isArray(y)) return Array.isArray(x) && Array.isArray(y) && x.length === y.length && x.every((v, i) => this.same(v, y[i], depth + 1));
    if (x instanceof PdfStream || y instanceof PdfStream) {
      if (!(x instanceof PdfStream && y instanceof PdfStream) || !this.same(x.dict, y.dict, depth + 1)) return false;
      try {
        return Buffer.from(this.a.rawStreamData(x)).equals(Buffer.from(this.b.rawStreamData(y)));
      } catch {
        return false;
      }
    }
    if (x instanceof PdfDict || y instanceof PdfDict) {
      if (!(x instanceof PdfDict && y instanceof PdfDict)) return false;
      const keys = new Set([...x.map.keys(), ...y.map.keys()]);
      return [...keys].every((k) => IGNORED_KEYS.has(k) || this.same(x.get(k), y.get(k), depth + 1));
    }
    return serialize(x) === serialize(y);
  }
}

function addedRefs(before: PdfObject | undefined, after: PdfObject | undefined): PdfRef[] {
  const had = new Set(refsIn(before).map((r) => r.num));
  return refsIn(after).filter((r) => !had.has(r.num));
}

function refsIn(o: PdfObject | undefined, out: PdfRef[] = [], depth = 0): PdfRef[] {
  if (depth > 64 || o === undefined || o === null) return out;
  if (o instanceof PdfRef) out.push(o);
  else if (Array.isArray(o)) for (const x of o) refsIn(x, out, depth + 1);
  else if (o instanceof PdfDict) for (const v of o.map.values()) refsIn(v, out, depth + 1);
  else if (o instanceof PdfStream) refsIn(o.dict, out, depth + 1);
  return out;
}

/** Which objects the signed revision reached from its trailer (computed once, on first need). */
class Reachability {
  private set: Set<number> | null = null;
  constructor(private readonly doc: PdfDocument) {}
  reachable(num: number): boolean {
    if (!this.set) {
      this.set = new Set();
      const stack = refsIn(this.doc.trailer);
      while (stack.length > 0 && this.set.size < 2_000_000) {
        const r = stack.pop()!;
        if (this.set.has(r.num)) continue;
        this.set.add(r.num);
        try {
          refsIn(this.doc.get(r), stack);
        } catch {
          // an unreadable object reaches nothing further
        }
      }
    }
    return this.set.has(num);
  }
}
