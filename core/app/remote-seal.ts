// Use case "seal via the server" (`seal --remote-cert <id>`, issue 17): the file itself leaves the machine (the caller
// asks first) to POST /seal/sign, sealed there with a server-side certificate. What comes back is verified here
// (core/app/verify-any) before anything is written: a PDF must still begin with the bytes sent and its seal be intact,
// a .p7s must cover the file; both TOTAL-PASSED, or INDETERMINATE only because the server's CA is not trusted here.
// The output is written as a local seal's (`<name>_sealed.pdf`, `<file>.p7s`) and recorded with the server's id.
// Offline, the path and SHA-512 wait in the outbox ('remote-seal'); the handler refuses a file changed meanwhile.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { CoreError } from '../errors.js';
import { modeOf, writeBesideFile, writeNewFile } from '../fs/atomic.js';
import { insertOperation, recordOperationFile, type OperationRecord } from '../ledger/operations.js';
import { sealedName } from '../pades/index.js';
import { enqueueRemoteWork, setRemoteId } from '../sync/remote-ledger.js';
import type { RemoteClient } from '../sync/types.js';
import { expandInputs } from './expand-inputs.js';
import type { Ledger } from '../ledger/open.js';
import { verifyReturned } from './remote-seal-check.js';

/** The ledger (its file is what verify's workers open) and the clock. */
export type RemoteSealContext = { readonly db: Ledger; readonly now: () => Date };

export type RemoteSealOptions = {
  /** The server's certificate id (GET /seal/certificates). */
  readonly certificateId: string;
  readonly label?: string;
  readonly reason?: string;
  readonly location?: string;
  readonly qualified?: boolean;
  /** The output file (one input only). Default: beside the input, as a local seal. */
  readonly out?: string;
};

/** What the outbox keeps for a seal sent later: the file is read again then, and must still hash the same. */
export type RemoteSealRequest = RemoteSealOptions & {
  readonly id: string;
  readonly path: string;
  readonly sha512: string;
};

export type RemoteSealOutcome =
  | {
      readonly kind: 'sealed';
      readonly format: 'pades' | 'cades';
      readonly operation: OperationRecord;
      readonly outputPath: string;
      readonly remoteId: string | null;
      readonly timestampedBy: string | null;
      readonly qualified: boolean;
      readonly indication: string;
      readonly subIndication: string | null;
    }
  | { readonly kind: 'queued'; readonly id: string };

export type RemoteSealItem =
  | { readonly file: string; readonly path: string; readonly outcome: RemoteSealOutcome }
  | { readonly file: string; readonly path: string; readonly error: unknown };

/** The files a remote seal of `inputs` would send, with their sizes (what the confirmation names). */
export function remoteSealTargets(inputs: readonly string[]) {
  return expandInputs(inputs, { skip: 'companions' }).entries;
}

export async function remoteSealInputs(
  ctx: RemoteSealContext,
  client: RemoteClient,
  inputs: readonly string[],
  o: RemoteSealOptions,
): Promise<RemoteSealItem[]> {
  const entries = remoteSealTargets(inputs);
  if (o.out && entries.length > 1)
    throw new CoreError('USAGE', '--out with --remote-cert names the output of one file');
  const items: RemoteSealItem[] = [];
  for (const e of entries) {
    try {
      if (e.error) throw e.error;
      const bytes = await readFile(e.path);
      const req: RemoteSealRequest = { ...o, id: randomUUID(), path: e.path, sha512: sha(bytes, 'sha512') };
      items.push({ file: e.given, path: e.path, outcome: await sealOrQueue(ctx, client, req, bytes) });
    } catch (error) {
      items.push({ file: e.given, path: e.path, error });
    }
  }
  return items;
}

async function sealOrQueue(ctx: RemoteSealContext, client: RemoteClient, req: RemoteSealRequest, bytes: Buffer) {
  try {
    return await sendSeal(ctx, client, req, bytes, req.id);
  } catch (err) {
    if (!(err instanceof CoreError && err.code === 'OFFLINE')) throw err;
    enqueueRemoteWork(ctx.db, 'remote-seal', req.id, req);
    return { kind: 'queued' as const, id: req.id };
  }
}

