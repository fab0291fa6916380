// The changes made after a signature's revision, judged by core/pdf over the object graph, plus bytes appended
// outside any revision. The signed revision is the one whose trailer chain ends where the signed bytes end.
import { CoreError, errorMessage } from '../../errors.js';
import {
  PdfDocument,
  SlicedSource,
  changesAfter,
  currentView,
  docMdpPermission,
  lockedFields,
  type Change,
  type CurrentView,
  type PdfSignatureField,
} from '../../pdf/index.js';
import type { VerifyContext } from './context.js';

const views = new WeakMap<PdfDocument, CurrentView>();

export function changesAfterSignature(ctx: VerifyContext, field: PdfSignatureField, signedEnd: number): Change[] {
  const out: Change[] = [];
  const lastEnd = ctx.revisionEnds.at(-1) ?? 0;
  const tail = Buffer.from(ctx.src.read(lastEnd, Math.min(64, ctx.src.size - lastEnd))).toString('latin1');
  if (ctx.src.size > lastEnd && !/^[\0\t\n\f\r ]*$/.test(tail)) {
    out.push({
      object: null,
      kind: 'other',
      allowed: false,
      detail: `${ctx.src.size - lastEnd} bytes follow the last %%EOF outside any revision`,
    });
  }
  if (signedEnd >= lastEnd) return out;
  let signed: PdfDocument;
  try {
    signed = PdfDocument.open(new SlicedSource(ctx.src, signedEnd), { tolerant: true, budget: ctx.doc.budget });
  } catch (err) {
    if (err instanceof CoreError && err.code === 'RESOURCE_LIMIT') throw err; // the file's limit, not this signature's
    return [
      ...out,
      {
        object: null,
        kind: 'unclassified',
        allowed: false,
        detail: `the signed revision cannot be read on its own (${errorMessage(err)})`,
      },
    ];
  }
  try {
    let current = views.get(ctx.doc);
    if (!current) views.set(ctx.doc, (current = currentView(ctx.doc)));
    const locked = lockedFields(ctx.doc, field.value, field.lock);
    // Objects found a few bytes from their stated offsets (listed as warnings) are the ones every reader finds; where
    // two readers could find different ones, ambiguities() has already failed the signature.
    return [...out, ...changesAfter(signed, ctx.doc, { signedEnd, docMdp: docMdpPermission(signed), locked, current })];
  } catch (err) {
    if (err instanceof CoreError && err.code === 'RESOURCE_LIMIT') throw err;
    return [
      ...out,
      {
        object: null,
        kind: 'unclassified',
        allowed: false,
        detail: `a later revision cannot be judged (${errorMessage(err)})`,
      },
    ];
  }
}
