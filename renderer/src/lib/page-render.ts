// A whole page as pdf.js draws it (crop box, page rotation), at a given scale in pixels per point: the Verify view's
// document pages and both sides of "Compare signed version" (same scale on both sides, so their pixels line up).
import type { RenderTask } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { OpenedPdf } from '../components/PagePreviewPdf.js';

/** A drawn page: its size in pixels and how a pixel maps back to PDF user space (points, y up). */
export type DrawnPage = {
  readonly width: number;
  readonly height: number;
  toPoints(x: number, y: number): [number, number];
};
export type PageDrawing = { readonly done: Promise<DrawnPage>; cancel(): void };

/** The page's size in points as shown (crop box, rotated), for laying out pages before they are drawn. */
export async function pageSize(pdf: OpenedPdf, n: number): Promise<{ width: number; height: number }> {
  const v = (await pdf.doc.getPage(n)).getViewport({ scale: 1 });
  return { width: v.width, height: v.height };
}

/** Draws page `n` (1-based) onto the canvas at `scale` pixels per point, on white. */
export function renderPage(pdf: OpenedPdf, n: number, canvas: HTMLCanvasElement, scale: number): PageDrawing {
  let task: RenderTask | null = null;
  let cancelled = false;
  const run = async (): Promise<DrawnPage> => {
    const page = await pdf.doc.getPage(n);
    if (cancelled) throw Object.assign(new Error('cancelled'), { name: 'RenderingCancelledException' });
    const viewport = page.getViewport({ scale });
    canvas.width = Math.max(1, Math.round(viewport.width));
    canvas.height = Math.max(1, Math.round(viewport.height));
    // AnnotationMode.ENABLE (1): every annotation's appearance on the canvas, form fields too (there is no HTML form
    // layer here), so a field or widget added after signing shows as a change.
    task = page.render({ canvas, viewport, background: 'white', annotationMode: 1 });
    await task.promise;
    const toPoints = (x: number, y: number): [number, number] => {
      const [px = 0, py = 0] = viewport.convertToPdfPoint(x, y) as number[];
      return [px, py];
    };
    return { width: canvas.width, height: canvas.height, toPoints };
  };
  const done = Promise.race([run(), pdf.failed]);
  return {
    done,
    cancel: () => {
      cancelled = true;
      task?.cancel();
    },
  };
}
