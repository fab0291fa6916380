// The pixel comparison behind "Compare signed version", on plain RGBA arrays: what changed, grouped into regions.
import { describe, expect, it } from 'vitest';
import { diffPixels, type Rgba } from '../../../renderer/src/lib/pixel-diff.js';

/** A white image, `width` × `height`. */
function white(width: number, height: number): Rgba & { data: Uint8ClampedArray } {
  return { width, height, data: new Uint8ClampedArray(width * height * 4).fill(255) };
}

/** The image with a box painted in `rgb` (x, y from the top-left, inclusive of x0/y0, exclusive of x1/y1). */
function paint(img: Rgba & { data: Uint8ClampedArray }, [x0, y0, x1, y1]: number[], rgb = [0, 0, 0]) {
  const out = { ...img, data: new Uint8ClampedArray(img.data) };
  for (let y = y0!; y < y1!; y++) {
    for (let x = x0!; x < x1!; x++) out.data.set([...rgb, 255], (y * img.width + x) * 4);
  }
  return out;
}

describe('diffPixels', () => {
  it('two identical images: nothing changed', () => {
    const a = paint(white(120, 80), [10, 10, 40, 30]);
    const same = { ...a, data: new Uint8ClampedArray(a.data) };
    expect(diffPixels(a, same)).toEqual({ sameSize: true, changedPixels: 0, regions: [] });
  });

  it('one painted box is one region with its exact bounds and pixel count', () => {
    const a = white(200, 150);
    const d = diffPixels(a, paint(a, [37, 51, 90, 70]));
    expect(d.regions).toEqual([{ x: 37, y: 51, width: 53, height: 19, pixels: 53 * 19 }]);
    expect(d.changedPixels).toBe(53 * 19);
  });

  it('a box painted over a box: only the pixels that differ count', () => {
    const a = paint(white(100, 100), [10, 10, 50, 50]);
    const b = paint(a, [30, 30, 70, 70]); // overlaps a's black box: black on black does not change
    const d = diffPixels(a, b);
    expect(d.changedPixels).toBe(40 * 40 - 20 * 20);
    expect(d.regions).toEqual([{ x: 30, y: 30, width: 40, height: 40, pixels: 1200 }]);
  });

  it('changes far apart are separate regions, listed top to bottom, then left to right', () => {
    const a = white(300, 200);
    const b = paint(paint(paint(a, [200, 150, 210, 160]), [10, 20, 20, 30]), [150, 20, 160, 30]);
    expect(diffPixels(a, b).regions.map((r) => [r.x, r.y])).toEqual([
      [10, 20],
      [150, 20],
      [200, 150],
    ]);
  });

  it('glyph-like marks a few pixels apart are one region (a changed line of text is one change)', () => {
    const a = white(200, 60);
    let b = a;
    for (let x = 20; x < 160; x += 9) b = paint(b, [x, 20, x + 5, 32]); // 16 "letters", 4 px apart
    const d = diffPixels(a, b, { gap: 8 });
    expect(d.regions).toHaveLength(1);
    expect(d.regions[0]).toMatchObject({ x: 20, y: 20, width: 140, height: 12 });
  });

  it('differences at or below the threshold (anti-aliasing, colour rounding) are no change', () => {
    const a = white(50, 50);
    const faint = paint(a, [0, 0, 50, 50], [230, 240, 250]); // at most 25 below white
    expect(diffPixels(a, faint).regions).toEqual([]);
    const strict = diffPixels(a, faint, { threshold: 10 });
    expect(strict.regions).toEqual([{ x: 0, y: 0, width: 50, height: 50, pixels: 2500 }]);
  });

  it('a change of transparency alone is a change', () => {
    const a = white(20, 20);
    const b = { ...a, data: new Uint8ClampedArray(a.data) };
    b.data[(5 * 20 + 5) * 4 + 3] = 0;
    expect(diffPixels(a, b).regions).toEqual([{ x: 5, y: 5, width: 1, height: 1, pixels: 1 }]);
  });

  it('images of different sizes (a page resized): the whole larger extent is one region', () => {
    const d = diffPixels(white(100, 140), white(120, 100));
    const all = { x: 0, y: 0, width: 120, height: 140, pixels: 120 * 140 };
    expect(d).toEqual({ sameSize: false, changedPixels: 120 * 140, regions: [all] });
  });

  it('boxes that would overlap are merged into one', () => {
    const a = white(200, 200);
    // An L (one region: its bars touch) and a dot far from both bars' pixels, but inside the L's box.
    const b = paint(paint(a, [10, 10, 14, 190]), [10, 186, 190, 190]);
    const c = paint(b, [150, 100, 154, 104]);
    const d = diffPixels(a, c, { gap: 8 });
    expect(d.regions).toEqual([{ x: 10, y: 10, width: 180, height: 180, pixels: 4 * 180 + 180 * 4 - 16 + 16 }]);
  });
});
