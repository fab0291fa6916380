// The verification report as a PDF an auditor can file, drawn with pdf-lib (a new document, so save() is safe here).
import { PDFDocument, StandardFonts, rgb, type PDFFont } from 'pdf-lib';
import type { PdfReport } from '../pades/verify/types.js';
import { reportLines, type Tone } from './lines.js';

const A4 = [595.28, 841.89] as const;
const MARGIN = 50;
const COLORS: Record<Tone, ReturnType<typeof rgb>> = {
  normal: rgb(0.12, 0.14, 0.16),
  muted: rgb(0.35, 0.39, 0.43),
  passed: rgb(0.1, 0.5, 0.22),
  failed: rgb(0.81, 0.13, 0.16),
  indeterminate: rgb(0.6, 0.4, 0),
};

export async function pdfReport(
  reports: readonly PdfReport[],
  meta: { tool: string; generatedAt: string },
): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle('Signature verification report');
  doc.setProducer(meta.tool);
  doc.setCreationDate(new Date(meta.generatedAt));
  const fonts = {
    regular: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
  };
  let page = doc.addPage([...A4]);
  let y = A4[1] - MARGIN;
  for (const line of reportLines(reports, meta)) {
    const font = line.bold ? fonts.bold : fonts.regular;
    const x = MARGIN + (line.indent ?? 0);
    let gap = line.gapBefore ?? 0;
    for (const text of wrap(printable(line.text, font), font, line.size, A4[0] - MARGIN - x)) {
      y -= gap + line.size * 1.35;
      gap = 0;
      if (y < MARGIN) {
        page = doc.addPage([...A4]);
        y = A4[1] - MARGIN - line.size * 1.35;
      }
      page.drawText(text, { x, y, size: line.size, font, color: COLORS[line.tone ?? 'normal'] });
    }
  }
  return doc.save();
}

/** What the standard font cannot encode (outside WinAnsi) becomes '?'. */
function printable(text: string, font: PDFFont): string {
  return [...text]
    .map((ch) => {
      try {
        font.encodeText(ch);
        return ch;
      } catch {
        return '?';
      }
    })
    .join('');
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const word of text.split(/(\s+)/)) {
    const next = current + word;
    if (font.widthOfTextAtSize(next, size) <= width || current === '') current = next;
    else {
      out.push(current.trimEnd());
      current = word.trimStart();
    }
    while (font.widthOfTextAtSize(current, size) > width && current.length > 1) {
      let cut = current.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(current.slice(0, cut), size) > width) cut--;
      out.push(current.slice(0, cut));
      current = current.slice(cut);
    }
  }
  if (current.trim()) out.push(current.trimEnd());
  return out.length ? out : [''];
}
