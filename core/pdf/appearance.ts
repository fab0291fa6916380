// A visible seal's appearance (§12.5.5, §12.7.4.5): a form XObject with a frame and text lines in Helvetica, a
// standard font every viewer has, so poppler, mupdf and Acrobat draw it alike.
import { NewStream, PdfDict, name } from './objects.js';

const PAD = 4;

export function sealAppearance(width: number, height: number, lines: readonly string[]): NewStream {
  const size = fontSize(width, height, lines);
  const lead = size * 1.25;
  const ops = [
    'q',
    '0.15 0.3 0.6 RG 0.8 w',
    `0.4 0.4 ${num(width - 0.8)} ${num(height - 0.8)} re S`,
    'BT',
    `/F1 ${num(size)} Tf`,
    '0.1 0.1 0.1 rg',
  ];
  ops.push(`${PAD} ${num(height - PAD - size)} Td`, `${num(lead)} TL`);
  lines.forEach((line, i) => ops.push(`${i === 0 ? '' : 'T* '}(${winAnsi(fit(line, width, size))}) Tj`));
  ops.push('ET', 'Q');
  const font = PdfDict.of({
    Type: name('Font'),
    Subtype: name('Type1'),
    BaseFont: name('Helvetica'),
    Encoding: name('WinAnsiEncoding'),
  });
  const dict = PdfDict.of({
    Type: name('XObject'),
    Subtype: name('Form'),
    BBox: [0, 0, width, height],
    Resources: PdfDict.of({ Font: PdfDict.of({ F1: font }) }),
  });
  return new NewStream(dict, Buffer.from(ops.join('\n'), 'latin1'));
}

/** Helvetica's average advance is about half the size: shrink until the lines fit, from 10 pt down to 4 pt. */
function fontSize(width: number, height: number, lines: readonly string[]): number {
  const longest = Math.max(1, ...lines.map((l) => l.length));
  const byHeight = (height - 2 * PAD) / (lines.length * 1.25);
  const byWidth = (width - 2 * PAD) / (longest * 0.5);
  return Math.max(4, Math.min(10, byHeight, byWidth));
}

function fit(line: string, width: number, size: number): string {
  const max = Math.floor((width - 2 * PAD) / (size * 0.5));
  return line.length <= max ? line : `${line.slice(0, Math.max(1, max - 3))}...`;
}

/** WinAnsiEncoding's code points above Latin-1 (ISO 32000-1 Annex D.2), for the punctuation names often carry. */
const WIN_ANSI: Record<string, number> = {
  '€': 0x80,
  '‚': 0x82,
  '„': 0x84,
  '…': 0x85,
  '‘': 0x91,
  '’': 0x92,
  '“': 0x93,
  '”': 0x94,
  '•': 0x95,
  '–': 0x96,
  '—': 0x97,
  '™': 0x99,
  Œ: 0x8c,
  œ: 0x9c,
  Š: 0x8a,
  š: 0x9a,
  Ž: 0x8e,
  ž: 0x9e,
  Ÿ: 0x9f,
};

/** Text as WinAnsi string bytes (one char per byte); what WinAnsi lacks becomes '?'. Escapes the string delimiters. */
function winAnsi(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const mapped = WIN_ANSI[ch];
    const byte =
      mapped !== undefined ? String.fromCharCode(mapped) : c < 0x20 || (c >= 0x7f && c <= 0xa0) || c > 0xff ? '?' : ch;
    out += byte === '(' || byte === ')' || byte === '\\' ? `\\${byte}` : byte;
  }
  return out;
}

const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));
