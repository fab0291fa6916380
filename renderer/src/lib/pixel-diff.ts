// Where two renderings of one page differ: the changed pixels of two RGBA images of the same size, grouped into
// regions (boxes around changes that lie close together, so a changed line of text is one region, not one per glyph).
// Pure: no DOM, so it is tested on plain arrays; "Compare signed version" feeds it the two canvases' ImageData.

/** An RGBA image as ImageData holds it: 4 bytes a pixel, rows top to bottom. */
export type Rgba = { readonly width: number; readonly height: number; readonly data: Uint8ClampedArray | Uint8Array };
/** A box in pixels (x, y from the top-left corner) and how many of its pixels changed. */
export type Region = {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly pixels: number;
};
export type PixelDiff = {
  /** Both images have the same size; when not, the whole larger extent is one region. */
  readonly sameSize: boolean;
  readonly changedPixels: number;
  /** Top to bottom, then left to right. */
  readonly regions: readonly Region[];
};
export type DiffOptions = {
  /** A pixel changed when a channel differs by more than this (0-255): anti-aliasing noise stays below. */
  readonly threshold?: number;
  /** Changes at most this many pixels apart belong to one region. */
  readonly gap?: number;
};

type Bounds = { x0: number; y0: number; x1: number; y1: number; pixels: number };

export function diffPixels(a: Rgba, b: Rgba, o: DiffOptions = {}): PixelDiff {
  if (a.width !== b.width || a.height !== b.height) {
    const width = Math.max(a.width, b.width);
    const height = Math.max(a.height, b.height);
    const all = { x: 0, y: 0, width, height, pixels: width * height };
    return { sameSize: false, changedPixels: all.pixels, regions: [all] };
  }
  const cells = changedCells(a, b, o.threshold ?? 32, Math.max(1, Math.round((o.gap ?? 8) / 2)));
  const regions = mergeOverlapping(components(cells)).map(toRegion);
  regions.sort((p, q) => p.y - q.y || p.x - q.x);
  return { sameSize: true, changedPixels: regions.reduce((n, r) => n + r.pixels, 0), regions };
}

type Cells = { readonly cols: number; readonly rows: number; readonly bounds: (Bounds | undefined)[] };

/** The image cut into cells of `size` pixels; each cell with a changed pixel keeps the exact bounds of its changes. */
function changedCells(a: Rgba, b: Rgba, threshold: number, size: number): Cells {
  const cols = Math.ceil(a.width / size);
  const rows = Math.ceil(a.height / size);
  const bounds: (Bounds | undefined)[] = new Array(cols * rows);
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const i = (y * a.width + x) * 4;
      let d = 0;
      for (let c = 0; c < 4; c++) d = Math.max(d, Math.abs(a.data[i + c]! - b.data[i + c]!));
      if (d <= threshold) continue;
      const k = Math.floor(y / size) * cols + Math.floor(x / size);
      const cell = bounds[k];
      if (!cell) bounds[k] = { x0: x, y0: y, x1: x, y1: y, pixels: 1 };
      else {
        cell.x0 = Math.min(cell.x0, x);
        cell.x1 = Math.max(cell.x1, x);
        cell.y1 = y;
        cell.pixels++;
      }
    }
  }
  return { cols, rows, bounds };
}

/** Changed cells joined with their changed neighbours (within two cells, so gaps up to about `gap` pixels close). */
function components({ cols, rows, bounds }: Cells): Bounds[] {
  const seen = new Uint8Array(cols * rows);
  const out: Bounds[] = [];
  for (let start = 0; start < bounds.length; start++) {
    if (!bounds[start] || seen[start]) continue;
    const acc: Bounds = { ...bounds[start]!, pixels: 0 };
    const queue = [start];
    seen[start] = 1;
    while (queue.length > 0) {
      const k = queue.pop()!;
      const cell = bounds[k]!;
      grow(acc, cell);
      const cx = k % cols;
      const cy = (k - cx) / cols;
      for (let dy = -2; dy <= 2; dy++) {
        for (let dx = -2; dx <= 2; dx++) {
          const nx = cx + dx;
          const ny = cy + dy;
          const n = ny * cols + nx;
          if (nx < 0 || ny < 0 || nx >= cols || ny >= rows || seen[n] || !bounds[n]) continue;
          seen[n] = 1;
          queue.push(n);
        }
      }
    }
    out.push(acc);
  }
  return out;
}

/** Regions whose boxes overlap become one (a box drawn around changes should not cut through another). */
function mergeOverlapping(boxes: Bounds[]): Bounds[] {
  const out = [...boxes];
  for (let merged = true; merged;) {
    merged = false;
    for (let i = 0; i < out.length && !merged; i++) {
      for (let j = i + 1; j < out.length; j++) {
        const [p, q] = [out[i]!, out[j]!];
        if (p.x0 > q.x1 || q.x0 > p.x1 || p.y0 > q.y1 || q.y0 > p.y1) continue;
        grow(p, q);
        out.splice(j, 1);
        merged = true;
        break;
      }
    }
  }
  return out;
}

function grow(acc: Bounds, b: Bounds): void {
  acc.x0 = Math.min(acc.x0, b.x0);
  acc.y0 = Math.min(acc.y0, b.y0);
  acc.x1 = Math.max(acc.x1, b.x1);
  acc.y1 = Math.max(acc.y1, b.y1);
  acc.pixels += b.pixels;
}

const toRegion = (b: Bounds): Region => ({
  x: b.x0,
  y: b.y0,
  width: b.x1 - b.x0 + 1,
  height: b.y1 - b.y0 + 1,
  pixels: b.pixels,
});
