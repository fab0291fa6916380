// Annotations added after signing (ISO 32000-2 §12.8.2.2: DocMDP P=3 allows them; P=1 and P=2 allow signature
// widgets only), each judged on the page that lists it in the page tree, never on its own /P.
import { forbidden, inherited, isDocTimestampField, ok, type Change, type Judge } from './change-judge.js';
import { contentOverlaps, type Box } from './content-overlap.js';
import { PdfDict, PdfRef, isName, type PdfObject } from './objects.js';

const MAX_PAGES_CHECKED = 2000;

/**
 * `added`: the annotations a revision added to an /Annots array (of object `num`); `pages`: the pages that list that
 * array (empty when none does: the annotation then counts as covering every page).
 */
export function judgeAnnots(j: Judge, num: number, pages: readonly number[], added: readonly PdfObject[]): Change {
  let last: Change | null = null;
  for (const r of added) {
    const d = j.current.dict(r);
    if (!d) return forbidden(num, 'an annotation added after signing is missing');
    const widget = isName(d.get('Subtype'), 'Widget');
    const sigWidget = widget && isName(j.current.resolve(inherited(j.current, d, 'FT')), 'Sig');
    const dts = sigWidget && isDocTimestampField(j.current, d);
    if (widget && !sigWidget)
      return forbidden(num, 'a form field widget was added after signing (new form fields are never allowed)');
    if (sigWidget && !dts && j.o.docMdp === 1)
      return forbidden(num, 'a signature field was added, which the certification (DocMDP P=1) forbids');
    if (draws(j, d) && coversContent(j, pages, rectOf(j, d.get('Rect')))) {
      const what = sigWidget ? 'an added signature widget' : 'an annotation added after signing';
      return forbidden(
        num,
        `${what} draws over the signed page content${pages.length === 0 ? ' (it is on no page of the page tree, so every page counts)' : ''}`,
      );
    }
    if (!sigWidget && j.o.docMdp !== 3) {
      const why = j.o.docMdp === null ? 'only a certification with P=3 would allow' : 'the certification forbids';
      return {
        object: num,
        kind: 'annotation',
        allowed: false,
        detail: `an annotation was added after signing, which ${why}`,
      };
    }
    last = sigWidget
      ? ok(
          num,
          dts ? 'document-timestamp' : 'signature',
          dts ? 'a document time-stamp widget was added' : 'a signature widget was added',
        )
      : { object: num, kind: 'annotation', allowed: true, detail: 'an annotation was added on blank space' };
  }
  return last ?? ok(num, 'signature', 'an annotation list was extended by nothing');
}

/** A widget draws only its appearance; other annotations may be drawn by the viewer even without one. */
function draws(j: Judge, d: PdfDict): boolean {
  const flags = j.current.resolve(d.get('F'));
  if (typeof flags === 'number' && (flags & 2) !== 0) return false; // Hidden
  return !isName(d.get('Subtype'), 'Widget') || j.current.dict(j.current.dict(d.get('AP'))?.get('N')) !== undefined;
}

function rectOf(j: Judge, o: PdfObject | undefined): Box {
  const r = j.current.resolve(o);
  const b =
    Array.isArray(r) && r.length === 4 && r.every((x) => typeof x === 'number') ? (r as number[]) : [0, 0, 0, 0];
  return [Math.min(b[0]!, b[2]!), Math.min(b[1]!, b[3]!), Math.max(b[0]!, b[2]!), Math.max(b[1]!, b[3]!)];
}

function coversContent(j: Judge, pages: readonly number[], box: Box): boolean {
  if ((box[2] - box[0]) * (box[3] - box[1]) <= 0) return false;
  const candidates = pages.length > 0 ? pages : j.view.owners.pages;
  if (candidates.length > MAX_PAGES_CHECKED || (pages.length === 0 && !j.view.owners.complete)) return true;
  return candidates.some((p) => !j.signed.isInUse(p) || contentOverlaps(j.signed, new PdfRef(p, 0), box));
}
