// §7.7.3: the page tree, walked to a page by index without reading the other pages.
import { CoreError } from '../errors.js';
import type { PdfDocument } from './document.js';
import { malformed } from './lexer.js';
import { PdfRef, isName } from './objects.js';

export function pageCount(doc: PdfDocument): number {
  const count = doc.dict(doc.catalog.get('Pages'))?.get('Count');
  if (typeof count !== 'number') throw malformed('the page tree has no /Count');
  return count;
}

/** The page at `index` (0-based). */
export function pageRef(doc: PdfDocument, index: number): PdfRef {
  let node = doc.catalog.get('Pages');
  const seen = new Set<string>();
  let skip = index;
  for (;;) {
    if (!(node instanceof PdfRef)) throw malformed('a page tree node is not an indirect object');
    if (seen.has(node.key)) throw malformed('the page tree loops');
    seen.add(node.key);
    const dict = doc.dict(node);
    if (!dict) throw malformed(`page tree node ${node.key} is missing`);
    if (isName(dict.get('Type'), 'Page')) {
      if (skip === 0) return node;
      throw malformed('the page tree /Count values do not match its pages');
    }
    const kids = doc.resolve(dict.get('Kids'));
    if (!Array.isArray(kids)) throw malformed(`page tree node ${node.key} has no /Kids`);
    let next: PdfRef | undefined;
    for (const kid of kids) {
      const kd = doc.dict(kid);
      const n = kd && isName(kd.get('Type'), 'Page') ? 1 : kd?.get('Count');
      if (typeof n !== 'number') throw malformed(`page tree node ${node.key} has a kid without /Count`);
      if (skip < n) {
        next = kid as PdfRef;
        break;
      }
      skip -= n;
    }
    if (!next) throw new CoreError('PDF_PAGE_NOT_FOUND', `the PDF has no page ${index + 1} (it has ${pageCount(doc)})`);
    node = next;
  }
}

/** The page's /MediaBox (inherited through the tree) as [x0, y0, x1, y1]. */
export function mediaBox(doc: PdfDocument, page: PdfRef): [number, number, number, number] {
  let node = doc.dict(page);
  for (let depth = 0; node && depth < 64; depth++) {
    const box = doc.resolve(node.get('MediaBox'));
    if (Array.isArray(box) && box.length === 4 && box.every((v) => typeof v === 'number'))
      return box as [number, number, number, number];
    node = doc.dict(node.get('Parent'));
  }
  throw malformed('a page has no /MediaBox');
}
