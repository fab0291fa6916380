// "Compare signed version": each page of the signed revision and of the document now, drawn at the same scale on
// canvases of their own, their pixels compared (lib/pixel-diff.ts); pages added or removed since signing are named.
// Pages are paired by identity, not position: a page of the document now is compared with the signed revision's page
// that is the same page object (its indirect reference), so a page inserted in front or in the middle is named as
// added and the pages after it are still compared with themselves. Without references, pages pair by number.
import type { OpenedPdf } from '../components/PagePreviewPdf.js';
import { renderPage, type DrawnPage } from './page-render.js';
import { diffPixels, type Region } from './pixel-diff.js';

/** A box in PDF points (user space: x to the right, y up, from the page's origin). */
export type PointBox = { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
/** `page`: the page number now (for a removed page, its number when signed); `signedPage`: its number when signed. */
export type PageComparison =
  | { readonly page: number; readonly signedPage: number; readonly status: 'same' }
  | {
      readonly page: number;
      readonly signedPage: number;
      readonly status: 'changed' | 'resized';
      /** In the compared canvases' pixels (COMPARE_SCALE), and the same in points. */
      readonly regions: readonly Region[];
      readonly boxes: readonly PointBox[];
    }
  | { readonly page: number; readonly status: 'added' | 'removed' };

/** Pixels per point of the comparison: fine enough to place a change within a point, small enough to be quick. */
export const COMPARE_SCALE = 1.5;

/** Compares page after page, reporting each as it is done; stops early when `stopped()` says so. */
export async function compareRevisions(
  signed: OpenedPdf,
  current: OpenedPdf,
  onPage: (c: PageComparison) => void,
  stopped: () => boolean,
): Promise<void> {
  const { pairs, removed, added } = pairPages(await pageRefs(signed), await pageRefs(current));
  for (const [was, now] of pairs) {
    if (stopped()) return;
    onPage(await comparePage(signed, current, was, now));
  }
  for (const n of removed) if (!stopped()) onPage({ page: n, status: 'removed' });
  for (const n of added) if (!stopped()) onPage({ page: n, status: 'added' });
}

export type PagePairing = {
  /** [page number when signed, page number now], in the order of the pages now. */
  readonly pairs: readonly (readonly [number, number])[];
  readonly removed: readonly number[];
  readonly added: readonly number[];
};

/** Each page's object reference ("12 0"), or null where pdf.js gives none. */
async function pageRefs(pdf: OpenedPdf): Promise<(string | null)[]> {
  const refs: (string | null)[] = [];
  for (let n = 1; n <= pdf.doc.numPages; n++) {
    const ref = (await pdf.doc.getPage(n)).ref;
    refs.push(ref ? `${ref.num} ${ref.gen}` : null);
  }
  return refs;
}

/** Pages paired by reference (a page listed twice pairs in order); by number when any reference is unknown. */
export function pairPages(signed: readonly (string | null)[], now: readonly (string | null)[]): PagePairing {
  const numbers = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
  if ([...signed, ...now].some((r) => r === null)) {
    const both = Math.min(signed.length, now.length);
    return {
      pairs: numbers(both).map((n) => [n, n] as const),
      removed: numbers(signed.length).slice(both),
      added: numbers(now.length).slice(both),
    };
  }
  const at = new Map<string, number[]>();
  signed.forEach((r, i) => at.set(r!, [...(at.get(r!) ?? []), i + 1]));
  const pairs: [number, number][] = [];
  const added: number[] = [];
  now.forEach((r, i) => {
    const was = at.get(r!)?.shift();
    if (was === undefined) added.push(i + 1);
    else pairs.push([was, i + 1]);
  });
  const paired = new Set(pairs.map(([was]) => was));
  return { pairs, removed: numbers(signed.length).filter((n) => !paired.has(n)), added };
}

async function comparePage(signed: OpenedPdf, current: OpenedPdf, was: number, n: number): Promise<PageComparison> {
  const [a, b] = [document.createElement('canvas'), document.createElement('canvas')];
  try {
    await renderPage(signed, was, a, COMPARE_SCALE).done;
    const now = await renderPage(current, n, b, COMPARE_SCALE).done;
    const diff = diffPixels(pixels(a), pixels(b), { gap: Math.round(6 * COMPARE_SCALE) });
    if (diff.regions.length === 0) return { page: n, signedPage: was, status: 'same' };
    const boxes = diff.regions.map((r) => inPoints(r, now));
    const status = diff.sameSize ? 'changed' : 'resized';
    return { page: n, signedPage: was, status, regions: diff.regions, boxes };
  } finally {
    a.width = b.width = 0; // the pixels go now, not when the garbage collector gets round to it
  }
}

const pixels = (c: HTMLCanvasElement): ImageData =>
  c.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, c.width, c.height);

/** A region of the drawn page in PDF points, rounded to a tenth of a point. */
export function inPoints(r: Region, page: DrawnPage): PointBox {
  const [x0, y0] = page.toPoints(r.x, r.y + r.height);
  const [x1, y1] = page.toPoints(r.x + r.width, r.y);
  const round = (v: number) => Math.round(v * 10) / 10;
  const [x, y] = [Math.min(x0, x1), Math.min(y0, y1)];
  return { x: round(x), y: round(y), width: round(Math.abs(x1 - x0)), height: round(Math.abs(y1 - y0)) };
}

/** "1 changed region at x 60, y 720, 360 × 70 pt" and the like, for the list of differences. */
export function describeComparison(c: PageComparison): string {
  if (!('signedPage' in c))
    return c.status === 'added'
      ? `Page ${c.page}: added after signing`
      : `Page ${c.page} of the signed version: removed after signing`;
  const page = c.signedPage === c.page ? `Page ${c.page}` : `Page ${c.page} (page ${c.signedPage} when signed)`;
  if (c.status === 'same') return `${page}: no visible change`;
  if (c.status !== 'changed') return `${page}: its size changed after signing`;
  const r = Math.round;
  const at = c.boxes.map((b) => `at x ${r(b.x)}, y ${r(b.y)}, ${r(b.width)} × ${r(b.height)} pt`);
  return `${page}: ${c.regions.length} changed region${c.regions.length === 1 ? '' : 's'} ${at.join('; ')}`;
}
