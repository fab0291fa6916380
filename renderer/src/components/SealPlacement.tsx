// Where a visible seal goes: the page as pdf.js draws it (a schematic of its size and content boxes if it cannot) with
// the seal's box, moved by dragging, the arrow keys or the numbers; it warns when the box covers page content (the
// content boxes come from main's scanner, whatever the drawing shows).
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { PagePreview as PageFacts } from '../../../preload/api.js';
import { api } from '../api.js';
import { PagePreview, type PageDrawState } from './PagePreview.js';

type Box = { page: number; x: number; y: number; w: number; h: number };
const PREVIEW_WIDTH = 280;

export function SealPlacement({ pdf, onChange }: { pdf: string; onChange: (spec: string) => void }) {
  const [box, setBox] = useState<Box>({ page: 1, x: 340, y: 40, w: 200, h: 60 });
  const [preview, setPreview] = useState<(PageFacts & { readonly page: number }) | null>(null);
  const [draw, setDraw] = useState<PageDrawState>({ state: 'drawing' });
  const [error, setError] = useState<string | null>(null);
  const drag = useRef<{ px: number; py: number; x: number; y: number } | null>(null);
  useEffect(() => {
    const page = box.page;
    void api().pdfPage({ path: pdf, page }).then((r) => (r.ok ? (setPreview({ ...r.value, page }), setError(null)) : setError(r.error.message)));
  }, [pdf, box.page]);
  useEffect(() => onChange(`${box.page}:${Math.round(box.x)},${Math.round(box.y)},${Math.round(box.w)},${Math.round(box.h)}`), [box, onChange]);
  if (error) return <p className="error">{error}</p>;
  if (!preview) return <p className="hint">Reading the page…</p>;
  const scale = PREVIEW_WIDTH / preview.width;
  const [ox, oy] = preview.origin;
  const clamp = (b: Box): Box => ({ ...b, x: Math.min(Math.max(ox, b.x), ox + preview.width - b.w), y: Math.min(Math.max(oy, b.y), oy + preview.height - b.h) });
  const overlaps = !preview.complete || preview.boxes.some(([x0, y0, x1, y1]) => x0! < box.x + box.w && box.x < x1! && y0! < box.y + box.h && box.y < y1!);
  const onPointerDown = (e: PointerEvent<SVGRectElement>) => {
    (e.target as SVGRectElement).setPointerCapture(e.pointerId);
    drag.current = { px: e.clientX, py: e.clientY, x: box.x, y: box.y };
  };
  const onPointerMove = (e: PointerEvent<SVGRectElement>) => {
    const d = drag.current;
    if (d) setBox(clamp({ ...box, x: d.x + (e.clientX - d.px) / scale, y: d.y - (e.clientY - d.py) / scale }));
  };
  const onKey = (e: KeyboardEvent) => {
    const step = e.shiftKey ? 20 : 5;
    const moves: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    const m = moves[e.key];
    if (!m) return;
    e.preventDefault();
    setBox(clamp({ ...box, x: box.x + m[0], y: box.y + m[1] }));
  };
  const num = (key: keyof Box, label: string) => (
    <label>
      {label} <input type="number" value={Math.round(box[key])} min={key === 'page' ? 1 : 0} max={key === 'page' ? preview.pages : undefined} onChange={(e) => setBox(key === 'page' ? { ...box, page: Number(e.target.value) || 1 } : clamp({ ...box, [key]: Number(e.target.value) }))} />
    </label>
  );
  const drawn = draw.state === 'drawn';
  return (
    <div className="placement">
      <div className="page-view">
        <PagePreview pdf={pdf} page={preview.page} box={preview} cssWidth={PREVIEW_WIDTH} onState={setDraw} />
        <svg width={PREVIEW_WIDTH} height={preview.height * scale} viewBox={`${ox} ${oy} ${preview.width} ${preview.height}`} role="img" aria-label={`Page ${box.page} of ${preview.pages} with the seal's box`}>
          <g transform={`translate(0 ${2 * oy + preview.height}) scale(1 -1)`}>
            <rect x={ox} y={oy} width={preview.width} height={preview.height} className={`sheet ${drawn ? 'drawn' : ''}`} />
            {draw.state === 'failed' && preview.boxes.map(([x0, y0, x1, y1], i) => <rect key={i} x={x0} y={y0} width={x1! - x0!} height={y1! - y0!} className="ink" />)}
            <rect x={box.x} y={box.y} width={box.w} height={box.h} className={`seal ${overlaps ? 'over' : ''}`} tabIndex={0} role="slider" aria-label="Seal position (arrow keys move it)" aria-valuetext={`x ${Math.round(box.x)}, y ${Math.round(box.y)} points`} aria-valuenow={Math.round(box.x)} onPointerDown={onPointerDown} onPointerMove={onPointerMove} onPointerUp={() => (drag.current = null)} onKeyDown={onKey} />
          </g>
        </svg>
        {draw.state === 'drawing' && <p className="page-note" role="status">Drawing page {preview.page}…</p>}
      </div>
      {draw.state === 'failed' && <p className="hint warn">The page could not be drawn ({draw.message}); the grey boxes show where it has content.</p>}
      <div className="row">{num('page', 'Page')}{num('x', 'x')}{num('y', 'y')}{num('w', 'Width')}{num('h', 'Height')}</div>
      {overlaps && <p className="hint warn" role="status">The box covers what the page already shows: move it to blank space.</p>}
    </div>
  );
}
