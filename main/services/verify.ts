// Verify and Inspect views: thin adapters from the IPC requests to core/app (verify-any, inspect, export-report,
// extract-revision), which the CLI calls too. Every untrusted file is parsed in a resource-limited worker, never here:
// a hostile file ends as RESOURCE_LIMIT and the app keeps answering. Offline, against the trust store.
import { join } from 'node:path';
import { exportReport } from '../../core/app/export-report.js';
import { extractRevision } from '../../core/app/extract-revision.js';
import { exportFromToken, inspectTokens } from '../../core/app/inspect.js';
import {
  verifyAny,
  type VerifyAnyContext,
  type VerifyAnyItem,
  type VerifyAnyOptions,
} from '../../core/app/verify-any.js';
import { estimateTargets } from '../../core/app/verify-targets.js';
import type { Ledger } from '../../core/ledger/index.js';
import { loadSnapshot } from '../../core/tl/store.js';
import type { IsolationOptions } from '../../core/verify-isolated/index.js';
import type { InspectedToken, RequestOf, VerifyItem } from '../../preload/api.js';
import { itemError, type ServiceContext } from './context.js';
import { certificatesInFile } from './settings.js';

/** How a desktop user raises a limit: Verify's Options panel (or the CLI's flags). */
const DESKTOP_RAISE = {
  heap: 'Verify → Options → Limits (memory per file) can allow more',
  timeout: 'Verify → Options → Limits (time per file) can allow more',
};
const isolation = (c?: ServiceContext): IsolationOptions => ({
  limits: c?.opts.verifyLimits,
  raiseWith: DESKTOP_RAISE,
});
const limits = (c: ServiceContext) => ({ isolation: c.opts.verifyLimits ?? {}, pdf: {} });

const context = (c: ServiceContext, db: Ledger): VerifyAnyContext => ({
  db,
  ledgerPath: join(c.opts.dataDir, 'ledger.sqlite'),
  tsaTimeoutMs: c.opts.tsaTimeoutMs,
});

/** A verify request's options (`sealdesk verify`'s flags) once main turned its handles into paths. */
export type VerifyRequestOptions = Omit<RequestOf<'verify:files'>, 'paths' | 'extractAs'> & { extract?: string };

/** The request's options for core/app: the anchor files read, the limits in core's units. */
async function verifyOptions(c: ServiceContext, r: VerifyRequestOptions): Promise<VerifyAnyOptions> {
  const mb = (n: number | undefined) => (n === undefined ? undefined : n * 1024 * 1024);
  return {
    trust: await readCertificates(r.trust),
    trustDev: await readCertificates(r.trustDev),
    tsaCertificates: await readCertificates(r.tsaCertificates),
    at: r.at === undefined ? undefined : new Date(r.at),
    online: r.online,
    allowPrivateNetwork: r.allowPrivateNetwork,
    extract: r.extract,
    // The cached EU trusted lists (`sealdesk tl`, same data folder): every card shows the qualified status.
    tl: await loadSnapshot(c.opts.dataDir),
    trustEu: r.trustEu,
    limits: {
      isolation: { ...c.opts.verifyLimits, ...defined({ maxHeapMb: r.maxHeapMb, timeoutS: r.timeoutS }) },
      pdf: defined({ maxDecodedBytes: mb(r.maxDecodedMb), maxObjects: r.maxObjects }),
    },
  };
}
const defined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
const readCertificates = async (paths: readonly string[] = []): Promise<Uint8Array[]> =>
  (await Promise.all(paths.map(certificatesInFile))).flat().map((x) => x.der);

export function verifyService(c: ServiceContext) {
  return (r: { paths: string[] } & VerifyRequestOptions): Promise<VerifyItem[]> => verifyBatch(c, r.paths, {}, r);
}

/** How many documents a verification of these inputs reports, as far as known before reading them (the job's total). */
export const verifyTotal = (paths: readonly string[]): number => estimateTargets(paths);

/** Verifies each document (PDFs alone, other files with their .p7s/.tsr, .p7m); once aborted, starts no new one. */
export function verifyBatch(
  c: ServiceContext,
  given: readonly string[],
  o: { signal?: AbortSignal; onItem?: (done: number, total: number) => void },
  options: VerifyRequestOptions = {},
): Promise<VerifyItem[]> {
  return c.withDb(async (db) => {
    const opts = await verifyOptions(c, options);
    const items = await verifyAny(context(c, db), given, opts, { ...o, raiseWith: DESKTOP_RAISE });
    return items.map(verifyItem);
  });
}

function verifyItem(i: VerifyAnyItem): VerifyItem {
  if ('error' in i) return { file: i.path, error: itemError(i.error) };
  switch (i.kind) {
    case 'pdf':
      return { file: i.path, kind: 'pdf', report: i.report };
    case 'p7s':
      return { file: i.path, kind: 'p7s', report: i.report };
    case 'p7m':
      return { file: i.path, kind: 'p7m', report: i.report };
    case 'tsr':
      return { file: i.path, kind: 'tsr', report: i.report };
  }
}

export function inspectService(c?: ServiceContext) {
  return async (r: { path: string; tsaCertificates?: string[] }): Promise<InspectedToken> => {
    const tsaCertificates = await readCertificates(r.tsaCertificates);
    const [item] = await inspectTokens([r.path], { ...isolation(c), tsaCertificates });
    if (!item || 'error' in item) throw item?.error;
    const report = item.report;
    // Plain data for the renderer: certificates as base64 DER, for "download raw DER".
    const b64 = (der: Uint8Array) => Buffer.from(der).toString('base64');
    return {
      ...report,
      signerDer: report.signerDer ? b64(report.signerDer) : null,
      certificates: report.certificates.map(b64),
    };
  };
}

/** Inspect → save: the token's raw DER or the TSA's certificate (PEM), where main's save dialog said. */
export function inspectExportService(c?: ServiceContext) {
  return (r: { path: string; what: 'token' | 'tsa-certificate'; out: string }): Promise<{ path: string }> =>
    exportFromToken(r.path, r.what, r.out, isolation(c));
}

export function reportServices(c: ServiceContext) {
  return {
    /** Verifies again (the report must say what was checked now) and writes HTML or PDF by extension. */
    /** `run`: the job's cancel signal and progress (main/services/jobs.ts runs it as a `report` job). */
    report: (
      r: RequestOf<'verify:report'>,
      run: { signal?: AbortSignal; onItem?: (done: number, total: number) => void } = {},
    ): Promise<{ path: string }> =>
      c.withDb(async (db) => {
        const done = await exportReport(
          context(c, db),
          r.paths,
          r.out,
          { tool: `Sealdesk ${c.opts.version}`, limits: limits(c) },
          { ...run, raiseWith: DESKTOP_RAISE },
        );
        return { path: done.path };
      }),
    extractRevision: async (r: RequestOf<'verify:extractRevision'>) => {
      const x = await extractRevision(r.path, r.revision, r.out, isolation(c));
      return { path: x.path, bytes: x.bytes };
    },
  };
}
