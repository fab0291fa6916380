// The indirect objects a revision reaches from its trailer (ISO 32000-1 §7.3.10, §7.5.5), who refers to each and
// under which key, and the references it makes to objects it never defines: what change analysis judges by.
import type { PdfDocument } from './document.js';
import { PdfDict, PdfRef, PdfStream, isName, type PdfObject } from './objects.js';

/** One place an object is referred to from: the referring object and the key (in it, or in its stream dictionary). */
export type Referrer = { readonly from: number; readonly key: string };

export type ObjectGraph = {
  /** Every object number reached from the trailer (Root, Info, ...) through references. */
  readonly reachable: ReadonlySet<number>;
  /** Object numbers referred to but not defined (free or absent) in this revision. */
  readonly dangling: ReadonlySet<number>;
  /** Who refers to each object (at most MAX_REFERRERS each). */
  readonly referrers: ReadonlyMap<number, readonly Referrer[]>;
  /** False when the walk stopped at its cap or an object could not be read: what it says is then partial. */
  readonly complete: boolean;
  readonly problems: readonly string[];
};

const MAX_OBJECTS = 2_000_000;
const MAX_REFERRERS = 16;
const MAX_DEPTH = 64;

/** Walks the revision breadth-first from its trailer; linear in the objects reached, iterative. */
export function objectGraph(doc: PdfDocument, maxObjects = MAX_OBJECTS): ObjectGraph {
  const reachable = new Set<number>();
  const dangling = new Set<number>();
  const referrers = new Map<number, Referrer[]>();
  const problems: string[] = [];
  let complete = true;
  const queue: number[] = [];
  const note = (from: number, key: string, r: PdfRef) => {
    let list = referrers.get(r.num);
    if (!list) referrers.set(r.num, (list = []));
    if (list.length < MAX_REFERRERS) list.push({ from, key });
    if (reachable.has(r.num) || dangling.has(r.num)) return;
    if (!doc.isInUse(r.num)) dangling.add(r.num);
    else {
      reachable.add(r.num);
      queue.push(r.num);
    }
  };
  for (const [key, v] of doc.trailer.map)
    if (key !== 'Prev' && key !== 'XRefStm' && key !== 'Encrypt') refsOf(v, key, (k, r) => note(-1, k, r));
  for (let i = 0; i < queue.length; i++) {
    if (reachable.size > maxObjects) {
      complete = false;
      problems.push(`more than ${maxObjects} objects are reachable: the walk stopped there`);
      break;
    }
    const num = queue[i]!;
    let value: PdfObject | undefined;
    try {
      value = doc.get(new PdfRef(num, 0));
    } catch (err) {
      complete = false;
      if (problems.length < 20) problems.push(`object ${num} cannot be read (${(err as Error).message})`);
      continue;
    }
    const dict = value instanceof PdfStream ? value.dict : value instanceof PdfDict ? value : null;
    if (dict) for (const [key, v] of dict.map) refsOf(v, key, (k, r) => note(num, k, r));
    else refsOf(value, '', (k, r) => note(num, k, r));
  }
  return { reachable, dangling, referrers, complete, problems };
}

/** Every reference inside a direct object, with the top-level key it sits under; iterative, depth-capped. */
function refsOf(o: PdfObject | undefined, key: string, visit: (key: string, r: PdfRef) => void): void {
  const stack: [PdfObject | undefined, number][] = [[o, 0]];
  while (stack.length > 0) {
    const [x, depth] = stack.pop()!;
    if (x instanceof PdfRef) visit(key, x);
    else if (depth >= MAX_DEPTH) continue;
    else if (Array.isArray(x)) for (const y of x) stack.push([y, depth + 1]);
    else if (x instanceof PdfDict) for (const y of x.map.values()) stack.push([y, depth + 1]);
  }
}

/** References inside a direct object (not followed). */
export function refsIn(o: PdfObject | undefined): PdfRef[] {
  const out: PdfRef[] = [];
  refsOf(o instanceof PdfStream ? o.dict : o, '', (_, r) => out.push(r));
  return out;
}

export type PageOwners = {
  /** Page object numbers in page-tree order. */
  readonly pages: readonly number[];
  /** For an /Annots array kept as its own object, and for each annotation listed: the pages that list it. */
  readonly annotsOwner: ReadonlyMap<number, readonly number[]>;
  readonly complete: boolean;
};

const MAX_PAGES = 1_000_000;

/** The page tree walked from the catalog (never trusting an annotation's own /P): which page lists which annotation. */
export function pageOwners(doc: PdfDocument): PageOwners {
  const pages: number[] = [];
  const annotsOwner = new Map<number, number[]>();
  const own = (n: number, page: number) => {
    const list = annotsOwner.get(n);
    if (!list) annotsOwner.set(n, [page]);
    else if (!list.includes(page) && list.length < MAX_REFERRERS) list.push(page);
  };
  const seen = new Set<number>();
  const stack: PdfObject[] = [doc.catalog.get('Pages')!];
  let complete = true;
  while (stack.length > 0) {
    const node = stack.pop();
    if (!(node instanceof PdfRef)) {
      complete = false; // page tree nodes are indirect objects (§7.7.3.2)
      continue;
    }
    if (seen.has(node.num)) continue;
    if (pages.length > MAX_PAGES) {
      complete = false;
      break;
    }
    seen.add(node.num);
    let d: PdfDict | undefined;
    try {
      d = doc.dict(node);
    } catch {
      complete = false;
      continue;
    }
    if (!d) continue;
    if (isName(d.get('Type'), 'Page') || (d.get('Kids') === undefined && d.get('Contents') !== undefined)) {
      pages.push(node.num);
      const annots = d.get('Annots');
      if (annots instanceof PdfRef) own(annots.num, node.num);
      const list = safeResolve(doc, annots);
      if (Array.isArray(list)) for (const a of list) if (a instanceof PdfRef) own(a.num, node.num);
      continue;
    }
    const kids = safeResolve(doc, d.get('Kids'));
    if (Array.isArray(kids)) for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return { pages, annotsOwner, complete };
}

function safeResolve(doc: PdfDocument, o: PdfObject | undefined): PdfObject | undefined {
  try {
    return doc.resolve(o);
  } catch {
    return undefined;
  }
}
