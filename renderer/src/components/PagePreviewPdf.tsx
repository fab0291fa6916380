// pdf.js under the app's CSP: its worker is a same-origin file started by us (worker-src 'self', no blob:), no eval,
// no fonts, cMaps or wasm fetched from anywhere, and the PDF's bytes only through window.api, a range at a time.
import type { PDFDocumentProxy, PDFWorker, RenderTask } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { api } from '../api.js';

type Pdfjs = typeof import('pdfjs-dist');
/** Bytes asked of main per call (main allows up to 4 MiB); pdf.js asks in chunks of RANGE_CHUNK. */
const REQUEST_MAX = 1024 * 1024;
const RANGE_CHUNK = 64 * 1024;

/** The page's box in PDF points, as `pdf:page` gives it: the drawing lines up with the seal's coordinates. */
export type PageBox = { readonly origin: readonly [number, number]; readonly width: number; readonly height: number };
export type OpenedPdf = { readonly doc: PDFDocumentProxy; /** Rejects when the worker or a byte range fails. */ readonly failed: Promise<never>; close(): void };
export type Drawing = { readonly done: Promise<void>; cancel(): void };

let engine: Promise<{ pdfjs: Pdfjs; worker: PDFWorker; failed: Promise<never> }> | null = null;

/** pdf.js and one worker for the whole session, loaded on first use (its code is a chunk of its own). */
function pdfEngine() {
  engine ??= import('pdfjs-dist').then((pdfjs) => {
    const port = new Worker(workerUrl, { type: 'module', name: 'pdf.js' });
    const failed = new Promise<never>((_, reject) => {
      port.addEventListener('error', (e) => {
        engine = null; // the next PDF tries again
        reject(new Error(`the page renderer did not start${e.message ? ` (${e.message})` : ''}`));
      });
    });
    failed.catch(() => undefined); // reported through each document's `failed`
    return { pdfjs, worker: pdfjs.PDFWorker.create({ port }), failed };
  });
  return engine;
}

async function bytesOf(path: string, offset: number, length: number): Promise<{ size: number; bytes: Uint8Array }> {
  const r = await api().pdfBytes({ path, offset, length });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Opens the PDF for drawing: only the first chunk is read now, the rest when pdf.js needs it. */
export async function openPdf(path: string): Promise<OpenedPdf> {
  const { pdfjs, worker, failed: workerFailed } = await pdfEngine();
  const first = await bytesOf(path, 0, RANGE_CHUNK);
  let fail: (err: Error) => void = () => undefined;
  const rangeFailed = new Promise<never>((_, reject) => (fail = reject));
  rangeFailed.catch(() => undefined);
  class ApiRange extends pdfjs.PDFDataRangeTransport {
    override requestDataRange(begin: number, end: number): void {
      void (async () => {
        // pdf.js may ask for many chunks at once; main hands out at most REQUEST_MAX (a multiple of RANGE_CHUNK) a call.
        for (let at = begin; at < end; at += REQUEST_MAX) {
          const r = await bytesOf(path, at, Math.min(REQUEST_MAX, end - at));
          if (r.size !== first.size) throw new Error('the PDF changed on disk while it was being drawn: add it again');
          this.onDataRange(at, r.bytes);
        }
      })().catch((err: Error) => fail(err));
    }
  }
  const range = first.bytes.length >= first.size ? undefined : new ApiRange(first.size, first.bytes);
  const task = pdfjs.getDocument({
    ...(range ? { range } : { data: first.bytes }),
    worker,
    rangeChunkSize: RANGE_CHUNK,
    disableAutoFetch: true,
    disableStream: true,
    isEvalSupported: false,
    // Standard fonts come from the system (useSystemFonts), embedded ones through the FontFace API from bytes:
    // no font, cMap, ICC profile or wasm URL is set, so nothing is fetched.
    useSystemFonts: true,
    useWasm: false,
  });
  const failed = Promise.race([workerFailed, rangeFailed]);
  failed.catch(() => undefined);
  try {
    const doc = await Promise.race([task.promise, failed]);
    return { doc, failed, close: () => void task.destroy() };
  } catch (err) {
    void task.destroy();
    throw err;
  }
}

/** Draws page `n` (1-based) to the canvas, `cssWidth` wide, at the device's pixel ratio, unrotated like the seal's box. */
export function drawPage(pdf: OpenedPdf, n: number, canvas: HTMLCanvasElement, box: PageBox, cssWidth: number, dpr: number): Drawing {
  let task: RenderTask | null = null;
  let cancelled = false;
  const run = async () => {
    delete canvas.dataset.drawnPage;
    const page = await pdf.doc.getPage(n);
    if (cancelled) return;
    const scale = (cssWidth / box.width) * dpr;
    const [vx0 = 0, , , vy1 = 0] = page.view;
    const [ox, oy] = box.origin;
    // pdf.js maps the page's crop box; the offsets put the media box (what `pdf:page` measured) at the canvas's corner.
    const viewport = page.getViewport({ scale: scale / page.userUnit, rotation: 0, offsetX: (vx0 - ox) * scale, offsetY: (oy + box.height - vy1) * scale });
    canvas.width = Math.max(1, Math.round(box.width * scale));
    canvas.height = Math.max(1, Math.round(box.height * scale));
    task = page.render({ canvas, viewport, background: 'white' });
    await task.promise;
    canvas.dataset.drawnPage = String(n); // which page the canvas shows, for whoever reads it (tests do)
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

/** A cancelled drawing is no failure. */
export const wasCancelled = (err: unknown) => err instanceof Error && err.name === 'RenderingCancelledException';
