// Verify any files (the CLI's `verify` and the desktop's Verify view): routes each input — a PDF alone, a file with
// its .p7s or .tsr (given, or found by name among the inputs), an enveloping .p7m — and verifies every one in a
// resource-limited worker (core/verify-isolated): no untrusted byte is parsed on the caller's thread.
import { availableParallelism } from 'node:os';
import { CoreError } from '../errors.js';
import type { Ledger } from '../ledger/index.js';
import { listTrustAnchors } from '../ledger/index.js';
import type { CadesReport, PdfReport, TokenVerification } from '../model/index.js';
import type { PdfLimits } from '../pdf/limits.js';
import { mapPool } from '../util/pool.js';
import { IsolatedVerifier, type IsolationLimits, type IsolationOptions } from '../verify-isolated/index.js';
import type { TlSnapshot } from '../tl/model.js';
import type { TlJobInput } from '../tl/assess.js';
import { planVerify, type VerifyTarget } from './verify-targets.js';

/** The worker's heap and clock, and the PDF reader's decode budget (`--max-heap-mb`, `--timeout-s`, ...). */
export type VerifyLimits = { readonly isolation: Partial<IsolationLimits>; readonly pdf: Partial<PdfLimits> };

/** Every option of `sealdesk verify` but the output ones (--report: export-report, --extract-revision). */
export type VerifyAnyOptions = {
  /** The signature of the one input (`--p7s`), or its token (`--tsr`; with --p7s: an extra token for the .p7s). */
  readonly p7s?: string;
  readonly tsr?: string;
  /** Trust anchors beyond the trust store (`--trust`), and test CAs reported as dev_ca (`--trust-dev`). */
  readonly trust?: readonly Uint8Array[];
  readonly trustDev?: readonly Uint8Array[];
  /** Certificates a token may need to find its TSA's (`--tsa-cert`). */
  readonly tsaCertificates?: readonly Uint8Array[];
  /** PDFs and CAdES: validate as at this time (`--at`; a CAdES signature's validation time when no trusted
   * time-stamp proves an earlier one). */
  readonly at?: Date;
  /** PDFs: fetch missing revocation data (`--online`), private addresses too (`--allow-private-network`). */
  readonly online?: boolean;
  readonly allowPrivateNetwork?: boolean;
  /** An enveloping .p7m: write its content here when the signature holds (`--extract`). */
  readonly extract?: string;
  readonly limits?: VerifyLimits;
  /** The EU trusted lists (core/tl/store.ts loadSnapshot): every signature and time-stamp gets its qualification. */
  readonly tl?: TlSnapshot | null;
  /** `--trust-eu`: certificates under granted CA/QC and TSA/QTST services of `tl` are trust anchors. */
  readonly trustEu?: boolean;
};

export type VerifyAnyContext = {
  readonly db: Ledger;
  /** Opened by the workers themselves with --online (revocation cache). */
  readonly ledgerPath: string;
  readonly tsaTimeoutMs?: number;
  readonly now?: () => Date;
};

export type VerifyAnyRun = {
  /** Once aborted, the files being verified are stopped (their workers ended) and they and the files not started end
   * as CANCELLED: a 100 MB PDF need not be read to its end. */
  readonly signal?: AbortSignal;
  /** A worker has started on `file` (the input's path as routed). */
  readonly onStarted?: (file: string) => void;
  /** Once the inputs are routed (done 0) and after each file. */
  readonly onItem?: (done: number, total: number) => void;
  /** Files verified at once, one worker each (default: the cores). */
  readonly threads?: number;
  /** How the user raises a limit, for RESOURCE_LIMIT messages (default: the CLI's flags). */
  readonly raiseWith?: IsolationOptions['raiseWith'];
};

type Named = { readonly file: string; readonly path: string };
export type VerifyAnyItem =
  | (Named & { readonly kind: 'pdf'; readonly report: PdfReport })
  | (Named & { readonly kind: 'p7s'; readonly report: CadesReport; readonly signature: string })
  | (Named & { readonly kind: 'p7m'; readonly report: CadesReport; readonly extractedTo: string | null })
  | (Named & { readonly kind: 'tsr'; readonly report: TokenVerification; readonly token: string })
  | (Named & { readonly error: unknown });

