// A progress line rewritten in place, at most ten times a second (a terminal cannot show more, and writing a line per
// item costs a bulk run CPU it needs for the items); the last state is always shown.
export type ProgressState = { readonly done: number; readonly failed: number; readonly total: number };

export function progressLine(
  write: (text: string) => void,
  render: (p: ProgressState) => string,
  everyMs = 100,
): (p: ProgressState) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    const finished = p.done + p.failed >= p.total;
    if (!finished && now - last < everyMs) return;
    last = now;
    write(`\r${render(p)}   `);
  };
}
