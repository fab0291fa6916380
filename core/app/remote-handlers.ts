// The push handlers of remote work queued offline (issue 17): 'remote-stamp' sends the kept hash and writes the .tsr
// beside the file if it is still there and unchanged (else the token stays in the ledger, and the row says so);
// 'remote-seal' reads the file again and refuses it when its SHA-512 changed since it was queued; 'remote-restamp'
// asks the server for the new link once the link it extends is there. Each row's idempotency key goes with it, and a
// row whose record is already in the ledger (a run killed after it) is not sent again. They live in core/app (they
// run the use cases) and are added to core/sync/push's dispatcher by registerRemoteHandlers (core/app/sync.ts).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { sendRestamp, type RemoteRestampRequest } from './remote-restamp.js';
import { sendSeal, type RemoteSealRequest } from './remote-seal.js';
import { keepRemoteStamp, requestRemoteStamp, type RemoteStampRequest } from './remote-stamp.js';
import { CoreError, errorMessage } from '../errors.js';
import { hashFile } from '../hash/hash-file.js';
import type { Ledger } from '../ledger/open.js';
import { getOperation } from '../ledger/operations.js';
import { sql } from '../ledger/statements.js';
import { getStamp } from '../ledger/stamps.js';
import type { StampContext } from '../stamp/context.js';
import { writeToken } from '../stamp/stamp-file.js';
import { HttpTimeStampTransport } from '../tsp/transport.js';
import { registerPushHandler, type PushHandler } from '../sync/push.js';
import { remoteIdOfRecord } from '../sync/remote-ledger.js';

const contextOf = (db: Ledger): StampContext => ({
  db,
  transport: new HttpTimeStampTransport(),
  now: () => new Date(),
});

/** A note on a sent row (the .tsr could not be written), kept with it in the outbox. */
const note = (db: Ledger, seq: number, text: string) => () =>
  sql(db, 'UPDATE sync_outbox SET last_error = ? WHERE seq = ?').run(text, seq);

export const pushRemoteStamp: PushHandler = async (db, client, row) => {
  const req = row.payload as RemoteStampRequest;
  const ctx = contextOf(db);
  let record = getStamp(db, req.id);
  if (!record) {
    try {
      record = keepRemoteStamp(ctx, req, await requestRemoteStamp(client, req, row.idempotencyKey)).record;
    } catch (err) {
      return refusedOr(err);
    }
  }
  const remoteId = remoteIdOfRecord(db, 'stamp', record.id);
  if (record.tsrPath) return { remoteId };
  const now = await hashFile(req.path, ['sha512']).catch(() => null);
  if (!now || Buffer.from(now.digests.sha512).toString('hex') !== req.fileSha512) {
    const why = now ? 'changed since it was stamped' : 'is no longer there';
    const text = `${req.path} ${why}: the token is kept in the ledger as record ${record.id} (no .tsr written)`;
    return { remoteId, also: note(db, row.seq, text) };
  }
  try {
    await writeToken(ctx, record.id, req.path, req.out, record.tsr!);
  } catch (err) {
    return { remoteId, also: note(db, row.seq, errorMessage(err)) };
  }
  return { remoteId };
};

export const pushRemoteSeal: PushHandler = async (db, client, row) => {
  const req = row.payload as RemoteSealRequest;
  if (getOperation(db, req.id)) return { remoteId: remoteIdOfRecord(db, 'seal', req.id) };
  const bytes = await readFile(req.path).catch(() => null);
  if (!bytes) return { refused: `${req.path} is no longer there: nothing was sent` };
  if (createHash('sha512').update(bytes).digest('hex') !== req.sha512)
    return { refused: `${req.path} changed since the seal was asked for (its SHA-512 differs): nothing was sent` };
  try {
    const out = await sendSeal({ db, now: () => new Date() }, client, req, bytes, row.idempotencyKey);
    return { remoteId: out.remoteId };
  } catch (err) {
    return refusedOr(err);
  }
};

export const pushRemoteRestamp: PushHandler = async (db, client, row) => {
  const req = row.payload as RemoteRestampRequest;
  if (getStamp(db, req.id)) return { remoteId: remoteIdOfRecord(db, 'restamp', req.id) };
  try {
    const out = await sendRestamp(contextOf(db), client, req, row.idempotencyKey);
    return { remoteId: out.remoteId };
  } catch (err) {
    return refusedOr(err);
  }
};

/** What no later run can change becomes the row's refusal; the rest (offline, sign-in, a 4xx) goes to the push. */
function refusedOr(err: unknown): { refused: string } {
  const settled = [
    'USAGE',
    'TOKEN_REJECTED',
    'REMOTE_UNSUPPORTED',
    'SIGNATURE_BROKEN',
    'OUTPUT_EXISTS',
    'OUTPUT_CHANGED',
    'NOT_FOUND',
  ];
  if (err instanceof CoreError && settled.includes(err.code)) return { refused: err.message };
  throw err;
}

/** Adds the three remote-work kinds to the push dispatcher (idempotent). */
export function registerRemoteHandlers(): void {
  registerPushHandler('remote-stamp', pushRemoteStamp);
  registerPushHandler('remote-seal', pushRemoteSeal);
  registerPushHandler('remote-restamp', pushRemoteRestamp);
}
