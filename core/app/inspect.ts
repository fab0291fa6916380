// Every field of a time-stamp token (the CLI's `inspect`, the desktop's Inspect view), and saving the token or its TSA
// certificate from it: each token is read in a resource-limited worker (core/verify-isolated), a stranger's file too.
import type { TokenReport } from '../model/index.js';
import { IsolatedVerifier, runIsolated, type IsolationOptions } from '../verify-isolated/index.js';

export type InspectItem =
  { readonly file: string; readonly report: TokenReport } | { readonly file: string; readonly error: unknown };

/** Each file in turn, in one worker; a file that fails (unreadable, malformed, over a limit) fails alone. */
export async function inspectTokens(
  files: readonly string[],
  o: IsolationOptions & { readonly tsaCertificates?: readonly Uint8Array[] } = {},
): Promise<InspectItem[]> {
  const verifier = new IsolatedVerifier({ ...o, threads: 1 });
  const out: InspectItem[] = [];
  try {
    for (const file of files) {
      try {
        out.push({
          file,
          report: await verifier.run({ kind: 'inspect', file, extraCertificates: o.tsaCertificates ?? [] }),
        });
      } catch (error) {
        out.push({ file, error });
      }
    }
  } finally {
    await verifier.close();
  }
  return out;
}

/** The token's raw DER (a .tsr holds a TimeStampResp; the TimeStampToken in it) or its TSA certificate (PEM). */
export function exportFromToken(
  file: string,
  what: 'token' | 'tsa-certificate',
  out: string,
  o: IsolationOptions = {},
): Promise<{ path: string }> {
  return runIsolated({ kind: 'inspect-export', file, what, out }, o);
}
