// Use case "restamp via the server" (`restamp --remote`, issue 17): the newest link of a stamp chain gets its new link
// from POST /tsa/restamp once the server knows it (a remote id: pulled, or pushed — the outbox is pushed first when the
// link has none yet). The new token is fetched by the public lookup of the SHA-512 it covers (the route answers with
// its id only), checked to cover the exact bytes of the previous link's .tsr, and the chain is extended here as a local
// restamp extends it (core/archive: `<file>.<n>.tsr`). Offline, the restamp waits in the outbox ('remote-restamp').
import { createHash, randomUUID } from 'node:crypto';
import { chainRecords } from '../archive/chain.js';
import { newLinkBeside } from '../archive/restamp.js';
import { CoreError } from '../errors.js';
import { insertStamp } from '../ledger/stamps.js';
import type { StampRecord } from '../model/stamp.js';
import type { StampContext } from '../stamp/context.js';
import { writeToken } from '../stamp/stamp-file.js';
import { enqueueRemoteWork, remoteIdOfRecord, setRemoteId } from '../sync/remote-ledger.js';
import { push } from '../sync/push.js';
import type { RemoteClient } from '../sync/types.js';
import { checkedToken } from './remote-stamp.js';

export type RemoteRestampRequest = { readonly id: string; readonly parentId: string; readonly tsa: string | null };

export type RemoteRestampOutcome =
  | {
      readonly kind: 'restamped';
      readonly record: StampRecord;
      readonly parent: StampRecord;
      readonly tsrPath: string;
      readonly remoteId: string;
    }
  | { readonly kind: 'queued'; readonly id: string; readonly parent: StampRecord };

/** A new link for the chain `id` belongs to, made by the server; queued when the server cannot be reached. */
export async function remoteRestamp(
  ctx: StampContext,
  client: RemoteClient,
  id: string,
  o: { readonly tsa?: string } = {},
): Promise<RemoteRestampOutcome> {
  const parent = newestLink(ctx, id);
  const kind = parent.parentId ? 'restamp' : 'stamp';
  const req: RemoteRestampRequest = {
    id: randomUUID(),
    parentId: parent.id,
    tsa: o.tsa && o.tsa !== 'auto' ? o.tsa : null,
  };
  try {
    // A link made here and not pushed yet goes first (with the rest of the outbox, in order).
    if (!remoteIdOfRecord(ctx.db, kind, parent.id)) await push(ctx.db, client);
    return await sendRestamp(ctx, client, req, req.id);
  } catch (err) {
    if (!(err instanceof CoreError && err.code === 'OFFLINE')) throw err;
    enqueueRemoteWork(ctx.db, 'remote-restamp', req.id, req);
    return { kind: 'queued', id: req.id, parent };
  }
}

function newestLink(ctx: StampContext, id: string): StampRecord {
  const newest = chainRecords(ctx.db, id).at(-1)!;
  if (newest.status !== 'stamped' || !newest.tsr)
    throw new CoreError(
      'TOKEN_MALFORMED',
      `record ${newest.id} has no token yet (it is queued): it cannot be restamped`,
    );
  return newest;
}

/** POST /tsa/restamp for the request's link, the token fetched and checked, the chain extended (the handler's path). */
export async function sendRestamp(
  ctx: StampContext,
  client: RemoteClient,
  req: RemoteRestampRequest,
  idempotencyKey: string,
): Promise<RemoteRestampOutcome & { kind: 'restamped' }> {
  const parent = newestLink(ctx, req.parentId);
  if (parent.id !== req.parentId)
    throw new CoreError(
      'USAGE',
      `record ${req.parentId} was restamped meanwhile (its chain goes on with ${parent.id})`,
    );
  const parentRemote = remoteIdOfRecord(ctx.db, parent.parentId ? 'restamp' : 'stamp', parent.id);
  if (!parentRemote)
    throw new CoreError(
      'REMOTE_UNSUPPORTED',
      `record ${parent.id} is not on the server yet: \`sealdesk sync\` sends it first, then restamp it with --remote`,
    );
  const made = await client.json<{ id: string; tsaName?: string }>({
    method: 'POST',
    path: '/tsa/restamp',
    json: { transactionId: parentRemote, ...(req.tsa ? { tsaSlug: req.tsa } : {}) },
    idempotencyKey,
  });
  const digest = createHash('sha512').update(parent.tsr!).digest();
  const der = await tokenOf(client, digest.toString('hex'), made.id);
  const facts = await checkedToken(der, digest, made.tsaName, false);
  const record = ctx.db.transaction(() => {
    const r = insertStamp(ctx.db, {
      id: req.id,
      fileSha512: parent.fileSha512,
      imprintAlgorithm: 'sha512',
      imprint: digest,
      label: parent.label,
      filePath: parent.filePath,
      requestedTsa: req.tsa ?? 'auto',
      tsrPath: null,
      createdAt: ctx.now().toISOString(),
      token: facts,
      parentId: parent.id,
    });
    setRemoteId(ctx.db, 'restamp', r.id, made.id);
    return r;
  })();
  const beside = newLinkBeside(parent);
  if (!beside)
    throw new CoreError(
      'NOT_FOUND',
      `record ${parent.id} knows no file to write the new .tsr beside (kept as ${req.id})`,
    );
  const tsrPath = await writeToken(ctx, record.id, beside, null, der);
  return { kind: 'restamped', record: { ...record, tsrPath }, parent, tsrPath, remoteId: made.id };
}

/** The new link's token: the lookup of the SHA-512 it covers lists it with its id. */
async function tokenOf(client: RemoteClient, sha512Hex: string, remoteId: string): Promise<Uint8Array> {
  const found = await client.json<{ records?: { id: string; tsrBase64: string }[] }>({
    method: 'GET',
    path: `/api/lookup/${sha512Hex}`,
    anonymous: true,
  });
  const hit = found.records?.find((r) => r.id === remoteId);
  if (!hit)
    throw new CoreError(
      'REMOTE_UNSUPPORTED',
      `the server made link ${remoteId} but its lookup does not list its token (not a SHA-512 link?): a pull brings it`,
    );
  return new Uint8Array(Buffer.from(hit.tsrBase64, 'base64'));
}
