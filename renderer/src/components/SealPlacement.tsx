// Where a visible seal goes: the page as pdf.js draws it (a schematic of its size and content boxes if it cannot) with
// the seal's box. Drag on the page to draw the box, drag the box to move it (both snap to the page's edges), or use the
// arrow keys and the numbers for precision; it warns, live, when the box covers page content (the content boxes come
// from main's scanner, whatever the drawing shows).
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { PagePreview as PageFacts } from '../../../preload/api.js';
import { pdfPage } from '../lib/pdf-source.js';
import { drawnBox, isDrawn, onSheet, overlapsContent, type SealBox } from '../lib/placement.js';
import { PagePreview, type PageDrawState } from './PagePreview.js';

type Box = SealBox;
type Drag =
  | { readonly kind: 'move'; px: number; py: number; x: number; y: number }
  | { readonly kind: 'draw'; from: [number, number]; before: Box };
const PREVIEW_WIDTH = 280;

export function SealPlacement({ pdf, onChange }: { pdf: string; onChange: (spec: string) => void }) {
  const [box, setBox] = useState<Box>({ page: 1, x: 340, y: 40, w: 200, h: 60 });
  const [preview, setPreview] = useState<(PageFacts & { readonly page: number }) | null>(null);
  const [draw, setDraw] = useState<PageDrawState>({ state: 'drawing' });
  const [error, setError] = useState<string | null>(null);
  const drag = useRef<Drag | null>(null);
  useEffect(() => {
    const page = box.page;
    pdfPage(pdf, page).then(
      (r) => (setPreview({ ...r, page }), setError(null)),
      (err: Error) => setError(err.message),
    );
  }, [pdf, box.page]);
  useEffect(
    () => onChange(`${box.page}:${Math.round(box.x)},${Math.round(box.y)},${Math.round(box.w)},${Math.round(box.h)}`),
    [box, onChange],
  );
  if (error) return <p className="error">{error}</p>;
  if (!preview) return <p className="hint">Reading the page…</p>;
  const scale = PREVIEW_WIDTH / preview.width;
  const [ox, oy] = preview.origin;
  const overlaps = !preview.complete || overlapsContent(box, preview.boxes);
  /** The pointer's place on the page, in points. */
  const at = (e: PointerEvent<Element>): [number, number] => {
    const r = (e.currentTarget.closest('svg') ?? e.currentTarget).getBoundingClientRect();
    return [ox + (e.clientX - r.left) / scale, oy + preview.height - (e.clientY - r.top) / scale];
  };
  const startMove = (e: PointerEvent<SVGRectElement>) => {
    e.stopPropagation();
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { kind: 'move', px: e.clientX, py: e.clientY, x: box.x, y: box.y };
  };
  const startDraw = (e: PointerEvent<SVGSVGElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { kind: 'draw', from: at(e), before: box };
  };
  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    if (d?.kind === 'move')
      setBox(
        onSheet({ ...box, x: d.x + (e.clientX - d.px) / scale, y: d.y - (e.clientY - d.py) / scale }, preview, true),
      );
    if (d?.kind === 'draw') setBox(drawnBox(box.page, d.from, at(e), preview));
  };
  const onPointerUp = (e: PointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    drag.current = null;
    if (d?.kind !== 'draw' || isDrawn(box)) return;
    const [x, y] = at(e); // a click, not a rectangle: the box keeps its size and is centred there
    setBox(onSheet({ ...d.before, x: x - d.before.w / 2, y: y - d.before.h / 2 }, preview, true));
  };
  const onKey = (e: KeyboardEvent) => {
    const step = e.shiftKey ? 20 : 5;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, step],
      ArrowDown: [0, -step],
    };
    const m = moves[e.key];
    if (!m) return;
    e.preventDefault();
    setBox(onSheet({ ...box, x: box.x + m[0], y: box.y + m[1] }, preview));
  };
  const num = (key: keyof Box, label: string) => (
    <label>
      {label}{' '}
      <input
        type="number"
        value={Math.round(box[key])}
        min={key === 'page' ? 1 : 0}
        max={key === 'page' ? preview.pages : undefined}
        onChange={(e) =>
          setBox(
            key === 'page'
              ? { ...box, page: Number(e.target.value) || 1 }
              : onSheet({ ...box, [key]: Number(e.target.value) }, preview),
          )
        }
      />
    </label>
  );
  const drawn = draw.state === 'drawn';
  return (
    <div className="placement">
      <div className="page-view">
        <PagePreview pdf={pdf} page={preview.page} box={preview} cssWidth={PREVIEW_WIDTH} onState={setDraw} />
        <svg
          width={PREVIEW_WIDTH}
          height={preview.height * scale}
          viewBox={`${ox} ${oy} ${preview.width} ${preview.height}`}
          role="img"
          aria-label={`Page ${box.page} of ${preview.pages} with the seal's box`}
          onPointerDown={startDraw}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={() => (drag.current = null)}
        >
          <g transform={`translate(0 ${2 * oy + preview.height}) scale(1 -1)`}>
            <rect
              x={ox}
              y={oy}
              width={preview.width}
              height={preview.height}
              className={`sheet ${drawn ? 'drawn' : ''}`}
            />
            {draw.state === 'failed' &&
              preview.boxes.map(([x0, y0, x1, y1], i) => (
                <rect key={i} x={x0} y={y0} width={x1! - x0!} height={y1! - y0!} className="ink" />
              ))}
            <rect
              x={box.x}
              y={box.y}
              width={box.w}
              height={box.h}
              className={`seal ${overlaps ? 'over' : ''}`}
              tabIndex={0}
              role="slider"
              aria-label="Seal position (arrow keys move it)"
              aria-valuetext={`x ${Math.round(box.x)}, y ${Math.round(box.y)} points`}
              aria-valuenow={Math.round(box.x)}
              onPointerDown={startMove}
              onKeyDown={onKey}
            />
          </g>
        </svg>
        {draw.state === 'drawing' && (
          <p className="page-note" role="status">
            Drawing page {preview.page}…
          </p>
        )}
      </div>
      <p className="hint">
        Drag on the page to draw the seal's box, drag the box to move it; the numbers are in points.
      </p>
      {draw.state === 'failed' && (
        <p className="hint warn">
          The page could not be drawn ({draw.message}); the grey boxes show where it has content.
        </p>
      )}
      <div className="row">
        {num('page', 'Page')}
        {num('x', 'x')}
        {num('y', 'y')}
        {num('w', 'Width')}
        {num('h', 'Height')}
      </div>
      {overlaps && (
        <p className="hint warn" role="status">
          The box covers what the page already shows: move it to blank space.
        </p>
      )}
    </div>
  );
}
