// Resource limits for reading untrusted PDFs (ISO 32000-1 §7.3–7.5; limits in the spirit of Annex C): a decode budget per
// document, so a hostile file ends as RESOURCE_LIMIT instead of exhausting the machine.
//
// Defaults, and why:
// - maxDecodedBytes = 200 MiB: the sum of every stream's decompressed output (each filter stage counts, and unfiltered
//   stream data handed out in memory) that one opened document may produce: cross-reference streams, object streams,
//   /DSS certificates, OCSP responses and CRLs, and page content when a visible seal looks for free space. Page images
//   and fonts are never decoded. The corpus's largest need is 23 KB; a 100 MB+ PDF whose DSS holds 100 MB of CRLs
//   still fits; a 256 MiB Flate bomb (1 KB of file per MiB) does not, and inflating stops at the limit, so memory stays
//   bounded by it. Each stream is decoded at most once per document (the result is kept), so the budget is spent on
//   distinct data. `sealdesk verify --max-decoded-mb N` raises it.
// - maxObjects = 2,000,000: cross-reference entries over all revisions, plus the objects object streams declare, plus
//   the /DSS list entries read (each costs memory or a lookup). Files with 100,000 objects are already large; the
//   corpus's largest has 3,505. `--max-objects N` raises it.
import { CoreError } from '../errors.js';

export type PdfLimits = {
  /** Total decompressed bytes one document may produce. */
  readonly maxDecodedBytes: number;
  /** Cross-reference entries (all sections), objects declared by object streams, /DSS list entries read. */
  readonly maxObjects: number;
};

export const DEFAULT_PDF_LIMITS: PdfLimits = Object.freeze({
  maxDecodedBytes: 200 * 1024 * 1024,
  maxObjects: 2_000_000,
});

/** The defaults with `partial` over them; each given value must be a positive integer. */
export function pdfLimits(partial: Partial<PdfLimits> = {}): PdfLimits {
  const out = { ...DEFAULT_PDF_LIMITS };
  for (const key of ['maxDecodedBytes', 'maxObjects'] as const) {
    const v = partial[key];
    if (v === undefined) continue;
    if (!Number.isSafeInteger(v) || v <= 0)
      throw new CoreError('USAGE', `the PDF limit ${key} must be a positive integer (got ${String(v)})`);
    out[key] = v;
  }
  return Object.freeze(out);
}

const mib = (n: number): string => `${Math.round((n / (1024 * 1024)) * 10) / 10} MiB`;

/** What one open document has spent of its limits; exceeding one throws RESOURCE_LIMIT. */
export class DecodeBudget {
  private decoded = 0;
  private objects = 0;
  constructor(readonly limits: PdfLimits = DEFAULT_PDF_LIMITS) {}

  get decodedBytes(): number {
    return this.decoded;
  }

  get objectCount(): number {
    return this.objects;
  }

  /** Bytes that may still be decoded (a decoder's output cap). */
  get remainingBytes(): number {
    return Math.max(0, this.limits.maxDecodedBytes - this.decoded);
  }

  chargeBytes(n: number): void {
    if (this.decoded + n > this.limits.maxDecodedBytes) throw this.bytesExceeded();
    this.decoded += n;
  }

  bytesExceeded(): CoreError {
    const max = this.limits.maxDecodedBytes;
    return new CoreError(
      'RESOURCE_LIMIT',
      `the PDF's streams decompress to more than ${mib(max)} (${max} bytes, the decode budget per document); ` +
        'if the file is legitimate, raise it with --max-decoded-mb',
    );
  }

  /** Counts objects before the tables that hold them are built. */
  chargeObjects(n: number): void {
    const max = this.limits.maxObjects;
    if (this.objects + n > max) {
      throw new CoreError(
        'RESOURCE_LIMIT',
        `the PDF declares more than ${max.toLocaleString('en-US')} objects (the object limit per document); ` +
          'if the file is legitimate, raise it with --max-objects',
      );
    }
    this.objects += n;
  }
}
