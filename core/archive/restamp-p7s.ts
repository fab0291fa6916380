// CAdES B-LTA restamp of a detached .p7s Sealdesk sealed (ETSI EN 319 122-1 §5.5.3): validation data for the seal
// and every earlier time-stamp into SignedData, then an archive-time-stamp-v3 — written atomically over the old
// .p7s, and only while it is byte-identical to what the ledger last recorded.
import { readFile, stat } from 'node:fs/promises';
import { bytesEqual, toHex } from '../asn1/bytes.js';
import { certificateFacts } from '../asn1/certificate.js';
import {
  prepareArchiveTimestamp,
  withArchiveTimestamp,
  withValidationData,
  type ValidationData,
} from '../cms/archive-timestamp-edit.js';
import {
  archiveTimestampEntries,
  certificatesIn,
  embeddedTokens,
  recomputeArchiveImprint,
  signedDataLayout,
} from '../cms/archive-timestamp.js';
import { CoreError, InputError, errorMessage } from '../errors.js';
import { StagedFile } from '../fs/staged.js';
import { hashFile, hashBytes } from '../hash/hash-file.js';
import { logFailure } from '../ledger/failures.js';
import { operationFiles, recordOperationFile, type OperationRecord } from '../ledger/operations.js';
import { listTrustAnchors } from '../ledger/trust-anchors.js';
import { listTsas, takeCursor } from '../ledger/tsa.js';
import {
  gatherRevocationData,
  requireValidationData,
  type MissingValidationDataOptions,
} from '../revocation/gather.js';
import { adoptInterruptedExtension, publishExtension } from '../ledger/extend-in-place.js';
import type { StampContext } from '../stamp/context.js';
import { planAttempts, requestTimestamp } from '../tsp/dispatcher.js';

export type P7sRestamp = {
  readonly operation: OperationRecord;
  readonly path: string;
  readonly tsaName: string;
  readonly genTime: string;
  /** Revocation data that could not be had (restamped all the same: allowMissingValidationData). */
  readonly missing: readonly string[];
};

export async function restampP7s(
  ctx: StampContext,
  found: OperationRecord,
  tsa: string,
  o: MissingValidationDataOptions = {},
): Promise<P7sRestamp> {
  // A restamp killed between its rename and its ledger update left the new version on disk: adopt it first.
  const op = (await adoptInterruptedExtension(ctx.db, found))?.operation ?? found;
  if (op.signatureType !== 'cades' || !op.outputPath || !op.outputSha256 || !op.filePath)
    throw new CoreError('NOT_FOUND', `operation ${op.id} is not a .p7s seal Sealdesk knows the files of`);
  if (op.status !== 'success')
    throw new CoreError('USAGE', `operation ${op.id} has queued work: run \`sealdesk queue run\` first`);
  const { path, files, expected, before, p7s } = await recordedVersion(ctx, op);

  const plan = planAttempts(listTsas(ctx.db), tsa, tsa === 'auto' ? takeCursor(ctx.db) : 0);
  // auto: another TSA than the one of the newest earlier time-stamp — it broadens the trust base of the chain.
  const order =
    tsa === 'auto'
      ? [...plan.order.filter((p) => p.name !== op.tsaName), ...plan.order.filter((p) => p.name === op.tsaName)]
      : plan.order;
  const alg = plan.hashAlgorithm;
  const { digests } = await hashFile(op.filePath, [...new Set(['sha512', alg] as const)]);
  if (toHex(digests.sha512) !== op.documentSha512)
    throw new InputError(
      'SIGNATURE_BROKEN',
      `${op.filePath} is not the file that was sealed (its SHA-512 differs from the ledger's): nothing restamped`,
    );

  const { data, missing } = await validationData(ctx, p7s, o.allowPrivateNetwork === true);
  requireValidationData(path, missing, o); // before the TSA is asked: a refusal costs nothing and writes nothing
  const extended = withValidationData(p7s, data).der;
  const { hashIndex, imprint } = prepareArchiveTimestamp(extended, alg, digests[alg]);
  const result = await requestTimestamp({ ...plan, order }, imprint, {
    transport: ctx.transport,
    timeoutMs: ctx.timeoutMs,
    onFailure: (f, p) => logFailure(ctx.db, f, p.slug, ctx.now().toISOString(), op.id),
  });
  const der = withArchiveTimestamp(extended, result.decoded.token!.der, hashIndex);
  selfCheck(der, digests[alg], result.decoded.token!.tstInfo.imprint);

  // CAdES seals record no file step when written: the version restamped becomes step 1, so the history is whole.
  if (files.length === 0)
    recordOperationFile(ctx.db, {
      operationId: op.id,
      level: op.reachedLevel ?? (op.tsaName ? 'B-T' : 'B-B'),
      path,
      sha256: expected,
      size: before.size,
      at: op.createdAt,
    });
  const sha256 = await publish(ctx, op, der, before, result.provider.name);
  const genTime = result.decoded.token!.tstInfo.genTime.toISOString();
  return {
    operation: { ...op, outputSha256: sha256, reachedLevel: 'B-LTA', tsaName: result.provider.name },
    path,
    tsaName: result.provider.name,
    genTime,
    missing,
  };
}

