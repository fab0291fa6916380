// Use case "stamp via the server" (`stamp --remote`, issue 17): each file is hashed here and only its SHA-512 goes to
// POST /tsa/stamp-hash; the token that comes back must cover that hash before it is kept. It is recorded as the user's
// own stamp with the server's record id (so a pull does not bring it twice) and its .tsr written beside the file as a
// local stamp's is. Offline, the hash waits in the outbox ('remote-stamp') and core/sync/remote-handlers sends it.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { toHex } from '../asn1/bytes.js';
import { CoreError } from '../errors.js';
import { hashFile } from '../hash/hash-file.js';
import { getStamp, insertStamp, type TokenFacts } from '../ledger/stamps.js';
import type { StampRecord } from '../model/stamp.js';
import type { StampContext } from '../stamp/context.js';
import { writeToken } from '../stamp/stamp-file.js';
import { enqueueRemoteWork, setRemoteId, stampWithToken } from '../sync/remote-ledger.js';
import type { RemoteClient } from '../sync/types.js';
import { inspectTimeStamp, judgeImprint } from '../tsp/token-report.js';
import { mapPool } from '../util/pool.js';
import { stampTargets } from './stamp-files.js';

export type RemoteStampOptions = {
  /** A TSA slug the server knows; default: the server's own choice (auto). */
  readonly tsa?: string;
  readonly label?: string;
  /** A second, independent proof even when the server already holds one for this hash. */
  readonly force?: boolean;
  /** Exact .tsr path (one file only). Default `<file>.tsr`, else `<file>.<n>.tsr`. */
  readonly out?: string;
  /** A qualified stamp: the server sends it to its qualified TSA (seed 001 `qualified: true`). */
  readonly qualified?: boolean;
};

/** What goes to the server, and what the outbox keeps when it cannot go now (the file itself is not needed later). */
export type RemoteStampRequest = {
  readonly id: string;
  readonly fileSha512: string;
  readonly path: string;
  readonly label: string | null;
  readonly tsa: string | null;
  readonly force: boolean;
  readonly out: string | null;
  readonly qualified?: boolean;
};

export type RemoteStampOutcome =
  | {
      /** existing: the server gave its earlier proof of this hash, which the ledger already holds. */
      readonly kind: 'stamped' | 'existing';
      readonly record: StampRecord;
      readonly tsrPath: string;
      readonly remoteId: string | null;
    }
  | { readonly kind: 'queued'; readonly id: string; readonly fileSha512: string };

export type RemoteStampItem =
  | { readonly ok: true; readonly file: string; readonly outcome: RemoteStampOutcome }
  | { readonly ok: false; readonly file: string; readonly error: unknown };

export async function remoteStampInputs(
  ctx: StampContext,
  client: RemoteClient,
  inputs: readonly string[],
  o: RemoteStampOptions = {},
): Promise<RemoteStampItem[]> {
  const { files, unreadable } = stampTargets(inputs);
  if (o.out && files.length > 1) throw new CoreError('USAGE', '--out with --remote names the .tsr of one file only');
  const settled = await mapPool(files, 4, async (file): Promise<RemoteStampItem> => {
    try {
      if (unreadable.has(file)) throw unreadable.get(file);
      return { ok: true, file, outcome: await remoteStampFile(ctx, client, file, o) };
    } catch (error) {
      return { ok: false, file, error };
    }
  });
  return settled.map((s) => s.value!);
}

export async function remoteStampFile(
  ctx: StampContext,
  client: RemoteClient,
  file: string,
  o: RemoteStampOptions,
): Promise<RemoteStampOutcome> {
  const path = resolve(file);
  const { digests } = await hashFile(path, ['sha512']);
  const req: RemoteStampRequest = {
    id: randomUUID(),
    fileSha512: toHex(digests.sha512),
    path,
    label: o.label ?? null,
    tsa: o.tsa && o.tsa !== 'auto' ? o.tsa : null,
    force: o.force ?? false,
    out: o.out ? resolve(o.out) : null,
    ...(o.qualified ? { qualified: true } : {}),
  };
  let answer: RemoteToken;
  try {
    answer = await requestRemoteStamp(client, req, req.id);
  } catch (err) {
    if (!(err instanceof CoreError && err.code === 'OFFLINE')) throw err;
    enqueueRemoteWork(ctx.db, 'remote-stamp', req.id, req);
    return { kind: 'queued', id: req.id, fileSha512: req.fileSha512 };
  }
  const { record, existed } = keepRemoteStamp(ctx, req, answer);
  if (existed && record.tsrPath && existsSync(record.tsrPath))
    return { kind: 'existing', record, tsrPath: record.tsrPath, remoteId: answer.remoteId };
  const tsrPath = await writeToken(ctx, record.id, path, req.out, answer.facts.tsr);
  return { kind: existed ? 'existing' : 'stamped', record: { ...record, tsrPath }, tsrPath, remoteId: answer.remoteId };
}

