// "Via server" from the desktop (issue 17, "Remote work"): Stamp, Seal and Restamp requests marked remote go to
// core/app/remote-{stamp,seal,restamp}.ts — the same functions as `stamp --remote`, `seal --remote-cert` and
// `restamp --remote` — through the signed-in account's client (ACCOUNT_NONE without one). Offline, each is queued in
// the outbox and background sync sends it. Main asked the user before a file to seal via the server left the machine
// (main/remote-seal-confirm.ts).
import { remoteRestamp } from '../../core/app/remote-restamp.js';
import { remoteSealInputs, type RemoteSealItem } from '../../core/app/remote-seal.js';
import { remoteStampInputs, type RemoteStampItem } from '../../core/app/remote-stamp.js';
import { CoreError } from '../../core/errors.js';
import { openRemoteClient } from '../../core/sync/http.js';
import type { AccountStore, RemoteClient } from '../../core/sync/types.js';
import type { RequestOf, RestampOneItem, SealItem, ServerCertificate, StampItem } from '../../preload/api.js';
import { itemError, type ServiceContext } from './context.js';

/** The account's client; a refreshed password session is written back to the store. */
export async function remoteClientOf(store: AccountStore): Promise<RemoteClient> {
  const account = await store.read();
  if (!account)
    throw new CoreError('ACCOUNT_NONE', 'no account: sign in under Settings → Account to work via the server');
  return openRemoteClient(account, { onCredential: (credential) => store.write({ ...account, credential }) });
}

export function remoteWork(c: ServiceContext, store: AccountStore) {
  const client = () => remoteClientOf(store);
  return {
    client,
    /** Only each file's hash leaves; the .tsr is written beside it as a local stamp's. */
    stamp: async (r: { paths: string[]; tsa?: string; label?: string; force?: boolean }): Promise<StampItem[]> => {
      const remote = await client();
      const o = { tsa: r.tsa, label: r.label, force: r.force };
      return c.withDb(async (db) => (await remoteStampInputs(c.stampContext(db), remote, r.paths, o)).map(stampItem));
    },
    /** The files go to the server (main asked first), the seal comes back verified and is written beside each. */
    seal: async (r: RequestOf<'seal:files'> & { remoteCert: string }): Promise<SealItem[]> => {
      const remote = await client();
      const o = { certificateId: r.remoteCert, label: r.label, reason: r.reason, location: r.location };
      return c.withDb(async (db) =>
        (await remoteSealInputs({ db, now: () => new Date() }, remote, r.paths, o)).map(sealItem),
      );
    },
    restamp: async (r: { id: string; tsa?: string }): Promise<RestampOneItem> => {
      const remote = await client();
      return c.withDb(async (db) => {
        const x = await remoteRestamp(c.stampContext(db), remote, r.id, { tsa: r.tsa });
        const common = { kind: 'stamp' as const, id: x.parent.id, missingValidationData: [] };
        if (x.kind === 'queued') return { ...common, newId: null, tsaName: null, path: '' };
        return { ...common, newId: x.record.id, tsaName: x.record.tsaName, path: x.tsrPath };
      });
    },
    certificates: async (): Promise<ServerCertificate[]> => {
      const list = await (
        await client()
      ).json<{ id: string; label?: string; status?: string }[]>({
        method: 'GET',
        path: '/seal/certificates',
      });
      return list.map((x) => ({ id: x.id, label: x.label ?? x.id, status: x.status ?? 'unknown' }));
    },
  };
}

export type RemoteWork = ReturnType<typeof remoteWork>;

function stampItem(i: RemoteStampItem): StampItem {
  if (!i.ok) return { file: i.file, error: itemError(i.error) };
  if (i.outcome.kind === 'queued') return { file: i.file, queued: true };
  const rec = i.outcome.record;
  return {
    file: i.file,
    tsaName: rec.tsaName,
    genTime: rec.genTime,
    serial: rec.serialHex,
    tsrPath: i.outcome.tsrPath,
  };
}

function sealItem(i: RemoteSealItem): SealItem {
  if ('error' in i) return { file: i.path, error: itemError(i.error) };
  if (i.outcome.kind !== 'sealed') return { file: i.path, queued: true };
  const o = i.outcome;
  return { file: i.path, outputPath: o.outputPath, format: o.format, timestampedBy: o.timestampedBy, warnings: [] };
}