/** POST /seal/sign, the answer verified, written beside the input and recorded (also the outbox handler's path). */
export async function sendSeal(
  ctx: RemoteSealContext,
  client: RemoteClient,
  req: RemoteSealRequest,
  bytes: Uint8Array,
  idempotencyKey: string,
): Promise<RemoteSealOutcome & { kind: 'sealed' }> {
  // Checked before the file is sent: a seal the server makes must have somewhere to go.
  const target = req.out ? resolve(req.out) : isPdf(bytes) ? sealedName(req.path) : null;
  if (target && existsSync(target))
    throw new CoreError('OUTPUT_EXISTS', `${target} already exists; Sealdesk never overwrites a file`);
  const fields = { certificateId: req.certificateId, label: req.label, reason: req.reason, location: req.location };
  const res = await client.send({
    method: 'POST',
    path: '/seal/sign',
    idempotencyKey,
    multipart: [
      { name: 'file', filename: basename(req.path), contentType: 'application/octet-stream', bytes },
      ...Object.entries(fields).flatMap(([name, value]) => (value === undefined ? [] : [{ name, value }])),
      ...(req.qualified ? [{ name: 'qualified', value: 'true' }] : []),
    ],
  });
  const format = res.headers['x-seal-format'] === 'pades' ? 'pades' : 'cades';
  const output = new Uint8Array(res.body);
  const verdict = await verifyReturned(ctx, req.path, bytes, output, format);
  const stillSame = sha(await readFile(req.path), 'sha512') === req.sha512;
  if (!stillSame) throw new CoreError('OUTPUT_CHANGED', `${req.path} changed while it was sealed: nothing written`);
  const outputPath = await publish(req, format, output);
  const timestampedBy = res.headers['x-seal-timestamped-by'];
  const tsaName = timestampedBy && timestampedBy !== 'none' ? timestampedBy : null;
  const remoteId = res.headers['x-seal-operation-id'] ?? null;
  const operation = record(ctx, req, { format, outputPath, output, tsaName, remoteId });
  return {
    kind: 'sealed',
    format,
    operation,
    outputPath,
    remoteId,
    timestampedBy: tsaName,
    qualified: res.headers['x-seal-qualified'] === 'true',
    ...verdict,
  };
}

async function publish(req: RemoteSealRequest, format: 'pades' | 'cades', output: Uint8Array): Promise<string> {
  const mode = await modeOf(req.path);
  if (req.out) return (await writeNewFile(resolve(req.out), output, mode), resolve(req.out));
  if (format === 'cades') return writeBesideFile(req.path, 'p7s', output, mode);
  const target = sealedName(req.path);
  await writeNewFile(target, output, mode);
  return target;
}

type Written = {
  format: 'pades' | 'cades';
  outputPath: string;
  output: Uint8Array;
  tsaName: string | null;
  remoteId: string | null;
};

function record(ctx: RemoteSealContext, req: RemoteSealRequest, w: Written): OperationRecord {
  const now = ctx.now().toISOString();
  const level = w.format === 'pades' ? (w.tsaName ? 'B-T' : 'B-B') : null;
  const outputSha256 = sha(w.output, 'sha256');
  return ctx.db.transaction(() => {
    const op = insertOperation(ctx.db, {
      id: req.id,
      documentSha512: req.sha512,
      label: req.label ?? null,
      status: 'success',
      signatureType: w.format,
      certificateId: null,
      certLabel: `server certificate ${req.certificateId}`,
      filePath: req.path,
      outputPath: w.outputPath,
      outputSha256,
      signature: w.format === 'cades' ? w.output : null,
      tsaName: w.tsaName,
      requestedTsa: 'server',
      createdAt: now,
      level,
      reachedLevel: level,
    });
    if (w.format === 'pades') {
      const f = { operationId: op.id, level, path: w.outputPath, sha256: outputSha256, size: w.output.length, at: now };
      recordOperationFile(ctx.db, f);
    }
    setRemoteId(ctx.db, 'seal', op.id, w.remoteId);
    return op;
  })();
}

/** A PDF by its first bytes, as the server and core/fs/sniff tell one (%PDF- within the first KiB). */
const isPdf = (bytes: Uint8Array) => Buffer.from(bytes.subarray(0, 1024)).includes('%PDF-');

function sha(bytes: Uint8Array, alg: 'sha256' | 'sha512'): string {
  return createHash(alg).update(bytes).digest('hex');
}
