// `seal` for non-PDF files: a detached CAdES signature (<file>.p7s), B-T with a signature time-stamp when a TSA answers.
import { createHash, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { toHex } from '../asn1/bytes.js';
import { certificateFacts } from '../asn1/certificate.js';
import { addSignatureTimeStamp, buildCades } from '../cms/cades-build.js';
import { CoreError, type TsaFailure } from '../errors.js';
import { modeOf, writeBesideFile, writeNewFile } from '../fs/atomic.js';
import { isPdfFile } from '../fs/sniff.js';
import { hashFile } from '../hash/hash-file.js';
import type { CertificateRecord } from '../ledger/certificates.js';
import { insertOperation, setOperationOutput, type OperationRecord } from '../ledger/operations.js';
import type { Signer } from '../signers/signer.js';
import type { StampContext } from '../stamp/context.js';
import { timestampOver } from '../stamp/seal-timestamp.js';

export type SealFileOptions = {
  readonly signer: Signer;
  readonly certificate: CertificateRecord;
  /** 'auto', a slug, or 'none' for a CAdES-B-B seal with no time-stamp and nothing queued. */
  readonly tsa: string;
  readonly label?: string;
  /** Exact output path; never overwritten. Default `<file>.p7s`, else `<file>.<n>.p7s`. */
  readonly out?: string;
  /** RSA keys only: RSASSA-PSS instead of PKCS#1 v1.5. */
  readonly rsaPss?: boolean;
};

export type SealOutcome = {
  readonly operation: OperationRecord;
  readonly outputPath: string;
  /** The TSA that time-stamped the seal, or null when the time-stamp is queued. */
  readonly timestampedBy: string | null;
  /** The time-stamp waits in the queue (every TSA failed); false for --tsa none. */
  readonly queued: boolean;
  readonly qualified: boolean;
  readonly failures: readonly TsaFailure[];
};

export async function sealFile(ctx: StampContext, file: string, o: SealFileOptions): Promise<SealOutcome> {
  const path = resolve(file);
  if (await isPdfFile(path))
    throw new CoreError(
      'PDF_NOT_SUPPORTED',
      `${file} is a PDF: PDFs are sealed inside the PDF (PAdES, core/pades sealPdf), not with a detached .p7s`,
    );
  const leaf = certificateFacts(o.signer.chain[0]!); // cached by DER in core/asn1
  const now = ctx.now();
  if (now < leaf.notBefore || now > leaf.notAfter)
    throw new CoreError(
      'CERT_NOT_VALID',
      `the certificate "${leaf.subject}" is not valid now (valid ${leaf.notBefore.toISOString()} to ${leaf.notAfter.toISOString()})`,
    );
  if (o.rsaPss && o.signer.keyAlgorithm !== 'rsa')
    throw new CoreError('KEY_UNSUPPORTED', `--rsa-pss needs an RSA key; this one is ${o.signer.keyAlgorithm}`);
  const alg = o.rsaPss
    ? { scheme: 'rsa-pss' as const, hash: o.signer.defaultAlgorithm.hash }
    : o.signer.defaultAlgorithm;
  const { digests } = await hashFile(path, [...new Set(['sha512', alg.hash] as const)]);
  const cades = await buildCades({
    signer: o.signer,
    contentDigest: digests[alg.hash],
    signingTime: now,
    algorithm: alg,
  });
  const id = randomUUID();
  const ts =
    o.tsa === 'none'
      ? { token: null, provider: null, failures: [] }
      : await timestampOver(ctx, cades.signatureValue, o.tsa, id);
  const der = ts.token ? addSignatureTimeStamp(cades.der, ts.token) : cades.der;
  const operation = insertOperation(ctx.db, {
    id,
    documentSha512: toHex(digests.sha512),
    label: o.label ?? null,
    status: ts.token || o.tsa === 'none' ? 'success' : 'timestamp_pending',
    signatureType: 'cades',
    certificateId: o.certificate.id,
    certLabel: o.certificate.label,
    filePath: path,
    outputPath: null,
    outputSha256: createHash('sha256').update(der).digest('hex'),
    signature: der,
    tsaName: ts.provider?.name ?? null,
    requestedTsa: o.tsa,
    createdAt: now.toISOString(),
  });
  const outputPath = o.out
    ? (await writeNewFile(resolve(o.out), der, await modeOf(path)), resolve(o.out))
    : await writeBesideFile(path, 'p7s', der);
  setOperationOutput(ctx.db, id, outputPath);
  return {
    operation: { ...operation, outputPath },
    outputPath,
    timestampedBy: ts.provider?.name ?? null,
    queued: operation.status === 'timestamp_pending',
    qualified: ts.provider?.qualified ?? false,
    failures: ts.failures,
  };
}
