// The visible seal's box on the page: drawn between two corners, kept on the page, snapped to its edges when dragged.
import { describe, expect, it } from 'vitest';
import { SNAP, drawnBox, isDrawn, onSheet, overlapsContent } from '../../../renderer/src/lib/placement.js';

const A4 = { origin: [0, 0] as const, width: 595, height: 842 };
const cropped = { origin: [20, 30] as const, width: 500, height: 700 }; // a media box that does not start at 0 0

describe('seal placement', () => {
  it('a rectangle drawn in any direction is the box between its corners', () => {
    const box = { page: 2, x: 100, y: 200, w: 150, h: 50 };
    expect(drawnBox(2, [100, 200], [250, 250], A4)).toEqual(box);
    expect(drawnBox(2, [250, 250], [100, 200], A4)).toEqual(box);
    expect(drawnBox(2, [100, 250], [250, 200], A4)).toEqual(box);
  });

  it('a rectangle drawn past the page stops at its edge; a corner within SNAP of an edge lies on it', () => {
    expect(drawnBox(1, [-40, 800], [120, 900], A4)).toEqual({ page: 1, x: 0, y: 800, w: 120, h: 42 });
    expect(drawnBox(1, [SNAP - 1, 100], [590, 160], A4)).toEqual({ page: 1, x: 0, y: 100, w: 595, h: 60 });
    expect(drawnBox(1, [SNAP + 1, 100], [500, 160], A4)).toMatchObject({ x: SNAP + 1, w: 500 - SNAP - 1 });
    expect(drawnBox(1, [0, 0], [100, 100], cropped)).toEqual({ page: 1, x: 20, y: 30, w: 80, h: 70 });
  });

  it('a box moved off the page comes back onto it, its size kept', () => {
    expect(onSheet({ page: 1, x: 560, y: -30, w: 200, h: 60 }, A4)).toEqual({ page: 1, x: 395, y: 0, w: 200, h: 60 });
    expect(onSheet({ page: 1, x: 0, y: 0, w: 200, h: 60 }, cropped)).toEqual({ page: 1, x: 20, y: 30, w: 200, h: 60 });
    const wide = { page: 1, x: 0, y: 0, w: 900, h: 60 };
    expect(onSheet(wide, A4)).toMatchObject({ x: 0, w: 595 }); // no wider than the page
  });

  it('dragged, it snaps to an edge within SNAP points; typed numbers and arrow keys do not snap', () => {
    const near = { page: 1, x: 4, y: 842 - 60 - 5, w: 200, h: 60 };
    expect(onSheet(near, A4, true)).toMatchObject({ x: 0, y: 782 });
    expect(onSheet(near, A4)).toMatchObject({ x: 4, y: 777 });
    expect(onSheet({ ...near, x: SNAP + 2 }, A4, true)).toMatchObject({ x: SNAP + 2 });
  });

  it('a click is no rectangle: too small to be what was meant', () => {
    expect(isDrawn(drawnBox(1, [100, 100], [103, 102], A4))).toBe(false);
    expect(isDrawn(drawnBox(1, [100, 100], [180, 130], A4))).toBe(true);
  });

  it('the overlap warning: any content box the seal box crosses, touching edges excluded', () => {
    const text: number[][] = [[72, 725, 265, 778]];
    expect(overlapsContent({ page: 1, x: 60, y: 740, w: 100, h: 30 }, text)).toBe(true);
    expect(overlapsContent({ page: 1, x: 340, y: 40, w: 200, h: 60 }, text)).toBe(false);
    expect(overlapsContent({ page: 1, x: 265, y: 700, w: 50, h: 25 }, text)).toBe(false);
  });
});
