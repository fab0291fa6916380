// ETSI EN 319 142-1 §5.4.3: a document time-stamp (/DocTimeStamp, /SubFilter /ETSI.RFC3161) over the whole file
// as it stands, in a revision of its own.
import type { StagedFile } from '../fs/staged.js';
import { PdfDocument } from '../pdf/index.js';
import { timestampDigest, type TimestampOutcome } from '../stamp/seal-timestamp.js';
import type { StampContext } from '../stamp/context.js';
import { appendSignedRevision } from './revision.js';

/** Typical tokens are 3–7 KiB with the TSA's chain; a larger one is laid out again. */
const TOKEN_RESERVE = 10 * 1024;

/** Appends a document time-stamp; when no TSA answers, appends nothing and returns the failures. */
export async function appendDocTimestamp(
  ctx: StampContext,
  staged: StagedFile,
  tsa: string,
  operationId: string,
): Promise<TimestampOutcome> {
  const doc = PdfDocument.openFile(staged.tempPath);
  let outcome: TimestampOutcome = { token: null, provider: null, failures: [] };
  try {
    await appendSignedRevision(staged, doc, { kind: 'doc-timestamp' }, TOKEN_RESERVE, async (digest) => {
      outcome = await timestampDigest(ctx, digest, tsa, operationId);
      return outcome.token;
    });
  } finally {
    doc.close();
  }
  return outcome;
}
