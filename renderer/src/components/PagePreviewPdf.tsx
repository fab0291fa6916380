// pdf.js under the app's CSP: its worker is a same-origin file started by us (worker-src 'self', no blob:), no eval,
// no fonts, cMaps or wasm fetched from anywhere, and the PDF's bytes only through window.api, a range at a time.
// The legacy build: its polyfills cover Electron's Chromium, which may predate what the plain build assumes
// (Map.prototype.getOrInsertComputed and the like).
import type { PDFDocumentProxy, PDFWorker, RenderTask } from 'pdfjs-dist/legacy/build/pdf.mjs';
import workerUrl from 'pdfjs-dist/legacy/build/pdf.worker.min.mjs?url';
import { pdfBytes, type PdfSource } from '../lib/pdf-source.js';

type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
/** Bytes asked of main per call (main allows up to 4 MiB); pdf.js asks in chunks of RANGE_CHUNK. */
const REQUEST_MAX = 1024 * 1024;
const RANGE_CHUNK = 64 * 1024;

/** The page's box in PDF points, as `pdf:page` gives it: the drawing lines up with the seal's coordinates. */
export type PageBox = { readonly origin: readonly [number, number]; readonly width: number; readonly height: number };
export type OpenedPdf = {
  readonly doc: PDFDocumentProxy;
  /** Rejects when the worker or a byte range fails. */ readonly failed: Promise<never>;
  close(): void;
};
export type Drawing = { readonly done: Promise<void>; cancel(): void };

type Engine = {
  readonly pdfjs: Pdfjs;
  readonly worker: PDFWorker;
  /** Rejects if the worker dies. */ readonly failed: Promise<never>;
};
let engine: Promise<Engine> | null = null;

/** pdf.js for the whole session, loaded on first use (its code is a chunk of its own); tried again after a failure. */
function pdfEngine(): Promise<Engine> {
  engine ??= startEngine().catch((err: unknown) => {
    engine = null;
    throw err;
  });
  return engine;
}

/**
 * pdf.js with its worker. Where a platform will not start a worker from the app's files, pdf.js runs the same
 * same-origin module on the page's thread instead (its own fallback would build a blob: worker, which the CSP refuses).
 */
async function startEngine(): Promise<Engine> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const port = await startedWorker();
  if (port) {
    const failed = new Promise<never>((_, reject) => {
      port.addEventListener('error', () => {
        engine = null;
        reject(new Error('the page renderer stopped'));
      });
    });
    failed.catch(() => undefined); // reported through each document's `failed`
    return { pdfjs, worker: pdfjs.PDFWorker.create({ port }), failed };
  }
  try {
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = await import(/* @vite-ignore */ workerUrl);
  } catch {
    throw new Error('the page renderer did not start');
  }
  return { pdfjs, worker: new pdfjs.PDFWorker(), failed: new Promise<never>(() => undefined) };
}

/** The worker once it has said it is ready (pdf.js's worker speaks first), or null if it cannot start. */
async function startedWorker(): Promise<Worker | null> {
  let port: Worker;
  try {
    port = new Worker(workerUrl, { type: 'module', name: 'pdf.js' });
  } catch {
    return null;
  }
  const started = await new Promise<boolean>((resolve) => {
    port.addEventListener('message', () => resolve(true), { once: true });
    port.addEventListener('error', () => resolve(false), { once: true });
  });
  if (!started) port.terminate();
  return started ? port : null;
}

/** Opens the PDF (a file's handle, or a signed revision of it) for drawing: only the first chunk is read now, the rest
 * when pdf.js needs it. */
export async function openPdf(from: string | PdfSource): Promise<OpenedPdf> {
  const source: PdfSource = typeof from === 'string' ? { file: from } : from;
  const { pdfjs, worker, failed: workerFailed } = await pdfEngine();
  const first = await pdfBytes(source, 0, RANGE_CHUNK);
  let fail: (err: Error) => void = () => undefined;
  const rangeFailed = new Promise<never>((_, reject) => (fail = reject));
  rangeFailed.catch(() => undefined);
  class ApiRange extends pdfjs.PDFDataRangeTransport {
    override requestDataRange(begin: number, end: number): void {
      void (async () => {
        // pdf.js may ask for many chunks at once; main hands out at most REQUEST_MAX (a multiple of RANGE_CHUNK) a call.
        for (let at = begin; at < end; at += REQUEST_MAX) {
          const r = await pdfBytes(source, at, Math.min(REQUEST_MAX, end - at));
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
export function drawPage(
  pdf: OpenedPdf,
  n: number,
  canvas: HTMLCanvasElement,
  box: PageBox,
  cssWidth: number,
  dpr: number,
): Drawing {
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
    const viewport = page.getViewport({
      scale: scale / page.userUnit,
      rotation: 0,
      offsetX: (vx0 - ox) * scale,
      offsetY: (oy + box.height - vy1) * scale,
    });
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