/** The server's token in the ledger: the record that already holds it (the server gave its earlier proof of this hash
 * again, or a pull brought it), else a new record under the request's id. */
export function keepRemoteStamp(
  ctx: StampContext,
  req: RemoteStampRequest,
  t: RemoteToken,
): { readonly record: StampRecord; readonly existed: boolean } {
  const known = stampWithToken(ctx.db, t.facts.tsrSha256);
  const record = known ? getStamp(ctx.db, known) : undefined;
  return record ? { record, existed: true } : { record: recordRemoteStamp(ctx, req, t), existed: false };
}

/** A token the server made, checked, with the server's record id when it can be learnt. */
export type RemoteToken = { readonly facts: TokenFacts; readonly remoteId: string | null };

type StampView = { tsrBase64: string; tsaName: string; qualified: boolean };

/** POST /tsa/stamp-hash, then the token checked against the hash that was sent. */
export async function requestRemoteStamp(
  client: RemoteClient,
  req: RemoteStampRequest,
  idempotencyKey: string,
): Promise<RemoteToken> {
  const body = {
    hashHex: req.fileSha512,
    ...(req.label !== null ? { label: req.label } : {}),
    ...(req.tsa !== null ? { tsaSlug: req.tsa } : {}),
    ...(req.force ? { force: true } : {}),
    ...(req.qualified ? { qualified: true } : {}),
  };
  const view = await client.json<StampView>({ method: 'POST', path: '/tsa/stamp-hash', json: body, idempotencyKey });
  const der = new Uint8Array(Buffer.from(String(view.tsrBase64 ?? ''), 'base64'));
  const facts = await checkedToken(der, Buffer.from(req.fileSha512, 'hex'), view.tsaName, view.qualified === true);
  return { facts, remoteId: await remoteIdOf(client, req.fileSha512, der) };
}

/** The facts the ledger keeps about a token the server sent, once it is sound and its imprint is `subject`'s hash. */
export async function checkedToken(
  der: Uint8Array,
  digest: Uint8Array,
  tsaName: string | undefined,
  qualified: boolean,
): Promise<TokenFacts> {
  const report = await inspectTimeStamp(der);
  const verdict = judgeImprint(report, digest);
  if (!verdict.valid || !report.genTime || !report.serialHex)
    throw new CoreError('TOKEN_REJECTED', `the server's token was not kept: ${verdict.message}`);
  return {
    tsaSlug: 'server',
    tsaName: tsaName || report.tsaName || 'server',
    genTime: report.genTime,
    serialHex: report.serialHex,
    policyOid: report.policyOid ?? '',
    tsaCertNotAfter: report.signer?.notAfter ?? null,
    tsr: der,
    tsrSha256: createHash('sha256').update(der).digest('hex'),
    qualified,
  };
}

/** The server's id for a token, by the public lookup of the SHA-512 it covers; null when it is not listed there. */
export async function remoteIdOf(client: RemoteClient, sha512Hex: string, der: Uint8Array): Promise<string | null> {
  const base64 = Buffer.from(der).toString('base64');
  try {
    const found = await client.json<{ records?: { id: string; tsrBase64: string }[] }>({
      method: 'GET',
      path: `/api/lookup/${sha512Hex}`,
      anonymous: true,
    });
    return found.records?.find((r) => r.tsrBase64 === base64)?.id ?? null;
  } catch {
    return null; // a pull matches the token by its SHA-256 instead
  }
}

/** The stamp in the ledger under the request's id, with the server's id, in one transaction. */
export function recordRemoteStamp(ctx: StampContext, req: RemoteStampRequest, t: RemoteToken): StampRecord {
  return ctx.db.transaction(() => {
    const record = insertStamp(ctx.db, {
      id: req.id,
      fileSha512: req.fileSha512,
      imprintAlgorithm: 'sha512',
      imprint: Buffer.from(req.fileSha512, 'hex'),
      label: req.label,
      filePath: req.path,
      tsrPath: null,
      requestedTsa: req.tsa ?? 'auto',
      createdAt: ctx.now().toISOString(),
      token: t.facts,
    });
    setRemoteId(ctx.db, 'stamp', record.id, t.remoteId);
    return record;
  })();
}
