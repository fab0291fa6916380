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
import type {
  RequestOf,
  RestampItem,
  RestampOneItem,
  SealItem,
  ServerCertificate,
  StampItem,
} from '../../preload/api.js';
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
    stamp: async (r: {
      paths: string[];
      tsa?: string;
      label?: string;
      force?: boolean;
      qualified?: boolean;
    }): Promise<StampItem[]> => {
      const remote = await client();
      const o = { tsa: r.tsa, label: r.label, force: r.force, qualified: r.qualified };
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
    /** The Restamp view's chosen chains via the server, one after another (a cancel stops before the next). */
    restampMany: async (
      ids: readonly string[],
      o: { tsa?: string; signal?: AbortSignal; onItem?: (done: number) => void },
    ): Promise<RestampItem[]> => {
      const remote = await client();
      const items: RestampItem[] = [];
      for (const id of ids) {
        const base = { file: '', stampId: id, kind: 'stamp' as const };
        if (o.signal?.aborted) items.push({ ...base, newId: null, error: itemError(cancelled()) });
        else
          try {
            const x = await c.withDb((db) => remoteRestamp(c.stampContext(db), remote, id, { tsa: o.tsa }));
            const file = x.parent.filePath ?? '';
            items.push({ ...base, file, newId: x.kind === 'queued' ? null : x.record.id });
          } catch (err) {
            items.push({ ...base, newId: null, error: itemError(err) });
          }
        o.onItem?.(items.length);
      }
      return items;
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

const cancelled = () => new CoreError('CANCELLED', 'cancelled before it was sent');

function stampItem(i: RemoteStampItem): StampItem {
  if (!i.ok) return { file: i.file, error: itemError(i.error), server: true };
  if (i.outcome.kind === 'queued') return { file: i.file, queued: true, server: true };
  const rec = i.outcome.record;
  const stamped = { tsaName: rec.tsaName, genTime: rec.genTime, serial: rec.serialHex, tsrPath: i.outcome.tsrPath };
  return { file: i.file, ...stamped, server: true };
}

function sealItem(i: RemoteSealItem): SealItem {
  if ('error' in i) return { file: i.path, error: itemError(i.error), server: true };
  if (i.outcome.kind !== 'sealed') return { file: i.path, queued: true, server: true };
  const o = i.outcome;
  const sealed = { outputPath: o.outputPath, format: o.format, timestampedBy: o.timestampedBy };
  return { file: i.path, ...sealed, level: null, warnings: [], server: true };
}
