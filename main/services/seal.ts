// Seal view: a thin adapter from the IPC request to core/app/seal-any (the CLI's `seal` calls the same function), with
// a certificate of the ledger or the default seal; every option of `sealdesk seal` but --out (outputs go beside).
import { sealAny, type SealAnyItem } from '../../core/app/seal-any.js';
import type { SignerSpec } from '../../core/app/open-signer.js';
import { expandInputs } from '../../core/app/expand-inputs.js';
import { listCertificates } from '../../core/ledger/index.js';
import { CoreError } from '../../core/errors.js';
import type { CertificateItem, RequestOf, SealItem } from '../../preload/api.js';
import { itemError, type ServiceContext } from './context.js';
import type { RemoteWork } from './remote.js';

export function sealService(
  c: ServiceContext,
  defaultPassphrase: () => string | undefined = () => undefined,
  remote?: RemoteWork,
) {
  return (r: RequestOf<'seal:files'>): Promise<SealItem[]> =>
    r.remoteCert && remote ? remote.seal({ ...r, remoteCert: r.remoteCert }) : sealBatch(c, r, defaultPassphrase(), {});
}

/** How many items a seal of these inputs reports (for the job's total): each file, folders expanded. */
export const sealTotal = (paths: readonly string[]): number =>
  expandInputs(paths, { skip: 'companions' }).entries.length;

/** Seals every file with one signer (opened once); once `signal` is aborted the files not started end as CANCELLED. */
export function sealBatch(
  c: ServiceContext,
  r: RequestOf<'seal:files'>,
  passphrase: string | undefined,
  o: { signal?: AbortSignal; onItem?: (done: number) => void },
): Promise<SealItem[]> {
  if (r.remoteCert) throw new CoreError('NOT_SUPPORTED', 'a seal via the server goes through the remote seal service');
  const signer: SignerSpec = r.certificateId
    ? { kind: 'certificate', id: r.certificateId, pin: r.pin, password: r.password }
    : { kind: 'default', passphrase: passphrase ?? r.password }; // no keychain: the passphrase given with this request
  const options = {
    signer,
    level: r.level,
    tsa: r.tsa,
    reason: r.reason,
    location: r.location,
    contact: r.contact,
    visible: r.visible,
    label: r.label,
    rsaPss: r.rsaPss,
  };
  return c.withDb(async (db) => {
    const items = await sealAny({ ...c.stampContext(db), home: c.opts.dataDir }, r.paths, options, {
      signal: o.signal,
      onItem: o.onItem,
      concurrency: 1, // one by one, as the view shows them: a cancel stops at the next file
    });
    return items.map(sealItem);
  });
}

function sealItem(i: SealAnyItem): SealItem {
  if ('error' in i) return { file: i.path, error: itemError(i.error) };
  const { outputPath, timestampedBy, queued } = i.outcome;
  if (i.kind === 'cades')
    return { file: i.path, outputPath, format: 'cades', level: null, timestampedBy, queued, warnings: [] };
  return {
    file: i.path,
    outputPath,
    format: 'pades',
    level: i.outcome.level,
    timestampedBy,
    queued,
    warnings: i.outcome.warnings,
  };
}

export function certsService(c: ServiceContext) {
  return (): Promise<CertificateItem[]> =>
    c.withDb((db) =>
      listCertificates(db).map((x) => ({
        id: x.id,
        label: x.label,
        kind: x.kind,
        subject: x.subject,
        status: x.status,
        notAfter: x.notAfter,
      })),
    );
}
