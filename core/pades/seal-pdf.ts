// `seal` for PDFs: a PAdES baseline signature (ETSI EN 319 142-1) in an incremental revision — the input's bytes are
// never changed — then whatever the requested level adds (DSS, document time-stamp), published atomically.
import { randomUUID } from 'node:crypto';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { toHex } from '../asn1/bytes.js';
import { certificateFacts } from '../asn1/certificate.js';
import { addSignatureTimeStamp, buildCades } from '../cms/cades-build.js';
import { CoreError, type TsaFailure } from '../errors.js';
import { StagedFile } from '../fs/staged.js';
import type { CertificateRecord } from '../ledger/certificates.js';
import { insertOperation, recordOperationFile, type OperationRecord } from '../ledger/operations.js';
import { PdfDocument, assertMaySign, type SignatureFieldOptions } from '../pdf/index.js';
import type { Signer } from '../signers/signer.js';
import type { StampContext } from '../stamp/context.js';
import { timestampOver, type TimestampOutcome } from '../stamp/seal-timestamp.js';
import { extendToLevel } from './extend.js';
import { atLeast, type PadesLevel } from './levels.js';
import { appendSignedRevision } from './revision.js';
import { visibleField, type VisibleSpec } from './visible.js';

export type SealPdfOptions = {
  readonly signer: Signer;
  readonly certificate: CertificateRecord;
  readonly level: PadesLevel;
  /** 'auto' or a slug (a level above B-B needs a TSA). */
  readonly tsa: string;
  readonly reason?: string;
  readonly location?: string;
  readonly contactInfo?: string;
  readonly label?: string;
  readonly visible?: VisibleSpec;
  /** Exact output path; never overwritten. Default `<name>_sealed.pdf` beside the input. */
  readonly out?: string;
};

export type PadesOutcome = {
  readonly operation: OperationRecord;
  readonly outputPath: string;
  readonly level: PadesLevel;
  readonly timestampedBy: string | null;
  readonly qualified: boolean;
  /** The rest of the requested level waits in the queue (`queue run`). */
  readonly queued: boolean;
  readonly pendingReason: string | null;
  readonly failures: readonly TsaFailure[];
  readonly warnings: readonly string[];
};

export async function sealPdf(ctx: StampContext, file: string, o: SealPdfOptions): Promise<PadesOutcome> {
  const path = resolve(file);
  const now = ctx.now();
  const leaf = certificateFacts(o.signer.chain[0]!);
  if (now < leaf.notBefore || now > leaf.notAfter)
    throw new CoreError(
      'CERT_NOT_VALID',
      `the certificate "${leaf.subject}" is not valid now (valid ${leaf.notBefore.toISOString()} to ${leaf.notAfter.toISOString()})`,
    );
  const doc = PdfDocument.openFile(path);
  const outPath = o.out ? resolve(o.out) : sealedName(path);
  const alg = o.signer.defaultAlgorithm;
  let staged: StagedFile | undefined;
  try {
    assertMaySign(doc);
    const id = randomUUID();
    const warnings: string[] = [];
    const visible = o.visible
      ? visibleField(doc, o.visible, { signer: leaf.subject, date: now, reason: o.reason, warnings })
      : undefined;
    staged = await StagedFile.create(outPath, ['sha512', alg.hash]);
    await staged.copyFrom(path);
    if (staged.length !== doc.src.size)
      throw new CoreError('INPUT_UNREADABLE', `${file} changed while it was being sealed; try again`);
    const documentSha512 = toHex(await staged.digestWith('sha512'));
    const field: Omit<SignatureFieldOptions, 'contentsBytes'> = {
      kind: 'signature',
      signingTime: now,
      reason: o.reason,
      location: o.location,
      contactInfo: o.contactInfo,
      signerName: commonName(leaf.subject),
      visible,
    };
    let ts: TimestampOutcome = { token: null, provider: null, failures: [] };
    const wantsTime = atLeast(o.level, 'B-T');
    const revision = await appendSignedRevision(
      staged,
      doc,
      field,
      signatureReserve(o.signer, wantsTime),
      async (digest) => {
        const cades = await buildCades({ signer: o.signer, contentDigest: await digest(alg.hash), algorithm: alg });
        ts = wantsTime ? await timestampOver(ctx, cades.signatureValue, o.tsa, id) : ts;
        return ts.token ? addSignatureTimeStamp(cades.der, ts.token) : cades.der;
      },
    );
    const signature = revision!.der;
    let level: PadesLevel = ts.token ? 'B-T' : 'B-B';
    let ext = {
      timestampedBy: ts.provider?.name ?? null,
      qualified: ts.provider?.qualified ?? false,
      stopped: wantsTime && !ts.token ? 'no TSA answered: sealed at B-B, the time-stamp is queued' : null,
      failures: ts.failures,
    };
    if (level === 'B-T' && atLeast(o.level, 'B-LT')) {
      const x = await extendToLevel(ctx, staged, {
        from: level,
        to: o.level,
        tsa: o.tsa,
        operationId: id,
        cms: [signature],
      });
      level = x.reached;
      ext = { ...ext, stopped: x.stopped, failures: [...ext.failures, ...x.failures] };
    }
    const outputSha256 = toHex(await staged.digestWith('sha256'));
    const size = staged.length;
    await staged.publishNew(outPath);
    staged = undefined;
    const pending = level !== o.level;
    const operation = ctx.db.transaction(() => {
      const op = insertOperation(ctx.db, {
        id,
        documentSha512,
        label: o.label ?? null,
        status: pending ? 'timestamp_pending' : 'success',
        signatureType: 'pades',
        certificateId: o.certificate.id,
        certLabel: o.certificate.label,
        filePath: path,
        outputPath: outPath,
        outputSha256,
        signature,
        tsaName: ext.timestampedBy,
        requestedTsa: o.tsa,
        createdAt: now.toISOString(),
        level: o.level,
        reachedLevel: level,
      });
      recordOperationFile(ctx.db, {
        operationId: id,
        level,
        path: outPath,
        sha256: outputSha256,
        size,
        at: now.toISOString(),
      });
      return op;
    })();
    return {
      operation,
      outputPath: outPath,
      level,
      timestampedBy: ext.timestampedBy,
      qualified: ext.qualified,
      queued: pending,
      pendingReason: pending ? ext.stopped : null,
      failures: ext.failures,
      warnings,
    };
  } finally {
    await staged?.discard();
    doc.close();
  }
}

/** The seed's convention: `<name>_sealed.pdf` beside the input. */
export function sealedName(path: string): string {
  const ext = extname(path);
  return join(dirname(path), `${basename(path, ext)}_sealed${ext || '.pdf'}`);
}

/** Room for the CMS: certificates, signature, attributes, and a time-stamp token when one is asked for. */
function signatureReserve(signer: Signer, withTimestamp: boolean): number {
  const certs = signer.chain.reduce((n, c) => n + c.length, 0);
  return certs + 1024 + 1536 + (withTimestamp ? 10 * 1024 : 0);
}

function commonName(subject: string): string {
  return /CN=([^,]+)/.exec(subject)?.[1]?.trim() ?? subject;
}
