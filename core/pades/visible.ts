// `--visible page:x,y,w,h`: where a visible seal goes, and what it shows (signer, date, reason).
import { CoreError, UsageError } from '../errors.js';
import {
  mediaBox,
  pageCount,
  pageRef,
  sealAppearance,
  type PdfDocument,
  type SignatureFieldOptions,
} from '../pdf/index.js';
import { contentOverlaps } from '../pdf/content-overlap.js';

/** Page is 1-based; the box is in PDF points from the page's lower-left corner. */
export type VisibleSpec = {
  readonly page: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
};

export function parseVisible(spec: string): VisibleSpec {
  const m = /^(\d+):(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?),(\d+(?:\.\d+)?),(\d+(?:\.\d+)?)$/.exec(spec.trim());
  if (!m) throw new UsageError(`--visible wants page:x,y,w,h in points (e.g. 1:360,40,200,60), not "${spec}"`);
  const [page, x, y, width, height] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (page < 1 || width < 20 || height < 12)
    throw new UsageError('--visible: pages count from 1, and the box must be at least 20×12 points');
  return { page, x, y, width, height };
}

export function visibleField(
  doc: PdfDocument,
  v: VisibleSpec,
  info: { signer: string; date: Date; reason?: string; warnings: string[] },
): SignatureFieldOptions['visible'] {
  const pages = pageCount(doc);
  if (v.page > pages)
    throw new CoreError(
      'PDF_PAGE_NOT_FOUND',
      `--visible names page ${v.page}, but the PDF has ${pages} page${pages === 1 ? '' : 's'}`,
    );
  const page = pageRef(doc, v.page - 1);
  const [x0, y0, x1, y1] = mediaBox(doc, page);
  if (v.x < x0 || v.y < y0 || v.x + v.width > x1 || v.y + v.height > y1) {
    throw new UsageError(
      `--visible: the box ${v.x},${v.y},${v.width},${v.height} does not fit on page ${v.page} (${x1 - x0}×${y1 - y0} points)`,
    );
  }
  const rect = [v.x, v.y, v.x + v.width, v.y + v.height] as const;
  if (contentOverlaps(doc, page, rect))
    info.warnings.push(`the visible seal's box on page ${v.page} overlaps what the page already shows`);
  const lines = [
    `Sealed by ${info.signer.replace(/^.*CN=([^,]+).*$/, '$1')}`,
    `Date: ${info.date.toISOString().replace('T', ' ').slice(0, 19)} UTC`,
  ];
  if (info.reason) lines.push(`Reason: ${info.reason}`);
  return { page: v.page - 1, rect, appearance: sealAppearance(v.width, v.height, lines) };
}