/** The .p7s on disk, which must be byte-identical to the version the ledger recorded last. */
async function recordedVersion(ctx: StampContext, op: OperationRecord) {
  const path = op.outputPath!;
  const files = operationFiles(ctx.db, op.id);
  const expected = files.at(-1)?.sha256 ?? op.outputSha256!;
  const gone = (err: unknown): never => {
    throw new CoreError(
      'OUTPUT_CHANGED',
      `${path} is gone (${errorMessage(err)}): it was moved or deleted since Sealdesk wrote it; nothing restamped`,
    );
  };
  const before = await stat(path).catch(gone);
  const p7s = new Uint8Array(await readFile(path).catch(gone));
  if (toHex(hashBytes('sha256', p7s)) !== expected)
    throw new CoreError('OUTPUT_CHANGED', `${path} changed since Sealdesk wrote it; left untouched`);
  return { path, files, expected, before, p7s };
}

/** Temp file beside it, fsync, rename only while the old version is still there; the ledger's intent covers a kill. */
async function publish(
  ctx: StampContext,
  op: OperationRecord,
  der: Uint8Array,
  before: { size: number; mtimeMs: number },
  tsaName: string,
): Promise<string> {
  const staged = await StagedFile.create(op.outputPath!);
  try {
    await staged.takeModeOf(op.outputPath!); // the new version keeps the old one's mode (a 0600 seal stays 0600)
    await staged.append(der);
    const { sha256 } = await publishExtension(
      ctx.db,
      op,
      staged,
      { size: before.size, mtimeMs: before.mtimeMs },
      { level: 'B-LTA', tsaName, at: ctx.now().toISOString() },
    );
    return sha256;
  } finally {
    await staged.discard();
  }
}

/** Our own output must verify by our own reader before it replaces anything. */
function selfCheck(der: Uint8Array, contentDigest: Uint8Array, tokenImprint: Uint8Array): void {
  const l = signedDataLayout(der);
  const last = archiveTimestampEntries(l).at(-1);
  const again = last?.hashIndex ? recomputeArchiveImprint(l, last.hashIndex, contentDigest) : null;
  if (!again || again.unmatched.length || !bytesEqual(again.imprint, tokenImprint))
    throw new CoreError(
      'CMS_MALFORMED',
      `internal check failed: the archive time-stamp does not match the extended signature; nothing written`,
    );
}

/** Every certificate of the signer's and the earlier TSAs' chains, and revocation data for each that names a source. */
async function validationData(
  ctx: StampContext,
  p7s: Uint8Array,
  allowPrivateNetwork: boolean,
): Promise<{ data: ValidationData; missing: readonly string[] }> {
  const l = signedDataLayout(p7s);
  const pool = new Map<string, Uint8Array>();
  const add = (der: Uint8Array) => pool.set(toHex(hashBytes('sha256', der)), der);
  certificatesIn(l).forEach(add);
  for (const t of embeddedTokens(l)) certificatesIn(signedDataLayout(t.token)).forEach(add);
  const anchors = listTrustAnchors(ctx.db).map((a) => a.der);
  const all = [...pool.values(), ...anchors];
  const issuerOf = (der: Uint8Array) => {
    const f = certificateFacts(der);
    return f.selfSigned
      ? null
      : (all.find((c) => !bytesEqual(c, der) && certificateFacts(c).subject === f.issuer) ?? null);
  };
  // Walk each chain up to its root: an anchor the user trusts that the seal lacks joins it too.
  for (const der of [...pool.values()])
    for (let c: Uint8Array | null = der, n = 0; c && n < 10; c = issuerOf(c), n++) add(c);
  const { ocsps, crls, missing } = await gatherRevocationData(
    { db: ctx.db, now: ctx.now, timeoutMs: ctx.timeoutMs, network: { allowPrivateNetwork } },
    [...pool.values()],
    issuerOf,
    'in the seal or the trust store',
  );
  return { data: { certificates: [...pool.values()], crls: [...crls], ocspResponses: [...ocsps] }, missing };
}
