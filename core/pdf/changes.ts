// What later revisions changed after a signature, judged over the object graph (ISO 32000-2 §12.8.2.2 DocMDP,
// ETSI EN 319 142-1 §5.4 DSS and document time-stamps): the revisions that follow the signed one in the /Prev chain,
// every object they define that the current catalog reaches, and whether a rule allows it. What none allows is reported.
import { judgeAnnots } from './change-annots.js';
import { acroFormChange, appearanceRewrite, fieldChange, fieldsChange } from './change-forms.js';
import {
  dictOf,
  dssOwned,
  forbidden,
  getSafe,
  isWidgetOrField,
  metadataOwned,
  ok,
  type Change,
  type ChangeOptions,
  type CurrentView,
  type Judge,
} from './change-judge.js';
import { DeepEqual, appendOnly } from './deep-equal.js';
import type { PdfDocument } from './document.js';
import { objectGraph, pageOwners, refsIn } from './object-graph.js';
import { PdfDict, PdfRef, PdfStream, isName, type PdfObject } from './objects.js';
import type { XrefSection } from './xref.js';

export { changeVerdict, type Change, type ChangeKind, type ChangeOptions, type CurrentView } from './change-judge.js';

const MAX_CHANGED = 50_000;

/** The current document's graph and page owners: computed once per file, shared by its signatures. */
export function currentView(doc: PdfDocument): CurrentView {
  return { graph: objectGraph(doc), owners: pageOwners(doc) };
}

/** `signed`: the revision the signature covers (its trailer chain ends at the /ByteRange end); `current`: the file now. */
export function changesAfter(signed: PdfDocument, current: PdfDocument, o: ChangeOptions): Change[] {
  const chain = laterSections(signed, current, o.signedEnd);
  if (typeof chain === 'string') return [forbidden(null, chain)];
  const later = new Set<number>();
  for (const s of chain) for (const n of s.entries.keys()) later.add(n);
  if (later.size === 0) return [];
  if (later.size > MAX_CHANGED)
    return [
      {
        object: null,
        kind: 'unclassified',
        allowed: false,
        detail: `more than ${MAX_CHANGED} objects changed after signing`,
      },
    ];
  const rootRef = current.trailer.get('Root');
  const signedRoot = signed.trailer.get('Root');
  if (
    !(rootRef instanceof PdfRef) ||
    !(signedRoot instanceof PdfRef) ||
    rootRef.num !== signedRoot.num ||
    rootRef.gen !== signedRoot.gen
  ) {
    return [
      forbidden(
        null,
        'the trailer names another document catalog (/Root) than the signed revision: everything a viewer shows may be new',
      ),
    ];
  }
  const view = o.current ?? currentView(current);
  const j: Judge = {
    signed,
    current,
    signedGraph: objectGraph(signed),
    view,
    o,
    eq: new DeepEqual(signed, current),
    rootNum: rootRef.num,
    later,
  };
  const out: Change[] = [];
  for (const g of [j.signedGraph, view.graph]) {
    for (const p of g.problems)
      out.push({
        object: null,
        kind: 'unclassified',
        allowed: false,
        detail: `the object graph could not be read whole: ${p}`,
      });
  }
  if (!j.eq.same(signed.trailer.get('Info'), current.trailer.get('Info')))
    out.push(ok(null, 'metadata', 'the document information dictionary was replaced (never drawn)'));
  for (const num of [...later].sort((a, b) => a - b)) {
    const c = judgeObject(j, num);
    if (c) out.push(...c);
  }
  return out;
}

/**
 * The sections the current chain reads before it reaches the signed revision's own: they must lie after the signed
 * bytes, and the chain must reach the signed section (a /Prev into the signed bytes at anything else is refused).
 */
function laterSections(signed: PdfDocument, current: PdfDocument, signedEnd: number): XrefSection[] | string {
  const at = current.sections.findIndex((s) => s.offset === signed.startxref);
  if (at < 0)
    return `the revision chain (/Prev) does not lead back to the signed revision's cross-reference section (offset ${signed.startxref})`;
  const later = current.sections.slice(0, at);
  const inside = later.find((s) => s.offset < signedEnd);
  if (inside)
    return `a later revision's cross-reference chain goes through offset ${inside.offset}, inside the signed bytes, which is not the signed revision's own section`;
  return later;
}

function judgeObject(j: Judge, num: number): Change[] | null {
  const was = j.signed.isInUse(num);
  const is = j.current.isInUse(num);
  const used = !j.view.graph.complete || j.view.graph.reachable.has(num);
  if (!was && is) {
    return j.signedGraph.dangling.has(num) && used
      ? [forbidden(num, `object ${num} was referred to but not defined when signed; a later revision defines it`)]
      : null; // a new object is judged through the changed objects that start using it
  }
  if (!was) return null;
  if (!is)
    return j.view.graph.dangling.has(num)
      ? [forbidden(num, `object ${num} was deleted (marked free) after signing but is still used`)]
      : null;
  if (!used) return null; // changed, but nothing the document shows reaches it any more
  const before = getSafe(j.signed, num);
  const after = getSafe(j.current, num);
  if (after === undefined)
    return [
      {
        object: num,
        kind: 'unclassified',
        allowed: false,
        detail: `object ${num} cannot be read in the current revision`,
      },
    ];
  if (j.eq.same(before, after)) return null;
  return [...shadowRefs(j, num, before, after), ...classify(j, num, before, after)];
}

