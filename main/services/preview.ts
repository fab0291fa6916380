// The Seal view's page preview: the page's size and the boxes of what it draws (for the overlap warning), and the
// PDF's bytes a range at a time for the renderer's pdf.js, which draws the page itself.
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { PdfDocument, contentBoxes, mediaBox, pageCount, pageRef } from '../../core/pdf/index.js';
import { CoreError, InputError } from '../../core/errors.js';
import { describeFsError } from '../../core/hash/hash-file.js';
import { PDF_BYTES_MAX, type PagePreview, type PdfBytes } from '../../preload/api.js';

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

/**
 * `pdf:bytes`: up to `length` bytes from `offset` (fewer at the end of the file), at most PDF_BYTES_MAX a request, so
 * the renderer never holds more of a large PDF than the page needs. Only files that start as a PDF are read: this is
 * no general way to read files. With `end`, only the file's first `end` bytes exist (a signed revision).
 */
export function pdfBytesService() {
  return async (r: { path: string; offset: number; length: number; end?: number }): Promise<PdfBytes> => {
    if (r.length > PDF_BYTES_MAX)
      throw new CoreError(
        'USAGE',
        `the page preview reads at most ${PDF_BYTES_MAX / 1024 / 1024} MiB of a PDF at a time (${r.length} bytes were asked for)`,
      );
    const file = await open(r.path, 'r').catch((err: NodeJS.ErrnoException) => {
      throw unreadable(r.path, err);
    });
    try {
      // `end`: the file read as if it stopped there (a signed revision is the file's prefix up to its ByteRange's end).
      const size = Math.min((await file.stat()).size, r.end ?? Infinity);
      const head = await readAt(file, r.path, 0, 5);
      if (Buffer.from(head).toString('latin1') !== '%PDF-')
        throw new CoreError('PDF_MALFORMED', `${basename(r.path)} is not a PDF (it does not start with %PDF-)`);
      return { size, bytes: await readAt(file, r.path, r.offset, Math.max(0, Math.min(r.length, size - r.offset))) };
    } finally {
      await file.close();
    }
  };
}

async function readAt(file: FileHandle, path: string, offset: number, length: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await file
      .read(bytes, got, length - got, offset + got)
      .catch((err: NodeJS.ErrnoException) => {
        throw unreadable(path, err);
      });
    if (bytesRead === 0) break; // the file shrank under us: the caller sees fewer bytes
    got += bytesRead;
  }
  return got === length ? bytes : bytes.subarray(0, got);
}

const unreadable = (path: string, err: NodeJS.ErrnoException) =>
  new InputError('INPUT_UNREADABLE', `cannot read ${path}: ${describeFsError(err)}`, { cause: err });
