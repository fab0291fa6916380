// The visible seal's box on a page, in PDF points: kept on the page, snapped to its edges when dragged close to them,
// and drawn as a rectangle between two corners. Pure, so the Seal view's dragging stays a few lines.

export type SealBox = {
  readonly page: number;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
};
/** The page: its origin (lower-left corner of the media box) and size, in points. */
export type Sheet = { readonly origin: readonly [number, number]; readonly width: number; readonly height: number };

/** Within this many points of a page edge, the box lies against it. */
export const SNAP = 8;
/** A box drawn smaller than this is taken for a click (the box keeps its size and is moved there). */
export const MIN_DRAWN = { w: 24, h: 12 };

/** The box moved onto the page (its size kept, at most the page's); dragged (`snapping`), against an edge when within
 * SNAP of it. Typed numbers and arrow keys do not snap: they are for precision. */
export function onSheet(b: SealBox, s: Sheet, snapping = false): SealBox {
  const [ox, oy] = s.origin;
  const w = Math.min(b.w, s.width);
  const h = Math.min(b.h, s.height);
  const fit = (v: number, low: number, high: number) => {
    const on = Math.min(Math.max(low, v), high);
    return snapping ? snap(on, low, high) : on;
  };
  return { ...b, x: fit(b.x, ox, ox + s.width - w), y: fit(b.y, oy, oy + s.height - h), w, h };
}

const snap = (v: number, low: number, high: number) => (v - low < SNAP ? low : high - v < SNAP ? high : v);

/** The box between two corners (in either order), cut to the page, each corner against an edge within SNAP of it. */
type Point = readonly [number, number];
export function drawnBox(page: number, [ax, ay]: Point, [bx, by]: Point, s: Sheet): SealBox {
  const [ox, oy] = s.origin;
  const clampX = (v: number) => snap(Math.min(Math.max(ox, v), ox + s.width), ox, ox + s.width);
  const clampY = (v: number) => snap(Math.min(Math.max(oy, v), oy + s.height), oy, oy + s.height);
  const [x0, x1] = [clampX(Math.min(ax, bx)), clampX(Math.max(ax, bx))];
  const [y0, y1] = [clampY(Math.min(ay, by)), clampY(Math.max(ay, by))];
  return { page, x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** Whether the box is big enough to be what the user meant to draw. */
export const isDrawn = (b: SealBox) => b.w >= MIN_DRAWN.w && b.h >= MIN_DRAWN.h;

/** Whether the box covers any of the page's content boxes (x0, y0, x1, y1). */
export function overlapsContent(b: SealBox, boxes: readonly (readonly number[])[]): boolean {
  return boxes.some(([x0 = 0, y0 = 0, x1 = 0, y1 = 0]) => x0 < b.x + b.w && b.x < x1 && y0 < b.y + b.h && b.y < y1);
}
