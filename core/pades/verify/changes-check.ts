// The changes made after a signature's revision, classified by core/pdf, plus bytes appended outside any revision.
import { PdfDocument, SlicedSource, changesAfter, docMdpPermission, type Change } from '../../pdf/index.js';
import { errorMessage } from '../../errors.js';
import type { VerifyContext } from './context.js';

export function changesAfterSignature(ctx: VerifyContext, signedEnd: number): Change[] {
  const out: Change[] = [];
  const lastEnd = ctx.revisionEnds.at(-1) ?? 0;
  const tail = Buffer.from(ctx.src.read(lastEnd, Math.min(64, ctx.src.size - lastEnd))).toString('latin1');
  if (ctx.src.size > lastEnd && !/^[\0\t\n\f\r ]*$/.test(tail)) {
    out.push({ object: null, kind: 'other', allowed: false, detail: `${ctx.src.size - lastEnd} bytes follow the last %%EOF outside any revision` });
  }
  if (signedEnd >= lastEnd) return out;
  let signed: PdfDocument;
  try {
    signed = PdfDocument.open(new SlicedSource(ctx.src, signedEnd), { tolerant: true });
  } catch (err) {
    return [...out, { object: null, kind: 'other', allowed: false, detail: `the signed revision cannot be read on its own (${errorMessage(err)})` }];
  }
  const later = new Set<number>();
  for (const s of ctx.doc.sections) if (s.offset >= signedEnd) for (const n of s.entries.keys()) later.add(n);
  try {
    return [...out, ...changesAfter(signed, ctx.doc, later, docMdpPermission(signed))];
  } catch (err) {
    return [...out, { object: null, kind: 'other', allowed: false, detail: `a later revision cannot be read (${errorMessage(err)})` }];
  }
}
