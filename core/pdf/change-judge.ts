// What judging one signature's later changes shares: both revisions, their object graphs, the rules' options, and
// who owns an object (the DSS, the metadata, a widget's appearance) by every path that reaches it, never by its claims.
import { DeepEqual } from './deep-equal.js';
import type { PdfDocument } from './document.js';
import type { ObjectGraph, PageOwners, Referrer } from './object-graph.js';
import { PdfDict, PdfRef, PdfStream, PdfString, isName, type PdfObject } from './objects.js';

import type { Change, ChangeKind } from '../model/facts.js';

export type { Change, ChangeKind };

export type ChangeOptions = {
  /** Where the judged signature's signed bytes end. */
  readonly signedEnd: number;
  /** The DocMDP level of a certification in the signed revision; null when not certified (held to P=2). */
  readonly docMdp: number | null;
  /** Whether the judged signature locks a field (FieldMDP, §12.8.2.4), by fully qualified name. */
  readonly locked?: (fieldName: string) => boolean;
  /** The current document's graph and page owners, computed once when several signatures are judged. */
  readonly current?: CurrentView;
};

export type CurrentView = { readonly graph: ObjectGraph; readonly owners: PageOwners };

export type Judge = {
  readonly signed: PdfDocument;
  readonly current: PdfDocument;
  readonly signedGraph: ObjectGraph;
  readonly view: CurrentView;
  readonly o: ChangeOptions;
  readonly eq: DeepEqual;
  readonly rootNum: number;
  /** Objects defined by the later revisions. */
  readonly later: ReadonlySet<number>;
};

export const ok = (object: number | null, kind: ChangeKind, detail: string): Change => ({
  object,
  kind,
  allowed: true,
  detail,
});
export const forbidden = (object: number | null, detail: string): Change => ({
  object,
  kind: 'other',
  allowed: false,
  detail,
});

export function dictOf(o: PdfObject | undefined): PdfDict | undefined {
  return o instanceof PdfDict ? o : o instanceof PdfStream ? o.dict : undefined;
}

/** Reads an object without letting a broken one stop the judgement (it then counts as absent). */
export function getSafe(doc: PdfDocument, num: number): PdfObject | undefined {
  try {
    return doc.get(new PdfRef(num, 0));
  } catch {
    return undefined;
  }
}

const MAX_OWNER_DEPTH = 8;

/**
 * True when every path to `num` in `graph` goes through referrers `direct` accepts, possibly via intermediate
 * objects that are themselves owned the same way (an indirect /AP dictionary, a DSS array). Unreferenced: false.
 */
export function ownedBy(
  graph: ObjectGraph,
  num: number,
  direct: (r: Referrer) => boolean,
  depth = 0,
  seen = new Set<number>(),
): boolean {
  const refs = graph.referrers.get(num);
  if (!refs || refs.length === 0 || depth > MAX_OWNER_DEPTH || seen.has(num)) return false;
  seen.add(num);
  return refs.every((r) => direct(r) || (r.from >= 0 && ownedBy(graph, r.from, direct, depth + 1, seen)));
}

/** Only the DSS (ETSI EN 319 142-1 §5.4.2) refers to it: never drawn. */
export function dssOwned(j: Judge, graph: ObjectGraph, num: number): boolean {
  return ownedBy(graph, num, (r) => r.from === j.rootNum && r.key === 'DSS');
}

/** Only the trailer's /Info or the catalog's /Metadata refer to it: never drawn. */
export function metadataOwned(j: Judge, graph: ObjectGraph, num: number): boolean {
  return ownedBy(
    graph,
    num,
    (r) => (r.from === -1 && r.key === 'Info') || (r.from === j.rootNum && r.key === 'Metadata'),
  );
}

/** A widget annotation or a form field dictionary. */
export function isWidgetOrField(d: PdfDict | undefined): boolean {
  return (
    d !== undefined &&
    (isName(d.get('Subtype'), 'Widget') || d.get('FT') !== undefined || d.get('Parent') !== undefined)
  );
}

/** Only widgets' /AP (directly, through an /AP or state dictionary, or another appearance's resources) use it. */
export function appearanceOwned(doc: PdfDocument, graph: ObjectGraph, num: number): boolean {
  return ownedBy(graph, num, (r) => r.key === 'AP' && isWidgetOrField(dictOf(getSafe(doc, r.from))));
}

/** The widgets whose appearance reaches `num` (bounded). */
export function widgetsUsing(doc: PdfDocument, graph: ObjectGraph, num: number): number[] {
  const out = new Set<number>();
  const seen = new Set<number>();
  const stack: [number, number][] = [[num, 0]];
  while (stack.length > 0 && out.size < 64) {
    const [n, depth] = stack.pop()!;
    if (seen.has(n) || depth > MAX_OWNER_DEPTH) continue;
    seen.add(n);
    for (const r of graph.referrers.get(n) ?? []) {
      if (r.key === 'AP' && isWidgetOrField(dictOf(getSafe(doc, r.from)))) out.add(r.from);
      else if (r.from >= 0) stack.push([r.from, depth + 1]);
    }
  }
  return [...out];
}

/** A value inherited through /Parent (§12.7.4.1: FT, V, Ff, DA...). */
export function inherited(doc: PdfDocument, d: PdfDict | undefined, key: string): PdfObject | undefined {
  for (let i = 0; d && i < 32; i++) {
    const v = d.get(key);
    if (v !== undefined) return v;
    d = doc.dict(d.get('Parent'));
  }
  return undefined;
}

/** The field's fully qualified name (§12.7.4.2): the /T of it and its ancestors, joined by periods. */
export function fieldName(doc: PdfDocument, d: PdfDict | undefined): string {
  const parts: string[] = [];
  for (let i = 0; d && i < 32; i++) {
    const t = doc.resolve(d.get('T'));
    if (t instanceof PdfString) parts.unshift(t.text());
    d = doc.dict(d.get('Parent'));
  }
  return parts.join('.');
}

/** A signature field whose value is a document time-stamp (ETSI EN 319 142-1 §5.4.3). */
export function isDocTimestampField(doc: PdfDocument, d: PdfDict | undefined): boolean {
  const v = doc.dict(inherited(doc, d, 'V'));
  return v !== undefined && (isName(v.get('Type'), 'DocTimeStamp') || isName(v.get('SubFilter'), 'ETSI.RFC3161'));
}

/** How a report words a change's verdict. */
export const changeVerdict = (c: Change): string =>
  c.allowed ? 'allowed' : c.kind === 'unclassified' ? 'could not be judged' : 'NOT allowed';
