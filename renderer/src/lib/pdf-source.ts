// The one place the renderer asks main for a PDF's bytes (`pdf:bytes`, a range at a time): the page previews, the
// Verify view's document and "Compare signed version" all read through here.
import type { PagePreview, PdfBytes } from '../../../preload/api.js';
import { api } from '../api.js';

/** A PDF to draw: a file main gave us a handle for, or its signed revision (the file read as if it ended at `end`,
 * a signature's ByteRange end). */
export type PdfSource = { readonly file: string; readonly end?: number };

export async function pdfBytes(src: PdfSource, offset: number, length: number): Promise<PdfBytes> {
  const limit = src.end === undefined ? {} : { end: src.end };
  const r = await api().pdfBytes({ file: src.file, offset, length, ...limit });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** The same source, as a key for React and caches. */
export const sourceKey = (src: PdfSource): string => `${src.file}\u0000${src.end ?? ''}`;

/** A page's size and the boxes of what it draws (main's scanner), for placing a visible seal. */
export async function pdfPage(file: string, page: number): Promise<PagePreview> {
  const r = await api().pdfPage({ file, page });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
