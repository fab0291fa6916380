// The page as pdf.js draws it, on a canvas the size of the preview (sharp at any device pixel ratio), drawn again when
// the page changes; says when it is drawing and why it could not.
import { useEffect, useRef, useState } from 'react';
import { drawPage, openPdf, wasCancelled, type OpenedPdf, type PageBox } from './PagePreviewPdf.js';

export type PageDrawState =
  { readonly state: 'drawing' } | { readonly state: 'drawn' } | { readonly state: 'failed'; readonly message: string };

export function PagePreview({
  pdf,
  page,
  box,
  cssWidth,
  onState,
}: {
  pdf: string;
  page: number;
  box: PageBox;
  cssWidth: number;
  onState: (s: PageDrawState) => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [opened, setOpened] = useState<{ path: string; pdf: OpenedPdf } | null>(null);
  const dpr = useDevicePixelRatio();
  useEffect(() => {
    let live = true;
    let mine: OpenedPdf | null = null;
    setOpened(null);
    onState({ state: 'drawing' });
    openPdf(pdf).then(
      (o) => (live ? ((mine = o), setOpened({ path: pdf, pdf: o })) : o.close()),
      (err: Error) => live && onState({ state: 'failed', message: err.message }),
    );
    return () => {
      live = false;
      mine?.close();
    };
  }, [pdf, onState]);
  const [ox, oy] = box.origin;
  useEffect(() => {
    if (opened?.path !== pdf || !canvas.current) return; // not a document closed a moment ago
    onState({ state: 'drawing' });
    const drawing = drawPage(
      opened.pdf,
      page,
      canvas.current,
      { origin: [ox, oy], width: box.width, height: box.height },
      cssWidth,
      dpr,
    );
    let live = true;
    drawing.done.then(
      () => live && onState({ state: 'drawn' }),
      (err: Error) => live && !wasCancelled(err) && onState({ state: 'failed', message: err.message }),
    );
    return () => {
      live = false;
      drawing.cancel();
    };
  }, [opened, pdf, page, ox, oy, box.width, box.height, cssWidth, dpr, onState]);
  return <canvas ref={canvas} className="page-canvas" aria-hidden="true" />;
}

/** window.devicePixelRatio, followed when it changes (zoom, another screen). */
function useDevicePixelRatio(): number {
  const [dpr, setDpr] = useState(() => window.devicePixelRatio || 1);
  useEffect(() => {
    const query = window.matchMedia(`(resolution: ${dpr}dppx)`);
    const changed = () => setDpr(window.devicePixelRatio || 1);
    query.addEventListener('change', changed);
    return () => query.removeEventListener('change', changed);
  }, [dpr]);
  return dpr;
}
