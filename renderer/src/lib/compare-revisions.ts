// "Compare signed version": each page of the signed revision and of the document now, drawn at the same scale on
// canvases of their own, their pixels compared (lib/pixel-diff.ts); pages added or removed since signing are named.
// Pages are paired by number: a page inserted in the middle shows as changed pages from there on.
import type { OpenedPdf } from '../components/PagePreviewPdf.js';
import { renderPage, type DrawnPage } from './page-render.js';
import { diffPixels, type Region } from './pixel-diff.js';

/** A box in PDF points (user space: x to the right, y up, from the page's origin). */
export type PointBox = { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
export type PageComparison =
  | { readonly page: number; readonly status: 'same' }
  | {
      readonly page: number;
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
  const both = Math.min(signed.doc.numPages, current.doc.numPages);
  for (let n = 1; n <= both && !stopped(); n++) onPage(await comparePage(signed, current, n));
  for (let n = both + 1; n <= signed.doc.numPages && !stopped(); n++) onPage({ page: n, status: 'removed' });
  for (let n = both + 1; n <= current.doc.numPages && !stopped(); n++) onPage({ page: n, status: 'added' });
}

async function comparePage(signed: OpenedPdf, current: OpenedPdf, n: number): Promise<PageComparison> {
  const [a, b] = [document.createElement('canvas'), document.createElement('canvas')];
  try {
    await renderPage(signed, n, a, COMPARE_SCALE).done;
    const now = await renderPage(current, n, b, COMPARE_SCALE).done;
    const diff = diffPixels(pixels(a), pixels(b), { gap: Math.round(6 * COMPARE_SCALE) });
    if (diff.regions.length === 0) return { page: n, status: 'same' };
    const boxes = diff.regions.map((r) => inPoints(r, now));
    return { page: n, status: diff.sameSize ? 'changed' : 'resized', regions: diff.regions, boxes };
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
  if (c.status === 'same') return `Page ${c.page}: no visible change`;
  if (c.status === 'added') return `Page ${c.page}: added after signing`;
  if (c.status === 'removed') return `Page ${c.page}: removed after signing`;
  if (c.status === 'resized') return `Page ${c.page}: its size changed after signing`;
  if (!('boxes' in c)) return `Page ${c.page}`;
  const r = Math.round;
  const at = c.boxes.map((b) => `at x ${r(b.x)}, y ${r(b.y)}, ${r(b.width)} × ${r(b.height)} pt`);
  return `Page ${c.page}: ${c.regions.length} changed region${c.regions.length === 1 ? '' : 's'} ${at.join('; ')}`;
}
