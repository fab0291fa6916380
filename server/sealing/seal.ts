// One seal on the server (seed 001 POST /seal/sign), built from core's parts: the upload's first bytes decide (a PDF
// gets a PAdES B-T revision appended, core/pades appendSignedRevision; anything else a detached CAdES .p7s,
// core/cms buildCades), the signature time-stamp comes from the tenant's TSAs (auto round-robin with failover, as
// /tsa/stamp-hash); when every TSA fails the seal is still made, without a time-stamp (PAdES B-B / CAdES-B-B).
// The TSA plan is made before anything is signed (sealPlan), so the route can take the stamp from the tenant's
// monthly allowance first (server/routes/seal-sign.ts).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateFacts } from '../../core/asn1/certificate.js';
import { addSignatureTimeStamp, buildCades } from '../../core/cms/cades-build.js';
import { AllTsasFailedError, CoreError } from '../../core/errors.js';
import { StagedFile } from '../../core/fs/staged.js';
import { hashBytes } from '../../core/hash/hash-file.js';
import { appendSignedRevision } from '../../core/pades/revision.js';
import { PdfDocument, assertMaySign } from '../../core/pdf/index.js';
import type { Signer } from '../../core/signers/signer.js';
import { requestTimestamp, type AttemptPlan } from '../../core/tsp/dispatcher.js';
import type { ServerContext } from '../context.js';
import { HttpError } from '../errors.js';
import { planForTenant } from '../stamping/cursor.js';
import { logFailures } from '../stamping/failures.js';

export type SealRequest = {
  readonly tenantId: string;
  readonly file: Buffer;
  readonly signer: Signer;
  readonly qualified: boolean;
  /** The TSAs to ask (sealPlan); null: none is enabled, the seal is made without a time-stamp. */
  readonly plan: AttemptPlan | null;
  readonly reason?: string;
  readonly location?: string;
};

export type SealResult = {
  readonly format: 'pades' | 'cades';
  readonly output: Buffer;
  /** SHA-256 of the uploaded file (the seed's documentHash). */
  readonly documentHash: string;
  readonly tsaName: string | null;
};

/** ISO 32000-1 §7.5.2: `%PDF-` within the first KiB (core/fs/sniff's rule, on bytes). */
export const isPdf = (bytes: Uint8Array): boolean => Buffer.from(bytes.subarray(0, 1024)).includes('%PDF-');

export async function sealUpload(ctx: ServerContext, r: SealRequest): Promise<SealResult> {
  const leaf = certificateFacts(r.signer.chain[0]!);
  const now = ctx.now();
  if (now < leaf.notBefore || now > leaf.notAfter)
    throw new HttpError(400, `the certificate "${leaf.subject}" is not valid now`);
  const documentHash = createHash('sha256').update(r.file).digest('hex');
  if (isPdf(r.file)) return { ...(await sealPdf(ctx, r, leaf.subject)), format: 'pades', documentHash };
  const alg = r.signer.defaultAlgorithm;
  const cades = await buildCades({
    signer: r.signer,
    contentDigest: hashBytes(alg.hash, r.file),
    signingTime: now,
    algorithm: alg,
  });
  const ts = await signatureTimestamp(ctx, r, cades.signatureValue);
  const output = Buffer.from(ts ? addSignatureTimeStamp(cades.der, ts.token) : cades.der);
  return { format: 'cades', output, documentHash, tsaName: ts?.tsaName ?? null };
}

type Stamped = { token: Uint8Array; tsaName: string } | null;

/** The seal's TSA plan (seed: "/seal/sign always uses" auto; qualified: a qualified TSA); null when none is enabled. */
export async function sealPlan(ctx: ServerContext, tenantId: string, qualified: boolean): Promise<AttemptPlan | null> {
  try {
    return await planForTenant(ctx, tenantId, { tsaSlug: 'auto', qualified, hash: null });
  } catch (err) {
    if (err instanceof CoreError && err.code === 'TSA_NONE_ENABLED') return null;
    throw err;
  }
}

/** The plan's TSAs over the signature value; null when none answered (every failure logged) or none is enabled. */
async function signatureTimestamp(ctx: ServerContext, r: SealRequest, signatureValue: Uint8Array): Promise<Stamped> {
  const plan = r.plan;
  if (!plan) return null;
  try {
    const result = await requestTimestamp(plan, hashBytes(plan.hashAlgorithm, signatureValue), {
      transport: ctx.transport,
      timeoutMs: ctx.limits.tsaTimeoutMs,
    });
    await logFailures(ctx.db, r.tenantId, result.failures);
    return { token: result.decoded.token!.der, tsaName: result.provider.name };
  } catch (err) {
    if (!(err instanceof AllTsasFailedError)) throw err;
    await logFailures(ctx.db, r.tenantId, err.failures);
    return null;
  }
}

/** An incremental revision (the upload's bytes unchanged), in a private temporary folder removed afterwards. */
async function sealPdf(
  ctx: ServerContext,
  r: SealRequest,
  subject: string,
): Promise<Omit<SealResult, 'format' | 'documentHash'>> {
  const dir = mkdtempSync(join(tmpdir(), 'sealdesk-seal-'));
  let doc: PdfDocument | undefined;
  let staged: StagedFile | undefined;
  try {
    const input = join(dir, 'input.pdf');
    const out = join(dir, 'sealed.pdf');
    writeFileSync(input, r.file, { mode: 0o600 });
    doc = PdfDocument.openFile(input);
    assertMaySign(doc);
    const alg = r.signer.defaultAlgorithm;
    staged = await StagedFile.create(out, [alg.hash]);
    await staged.copyFrom(input);
    let tsaName: string | null = null;
    const reserve = r.signer.chain.reduce((n, c) => n + c.length, 0) + 2560 + 10 * 1024;
    const field = {
      kind: 'signature' as const,
      signingTime: ctx.now(),
      reason: r.reason,
      location: r.location,
      signerName: commonName(subject),
    };
    await appendSignedRevision(staged, doc, field, reserve, async (digest) => {
      const cades = await buildCades({ signer: r.signer, contentDigest: await digest(alg.hash), algorithm: alg });
      const ts = await signatureTimestamp(ctx, r, cades.signatureValue);
      tsaName = ts?.tsaName ?? null;
      return ts ? addSignatureTimeStamp(cades.der, ts.token) : cades.der;
    });
    await staged.publishNew(out);
    staged = undefined;
    return { output: readFileSync(out), tsaName };
  } finally {
    await staged?.discard();
    doc?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function commonName(subject: string): string {
  return /CN=([^,]+)/.exec(subject)?.[1]?.trim() ?? subject;
}
