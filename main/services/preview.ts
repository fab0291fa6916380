// A schematic page preview for placing a visible seal: the page's size and the boxes of what it draws.
import { PdfDocument, contentBoxes, mediaBox, pageCount, pageRef } from '../../core/pdf/index.js';
import { CoreError } from '../../core/errors.js';
import type { PagePreview } from '../../preload/api.js';

export function previewService() {
  return (r: { path: string; page: number }): PagePreview => {
    const doc = PdfDocument.openFile(r.path);
    try {
      const pages = pageCount(doc);
      if (r.page > pages) throw new CoreError('PDF_PAGE_NOT_FOUND', `the PDF has ${pages} page(s)`);
      const ref = pageRef(doc, r.page - 1);
      const [x0, y0, x1, y1] = mediaBox(doc, ref);
      const { boxes, complete } = contentBoxes(doc, ref, 2000);
      return { pages, width: x1 - x0, height: y1 - y0, origin: [x0, y0], boxes: boxes.map((b) => [...b]), complete };
    } finally {
      doc.close();
    }
  };
}
