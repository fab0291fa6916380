// One page of "Compare signed version": the signed revision's drawing and today's side by side, at the scale they were
// compared at (so the boxes of changed pixels sit on both), scaled down by CSS to fit.
import { useEffect, useRef, useState } from 'react';
import { COMPARE_SCALE, type PageComparison } from '../lib/compare-revisions.js';
import { renderPage } from '../lib/page-render.js';
import { wasCancelled, type OpenedPdf } from './PagePreviewPdf.js';

type Props = {
  readonly signed: OpenedPdf;
  readonly current: OpenedPdf;
  /** The page now, and the signed revision's page that is the same page object. */
  readonly page: number;
  readonly signedPage: number;
  /** This page's comparison, once done (null: not yet). */
  readonly comparison: PageComparison | null;
  readonly revision: number | null;
};

export function ComparePair({ signed, current, page, signedPage, comparison, revision }: Props) {
  const regions = comparison && 'regions' in comparison ? comparison.regions : [];
  const caption = `Signed (revision ${revision ?? '?'}), page ${signedPage}`;
  return (
    <div className="compare-pair">
      <Side pdf={signed} page={signedPage} regions={regions} caption={caption} />
      <Side pdf={current} page={page} regions={regions} caption={`Now, page ${page}`} />
    </div>
  );
}

type Box = { readonly x: number; readonly y: number; readonly width: number; readonly height: number };

function Side({
  pdf,
  page,
  regions,
  caption,
}: {
  pdf: OpenedPdf;
  page: number;
  regions: readonly Box[];
  caption: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const c = canvas.current;
    delete c.dataset.drawnPage;
    setError(null);
    const drawing = renderPage(pdf, page, c, COMPARE_SCALE);
    let live = true;
    drawing.done.then(
      (d) => {
        if (!live) return;
        c.dataset.drawnPage = String(page);
        setSize({ width: d.width, height: d.height });
      },
      (err: Error) => live && !wasCancelled(err) && setError(err.message),
    );
    return () => {
      live = false;
      drawing.cancel();
    };
  }, [pdf, page]);
  return (
    <figure aria-label={caption}>
      <div className="compare-page">
        <canvas ref={canvas} className="compare-canvas" />
        {size && (
          <svg viewBox={`0 0 ${size.width} ${size.height}`} preserveAspectRatio="none" aria-hidden="true">
            {regions.map((r, i) => (
              <rect key={i} className="diff-box" x={r.x - 3} y={r.y - 3} width={r.width + 6} height={r.height + 6} />
            ))}
          </svg>
        )}
      </div>
      <figcaption>{error ? `Could not be drawn: ${error}` : caption}</figcaption>
    </figure>
  );
}