export async function verifyAny(
  ctx: VerifyAnyContext,
  inputs: readonly string[],
  o: VerifyAnyOptions = {},
  run: VerifyAnyRun = {},
): Promise<VerifyAnyItem[]> {
  const targets = await planVerify(inputs, { p7s: o.p7s, tsr: o.tsr });
  run.onItem?.(0, targets.length);
  const anchors = [...(o.trust ?? []), ...listTrustAnchors(ctx.db).map((a) => a.der)];
  const now = (ctx.now?.() ?? new Date()).toISOString();
  const threads = Math.max(1, Math.min(run.threads ?? availableParallelism(), targets.length));
  const verifier = new IsolatedVerifier({
    threads,
    limits: o.limits?.isolation,
    raiseWith: run.raiseWith,
    onStarted: run.onStarted,
  });
  const cancel = () => void verifier.close('cancelled');
  run.signal?.addEventListener('abort', cancel, { once: true });
  const tl: TlJobInput | null = o.tl ? { snapshot: o.tl, trustEu: o.trustEu === true, now } : null;
  const job = { ctx, o, anchors, now, verifier, tl };
  try {
    const settled = await mapPool(
      targets,
      threads,
      (t) => {
        if (run.signal?.aborted) throw new CoreError('CANCELLED', 'cancelled before it was verified');
        return verifyOne(job, t);
      },
      (done) => run.onItem?.(done, targets.length),
    );
    return settled.map(({ value, error }, i) => value ?? { file: targets[i]!.file, path: targets[i]!.path, error });
  } finally {
    run.signal?.removeEventListener('abort', cancel);
    await verifier.close();
  }
}

type Job = {
  ctx: VerifyAnyContext;
  o: VerifyAnyOptions;
  anchors: Uint8Array[];
  now: string;
  verifier: IsolatedVerifier;
  tl: TlJobInput | null;
};

async function verifyOne({ ctx, o, anchors, now, verifier, tl }: Job, t: VerifyTarget): Promise<VerifyAnyItem> {
  const { file, path } = t;
  const devAnchors = o.trustDev ?? [];
  const cadesAt = o.at?.toISOString() ?? now; // the CAdES verifier's validation time
  switch (t.kind) {
    case 'error':
      throw t.error;
    case 'pdf': {
      const online = o.online
        ? {
            ledgerPath: ctx.ledgerPath,
            timeoutMs: ctx.tsaTimeoutMs,
            allowPrivateNetwork: o.allowPrivateNetwork === true,
          }
        : null;
      const at = o.at?.toISOString() ?? null;
      const report = await verifier.run({
        kind: 'pdf',
        file: path,
        anchors,
        devAnchors,
        at,
        now,
        pdfLimits: o.limits?.pdf,
        online,
        tl,
      });
      return { file, path, kind: 'pdf', report };
    }
    case 'p7s': {
      const job = {
        kind: 'cades',
        file: path,
        signature: t.signature,
        content: path,
        tsr: o.p7s ? o.tsr : undefined,
        anchors,
        devAnchors,
        now: cadesAt,
        tl,
      } as const;
      return { file, path, kind: 'p7s', report: (await verifier.run(job)).report, signature: t.signature };
    }
    case 'p7m': {
      const r = await verifier.run({
        kind: 'cades',
        file: path,
        signature: path,
        extract: o.extract,
        anchors,
        devAnchors,
        now: cadesAt,
        tl,
      });
      return { file, path, kind: 'p7m', report: r.report, extractedTo: r.extractedTo };
    }
    case 'tsr': {
      const report = await verifier.run({
        kind: 'token-file',
        file: path,
        tsr: t.token,
        extraCertificates: o.tsaCertificates ?? [],
        anchors,
        tl,
      });
      return { file, path, kind: 'tsr', report, token: t.token };
    }
  }
}

/** The ETSI indication of any item's report (a file not evaluated has none). */
export function indicationOf(item: VerifyAnyItem): PdfReport['indication'] | null {
  return 'error' in item ? null : item.report.indication;
}
