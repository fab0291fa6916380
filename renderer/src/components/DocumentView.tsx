// The Verify view's document: every page of the PDF as pdf.js draws it, in a scrolling column beside the signatures.
// A page is drawn when it scrolls near the view and let go when it is far away, and pdf.js reads the file by range
// only as far as the pages drawn need, so a large PDF never loads whole.
import { useEffect, useRef, useState, type RefObject } from 'react';
import { pageSize, renderPage } from '../lib/page-render.js';
import type { PdfSource } from '../lib/pdf-source.js';
import { openPdf, wasCancelled, type OpenedPdf } from './PagePreviewPdf.js';

type Size = { readonly width: number; readonly height: number };

export function DocumentView({ source, label }: { readonly source: PdfSource; readonly label: string }) {
  const [doc, setDoc] = useState<{ pdf: OpenedPdf; first: Size } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const { file, end } = source;
  useEffect(() => {
    let live = true;
    let mine: OpenedPdf | null = null;
    setDoc(null);
    setError(null);
    openPdf({ file, ...(end === undefined ? {} : { end }) })
      .then(async (pdf) => {
        if (!live) return pdf.close();
        mine = pdf;
        const first = await pageSize(pdf, 1);
        if (live) setDoc({ pdf, first });
      })
      .catch((err: Error) => live && setError(err.message));
    return () => {
      live = false;
      mine?.close();
    };
  }, [file, end]);
  return (
    <div className="doc-view" ref={scroller} role="region" aria-label={label} tabIndex={0}>
      {error && (
        <p role="alert" className="error">
          The document could not be shown: {error}
        </p>
      )}
      {!doc && !error && (
        <p className="hint" role="status">
          Opening the document…
        </p>
      )}
      {doc &&
        Array.from({ length: doc.pdf.doc.numPages }, (_, i) => (
          <Page
            key={i + 1}
            pdf={doc.pdf}
            n={i + 1}
            guess={doc.first}
            scroller={scroller}
            count={doc.pdf.doc.numPages}
          />
        ))}
    </div>
  );
}

type PageProps = { pdf: OpenedPdf; n: number; guess: Size; count: number; scroller: RefObject<HTMLDivElement | null> };

/** One page: a placeholder of the first page's proportions until it comes near the view, then the drawing. */
function Page({ pdf, n, guess, count, scroller }: PageProps) {
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const near = useNear(box, scroller);
  const [size, setSize] = useState<Size>(guess);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const c = canvas.current;
    if (!near || !c || !box.current) return;
    const dpr = window.devicePixelRatio || 1;
    let live = true;
    const drawing = pageSize(pdf, n).then((s) => {
      if (!live) return null;
      setSize(s);
      return renderPage(pdf, n, c, ((box.current?.clientWidth || 400) / s.width) * dpr);
    });
    drawing
      .then((d) => d?.done)
      .then(
        () => live && (c.dataset.drawnPage = String(n)),
        (err: Error) => live && !wasCancelled(err) && setError(err.message),
      );
    return () => {
      live = false;
      void drawing.then((d) => d?.cancel());
      delete c.dataset.drawnPage;
      c.width = c.height = 0; // far from the view: its pixels go
    };
  }, [near, pdf, n]);
  return (
    <figure className="doc-page" aria-label={`Page ${n} of ${count}`}>
      <div className="doc-sheet" ref={box} style={{ aspectRatio: `${size.width} / ${size.height}` }}>
        <canvas ref={canvas} className="doc-canvas" aria-hidden="true" />
        {error && (
          <p className="hint error">
            Page {n} could not be drawn: {error}
          </p>
        )}
      </div>
    </figure>
  );
}

/** Whether the element is within a screen or two of the scrolling column's view. */
function useNear(el: RefObject<HTMLElement | null>, root: RefObject<HTMLElement | null>): boolean {
  const [near, setNear] = useState(false);
  useEffect(() => {
    if (!el.current) return;
    const seen = new IntersectionObserver(([entry]) => setNear(entry?.isIntersecting ?? false), {
      root: root.current,
      rootMargin: '150% 0px',
    });
    seen.observe(el.current);
    return () => seen.disconnect();
  }, [el, root]);
  return near;
}