/** An object that now refers to one that existed, unreachable, when signed: a shadow attack's hidden content. */
function shadowRefs(j: Judge, num: number, before: PdfObject | undefined, after: PdfObject): Change[] {
  const had = new Set(refsIn(before).map((r) => r.num));
  return refsIn(after)
    .filter(
      (r) => !had.has(r.num) && j.signed.isInUse(r.num) && !j.later.has(r.num) && !j.signedGraph.reachable.has(r.num),
    )
    .map((r) =>
      forbidden(
        num,
        `object ${num} now refers to object ${r.num}, which was unreachable when signed (a shadow-attack pattern)`,
      ),
    );
}

function classify(j: Judge, num: number, before: PdfObject | undefined, after: PdfObject): Change[] {
  if (metadataOwned(j, j.signedGraph, num) && metadataOwned(j, j.view.graph, num)) {
    return [ok(num, 'metadata', 'document information or XMP metadata updated (never drawn)')];
  }
  if (num === j.rootNum) return catalogChange(j, num, dictOf(before), dictOf(after));
  if (dssOwned(j, j.signedGraph, num) && dssOwned(j, j.view.graph, num)) return [ok(num, 'dss', 'DSS updated')];
  if (before instanceof PdfStream || after instanceof PdfStream) {
    return [appearanceRewrite(j, num) ?? forbidden(num, `stream object ${num} (${usedAs(j, num)}) was replaced`)];
  }
  if (Array.isArray(before) && Array.isArray(after)) return [arrayChange(j, num, before, after)];
  const b = dictOf(before);
  const a = dictOf(after);
  if (!b || !a) return [forbidden(num, `object ${num} changed type`)];
  const changed = j.eq.changedKeys(b, a);
  if (isName(b.get('Type'), 'Page')) return [pageChange(j, num, b, a, changed)];
  if (isName(b.get('Type'), 'Pages'))
    return [forbidden(num, `the page tree changed (node ${num}: ${changed.join(', ')})`)];
  if (num === acroFormNum(j.signed)) return acroFormChange(j, num, b, a);
  if (isWidgetOrField(b)) return [fieldChange(j, num, b, a, changed)];
  return [forbidden(num, `object ${num} changed (${changed.join(', ') || 'its value'})`)];
}

/** The catalog may gain a DSS, extensions, a version, metadata and form changes; nothing else (§12.8.2.2). */
function catalogChange(j: Judge, num: number, b: PdfDict | undefined, a: PdfDict | undefined): Change[] {
  if (!b || !a) return [forbidden(num, 'the catalog was replaced')];
  const out: Change[] = [];
  for (const k of j.eq.changedKeys(b, a)) {
    if (k === 'DSS') out.push(ok(num, 'dss', 'catalog: DSS added or updated'));
    else if (k === 'Extensions' || k === 'Version') out.push(ok(num, 'signature', `catalog: /${k} updated`));
    else if (k === 'Metadata') out.push(ok(num, 'metadata', 'catalog: XMP metadata replaced (never drawn)'));
    else if (k === 'AcroForm')
      out.push(...acroFormChange(j, num, j.signed.dict(b.get('AcroForm')), j.current.dict(a.get('AcroForm'))));
    else out.push(forbidden(num, `the catalog changed (${k})`));
  }
  return out;
}

/** A page may only gain annotations (its /Annots extended), judged on that page. */
function pageChange(j: Judge, num: number, b: PdfDict, a: PdfDict, changed: readonly string[]): Change {
  if (changed.length === 1 && changed[0] === 'Annots') {
    const before = j.signed.resolve(b.get('Annots'));
    const after = j.current.resolve(a.get('Annots'));
    const list = Array.isArray(before) ? before : [];
    if (Array.isArray(after) && appendOnly(list, after)) return judgeAnnots(j, num, [num], after.slice(list.length));
  }
  return forbidden(num, `page object ${num} changed (${changed.join(', ')})`);
}

/** An array kept as its own object: only a form's field list, a page's annotations (or the DSS) may grow. */
function arrayChange(j: Judge, num: number, before: PdfObject[], after: PdfObject[]): Change {
  if (!appendOnly(before, after)) return forbidden(num, `array object ${num} was rewritten, not only extended`);
  const fields = j.signed.dict(j.signed.catalog.get('AcroForm'))?.get('Fields');
  if (fields instanceof PdfRef && fields.num === num) return fieldsChange(j, num, before, after);
  const pages = j.view.owners.annotsOwner.get(num);
  if (pages) return judgeAnnots(j, num, pages, after.slice(before.length));
  const added = after.slice(before.length);
  if (added.length > 0 && added.every((r) => j.current.dict(r)?.get('Subtype') !== undefined))
    return judgeAnnots(j, num, [], added);
  const keys = [...new Set((j.view.graph.referrers.get(num) ?? []).map((r) => `/${r.key}`))].join(', ');
  return forbidden(num, `array object ${num}${keys ? ` (used as ${keys})` : ''} was extended after signing`);
}

/** Where the signed revision used an object, in words: what a replaced stream was drawn as. */
function usedAs(j: Judge, num: number): string {
  const refs = j.signedGraph.referrers.get(num) ?? [];
  const uses = [
    ...new Set(refs.map((r) => (r.from < 0 ? `the trailer's /${r.key}` : `/${r.key} of object ${r.from}`))),
  ];
  if (uses.length === 0) return 'page content, image, font or other resource';
  return `used as ${uses.slice(0, 3).join(', ')}${uses.length > 3 ? ', ...' : ''}`;
}

function acroFormNum(doc: PdfDocument): number | null {
  const af = doc.catalog.get('AcroForm');
  return af instanceof PdfRef ? af.num : null;
}
