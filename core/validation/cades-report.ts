// Verifies a detached CAdES signature (.p7s) over a file: the seed's /seal/verify CAdES shape, plus the reasons; the
// signer judged at the proof of existence a trusted time-stamp gives (ETSI EN 319 102-1 §5.6), else at the validation time.
import * as asn1js from 'asn1js';
import { bytesEqual, toHex } from '../asn1/bytes.js';
import { certificateFacts } from '../asn1/certificate.js';
import { CMS_OID, OID, isRequestHash, type DigestAlgorithm } from '../asn1/oids.js';
import { essProblems } from '../cms/ess.js';
import { attachedContent, parseSignedData } from '../cms/parse.js';
import { locateSigner, pkijsSignerId } from '../cms/signer-info.js';
import { rawAttributes } from '../cms/attributes.js';
import { signerInfoSignature, signerDigest } from '../cms/verify-signer.js';
import { eddsaDigestProblem } from '../cms/signed-attributes-signature.js';
import { algorithmRef } from '../cms/signature-algorithms.js';
import { hashBytes } from '../hash/hash-file.js';
import { inspectTimeStamp, type TokenReport } from '../tsp/token-report.js';
import { evaluateTrust, type ExtraTrust, type Trust } from './trust.js';
import { errorMessage } from '../errors.js';
import { decide, type Finding } from './indication.js';
import { checkRevocation, cmsRevocationValues } from './revocation-check.js';
import { judgeArchiveTimestamps, revocationAtArchiveTimes } from './cades-archive.js';

import type { CadesReport } from '../model/cades-report.js';
import type { Qualification, TrustSource } from '../model/qualification.js';

export type { CadesReport };

export type CadesVerifyOptions = {
  /**
   * Hashes the detached content with the algorithm the signature names (streamed by the caller).
   * Absent: the signature must be attached (enveloping, .p7m) and its own content is hashed.
   */
  readonly digestContent?: (alg: DigestAlgorithm) => Promise<Uint8Array>;
  readonly anchors?: readonly Uint8Array[];
  readonly devAnchors?: readonly Uint8Array[];
  /** A standalone .tsr given with the signature (`--tsr`). */
  readonly externalTsr?: Uint8Array;
  readonly now: Date;
  /** The EU trusted lists when loaded (core/tl/assess.ts cadesTl: functions, so validation imports nothing of tl). */
  readonly tl?: CadesTl | null;
};

export type CadesTl = {
  /** `--trust-eu`: trust from the lists after the explicit anchors. */
  readonly extraTrust?: ExtraTrust;
  readonly signer: (der: Uint8Array, intermediates: readonly Uint8Array[], at: Date) => Qualification;
  readonly timestamp: (tsa: Uint8Array, certificates: readonly Uint8Array[], genTime: Date) => Qualification;
};

export async function verifyCades(p7s: Uint8Array, o: CadesVerifyOptions): Promise<CadesReport> {
  const parsed = parseSignedData(p7s, o.digestContent ? 'signature (.p7s)' : 'signed file (.p7m)');
  const { signedData, certificateDers } = parsed;
  const problems: string[] = [];
  // Problems another finding accounts for (the digest, the signature value, the time, revocation); the rest are
  // constraints the signature fails (SIG_CONSTRAINTS_FAILURE).
  const accounted = new Set<string>();
  const account = (p: string) => {
    accounted.add(p);
    problems.push(p);
  };
  if (signedData.signerInfos.length !== 1)
    problems.push(`the signature has ${signedData.signerInfos.length} signers; CAdES requires exactly one`);
  const si = signedData.signerInfos[0];
  if (!si) return empty('the signature has no SignerInfo');
  const eContent = signedData.encapContentInfo.eContent;
  if (eContent && o.digestContent)
    problems.push('the signature encapsulates content: it is not a detached signature of this file');
  if (!eContent && !o.digestContent)
    return empty('the signature holds no content (it is detached): verify it with the file it signs, `--p7s`');
  const digestAlg = signerDigest(si);
  if (!digestAlg) return empty(`unsupported digest algorithm ${si.digestAlgorithm.algorithmId}`);
  // One read of the content per algorithm: the archive time-stamps may use another hash than the signer.
  const digests = new Map<DigestAlgorithm, Promise<Uint8Array>>();
  const digestOf = (alg: DigestAlgorithm) => {
    if (!digests.has(alg))
      digests.set(
        alg,
        o.digestContent ? o.digestContent(alg) : Promise.resolve(hashBytes(alg, attachedContent(parsed)!)),
      );
    return digests.get(alg)!;
  };
  const fileDigest = await digestOf(digestAlg);
  const attrs = si.signedAttrs?.attributes ?? [];
  const md = attrs.find((a) => a.type === OID.messageDigest)?.values?.[0];
  const hashMatch =
    md instanceof asn1js.OctetString && bytesEqual(new Uint8Array(md.valueBlock.valueHexView), fileDigest);
  if (!si.signedAttrs) problems.push('the signature has no signed attributes (CAdES requires them)');
  else if (!hashMatch)
    account('the file does not match the signature: its digest differs from the signed message digest');
  const located = locateSigner(pkijsSignerId(si), certificateDers, []);
  if (!located)
    return { ...empty("the signer's certificate is not in the signature"), hashMatch, fileHashHex: toHex(fileDigest) };
  let signer: ReturnType<typeof certificateFacts>;
  try {
    signer = certificateFacts(located.der);
  } catch (err) {
    return {
      ...empty(`the signer's certificate cannot be read (${errorMessage(err)})`),
      hashMatch,
      fileHashHex: toHex(fileDigest),
    };
  }
  // Without signed attributes the value would cover the whole content, which CAdES never does: already a problem above.
  const verdict = si.signedAttrs ? signerInfoSignature(si, located.der) : null;
  const signatureOk = verdict?.ok ?? false;
  if (verdict?.failure) account(verdict.failure.reason);
  const eddsa = eddsaDigestProblem(algorithmRef(si.signatureAlgorithm), digestAlg);
  if (eddsa) problems.push(eddsa);
  if (si.signedAttrs)
    problems.push(...essProblems(rawAttributes(attrs), signer).filter((p) => !p.includes('has no ESS')));
  if (si.signedAttrs && !attrs.some((a) => a.type === OID.signingCertificateV2 || a.type === OID.signingCertificate))
    problems.push(
      'no ESS signing-certificate attribute: the signer certificate is not bound to the signature (CAdES-B requires it)',
    );
  if (digestAlg === 'sha1') problems.push('the signature uses SHA-1, which is no longer secure');

  const signatureValue = new Uint8Array(si.signature.valueBlock.valueHexView);
  const ts = await embeddedTimestamp(si.unsignedAttrs?.attributes ?? [], signatureValue, problems);
  const external = o.externalTsr ? await externalTimestamp(o.externalTsr, signatureValue, fileDigest) : null;
  const proof = ts ?? (external && !external.error ? external.report : null);
  // A time-stamp proves existence only when its TSA chains to a trust anchor (issue 13): otherwise its time is shown,
  // and the signer is judged at the validation time.
  const tsa = proof ? await timestampTrust(proof, certificateDers, o) : null;
  const proven = proof?.genTime && tsa?.trust === 'chained' ? new Date(proof.genTime) : null;
  const unreliable =
    proof?.genTime && !proven
      ? `the time-stamp's time, ${proof.genTime}, cannot be relied on as proof of existence: ${tsa?.message ?? 'its TSA is not trusted'}`
      : null;
  const at = proven ?? o.now;
  const outOfBounds = at < signer.notBefore || at > signer.notAfter;
  const validity = `valid ${signer.notBefore.toISOString()} to ${signer.notAfter.toISOString()}`;
  const why = unreliable ? `; ${unreliable}` : '';
  if (outOfBounds) account(`the signer certificate was not valid at ${at.toISOString()} (${validity})${why}`);
  const trustAt = (t: Date) =>
    evaluateTrust(located.der, {
      anchors: o.anchors ?? [],
      devAnchors: o.devAnchors ?? [],
      intermediates: certificateDers,
      at: t,
      extraTrust: o.tl?.extraTrust,
    });
  const trust = await trustAt(at);
  // Out of bounds, the path fails at `at` too: is there one while the certificate was valid (then only the time is
  // wrong: OUT_OF_BOUNDS_NO_POE, not NO_CERTIFICATE_CHAIN_FOUND)?
  const pathInBounds =
    outOfBounds &&
    trust.trust !== 'chained' &&
    (await trustAt(at < signer.notBefore ? signer.notBefore : signer.notAfter)).trust === 'chained';
  const signingTime = attrs.find((a) => a.type === CMS_OID.signingTime)?.values?.[0];
  const revocationPool = cmsRevocationValues(parsed);
  const unsigned = si.unsignedAttrs?.attributes ?? [];
  const sigToken = unsigned.find((a) => a.type === CMS_OID.signatureTimeStampToken)?.values?.[0] as
    asn1js.AsnType | undefined;
  const hasArchive = unsigned.some((a) => a.type === CMS_OID.archiveTimeStampV3);
  const archive =
    hasArchive || sigToken
      ? await judgeArchiveTimestamps(p7s, {
          digestContent: digestOf,
          signatureToken: sigToken ? exactBytes(sigToken) : null,
          anchors: o.anchors ?? [],
          devAnchors: o.devAnchors ?? [],
          revocation: revocationPool,
          now: o.now,
        }).catch((err: unknown) => ({
          signatureTimestamp: null,
          archiveTimestamps: [],
          problems: [`the archive time-stamps cannot be checked: ${errorMessage(err)}`],
        }))
      : { signatureTimestamp: null, archiveTimestamps: [], problems: [] };
  const signerIssuer = issuerOf(located.der, certificateDers);
  let revocation = await checkRevocation(
    located.der,
    signerIssuer,
    revocationPool,
    { at, proven: proven !== null },
    null,
  );
  // Validation data added for an archive time-stamp was fetched after signing: it speaks for the time that ATS proves.
  if (revocation.status === 'missing' && hasArchive)
    revocation =
      (await revocationAtArchiveTimes(located.der, signerIssuer, revocationPool, archive.archiveTimestamps)) ??
      revocation;
  if (revocation.status === 'missing') account(`revocation: ${revocation.detail}`);
  // A revocation after a proven existence does not touch the signature (EN 319 102-1 §5.6.2.4).
  const revoked =
    revocation.status === 'revoked' && (!proven || !revocation.revokedAt || new Date(revocation.revokedAt) <= proven);
  const on = revocation.revokedAt ? ` on ${revocation.revokedAt}` : '';
  if (revoked) account(`the signer's certificate is revoked: ${revocation.detail}${on}${why}`);
  if (hasArchive) problems.push(...archive.problems);
  return withIndication(
    {
      signaturePresent: true,
      hashMatch,
      fileHashHex: toHex(fileDigest),
      certificate: {
        subject: signer.subject,
        issuer: signer.issuer,
        notBefore: signer.notBefore.toISOString(),
        notAfter: signer.notAfter.toISOString(),
        trust: trust.trust,
        trustPath: trust.path,
        trustMessage: trust.message,
        trustSource: trust.source,
        qualification: o.tl ? o.tl.signer(located.der, certificateDers, at) : null,
      },
      timestamp: proof
        ? {
            genTime: proof.genTime!,
            tsaName: proof.tsaName,
            trusted: proven !== null,
            trustSource: tsa?.source ?? null,
            qualification:
              o.tl && proof.signerDer && proof.genTime
                ? o.tl.timestamp(proof.signerDer, [...proof.certificates, ...certificateDers], new Date(proof.genTime))
                : null,
          }
        : null,
      tsrSource: ts ? 'embedded' : external && !external.error ? 'external' : null,
      tsrMatchError: external?.error ?? null,
      error: problems[0] ?? null,
      intact: hashMatch && signatureOk,
      valid: problems.length === 0 && hashMatch && signatureOk && trust.trust === 'chained',
      signingTime:
        signingTime instanceof asn1js.UTCTime || signingTime instanceof asn1js.GeneralizedTime
          ? signingTime.toDate().toISOString()
          : null,
      signatureAlgorithmOid: si.signatureAlgorithm.algorithmId,
      problems,
      revocation,
      signatureTimestamp: archive.signatureTimestamp,
      archiveTimestamps: archive.archiveTimestamps,
      warnings: [...(verdict?.warnings ?? []), ...(unreliable ? [unreliable] : [])],
      signatureFailure: verdict?.failure?.sub ?? null,
    },
    { revoked, outOfBounds, pathInBounds, constraints: problems.filter((p) => !accounted.has(p)) },
  );
}

type TsaTrust = { readonly trust: Trust; readonly message: string; readonly source?: TrustSource | null };

/** The TSA's trust at the time-stamp's own time, against the given anchors only. */
async function timestampTrust(t: TokenReport, pool: readonly Uint8Array[], o: CadesVerifyOptions): Promise<TsaTrust> {
  if (!t.signerDer || !t.genTime)
    return { trust: 'untrusted', message: 'the time-stamp does not carry its TSA certificate' };
  const intermediates = [...t.certificates, ...pool];
  const anchors = { anchors: o.anchors ?? [], devAnchors: o.devAnchors ?? [] };
  const at = new Date(t.genTime);
  const r = await evaluateTrust(t.signerDer, { ...anchors, intermediates, at, extraTrust: o.tl?.extraTrust });
  if (r.trust === 'chained') return { trust: r.trust, message: r.message, source: r.source };
  return { trust: r.trust, message: `its TSA certificate does not chain to a trust anchor (${r.message})` };
}

function exactBytes(v: asn1js.AsnType): Uint8Array {
  return new Uint8Array(v.valueBeforeDecodeView.byteLength ? v.valueBeforeDecodeView : v.toBER(false));
}

/** The outcome in ETSI terms through the one decider (./indication.ts): each fact a finding, the worst decides. */
type IndicationFacts = {
  readonly revoked?: boolean;
  readonly outOfBounds?: boolean;
  /** The signer chains to an anchor while its certificate was valid (so only the time is wrong). */
  readonly pathInBounds?: boolean;
  /** The problems no other finding accounts for (default: all of them). */
  readonly constraints?: readonly string[];
};

function withIndication(r: Omit<CadesReport, 'indication' | 'subIndication'>, f: IndicationFacts = {}): CadesReport {
  const revoked = f.revoked ?? r.revocation?.status === 'revoked';
  const findings: Finding[] = [];
  const add = (when: boolean, sub: Finding['sub'], reason: string) => {
    if (when) findings.push({ sub, reason });
  };
  add(!r.signaturePresent, 'FORMAT_FAILURE', r.error ?? 'no readable CAdES signature');
  add(!r.hashMatch, 'HASH_FAILURE', 'the file does not match the signed message digest');
  add(
    !r.intact,
    r.signatureFailure ?? 'SIG_CRYPTO_FAILURE',
    "the signature value does not verify with the signer's key",
  );
  add(revoked, 'REVOKED', "the signer's certificate is revoked");
  add(f.outOfBounds === true, 'OUT_OF_BOUNDS_NO_POE', "the signer's certificate was not valid at the time judged");
  add(
    r.certificate?.trust !== 'chained' && !f.pathInBounds,
    'NO_CERTIFICATE_CHAIN_FOUND',
    "the signer's certificate does not chain to a trust anchor",
  );
  add(r.revocation?.status === 'missing', 'TRY_LATER', "the signer's revocation status cannot be had");
  const constraints = f.constraints ?? r.problems;
  add(constraints.length > 0, 'SIG_CONSTRAINTS_FAILURE', constraints.join('; '));
  const { indication, subIndication } = decide(findings, r.intact);
  return { ...r, indication, subIndication };
}

function issuerOf(der: Uint8Array, pool: readonly Uint8Array[]): Uint8Array | null {
  const f = certificateFacts(der);
  return f.selfSigned ? null : (pool.find((c) => certificateFacts(c).subject === f.issuer) ?? null);
}

function empty(error: string): CadesReport {
  return withIndication({
    signaturePresent: false,
    hashMatch: false,
    fileHashHex: null,
    certificate: null,
    timestamp: null,
    tsrSource: null,
    tsrMatchError: null,
    error,
    intact: false,
    valid: false,
    signingTime: null,
    signatureAlgorithmOid: null,
    problems: [error],
    revocation: null,
    signatureTimestamp: null,
    archiveTimestamps: [],
  });
}

/** ETSI EN 319 122-1 §5.3: the signature-time-stamp's imprint covers the signature value. */
async function embeddedTimestamp(
  unsigned: readonly { type: string; values: unknown[] }[],
  signatureValue: Uint8Array,
  problems: string[],
): Promise<TokenReport | null> {
  const attr = unsigned.find((a) => a.type === CMS_OID.signatureTimeStampToken);
  const token = attr?.values?.[0] as asn1js.AsnType | undefined;
  if (!token) return null;
  const report = await inspectTimeStamp(
    new Uint8Array(token.valueBeforeDecodeView.byteLength ? token.valueBeforeDecodeView : token.toBER(false)),
  ).catch(() => null);
  if (!report) return problemOf(problems, 'the signature time-stamp cannot be read');
  if (report.problems.length)
    return problemOf(problems, `the signature time-stamp is not valid: ${report.problems.join('; ')}`);
  if (!coversImprint(report, signatureValue))
    return problemOf(
      problems,
      'the signature time-stamp is for other data: its imprint does not cover this signature value',
    );
  return report;
}

function problemOf(problems: string[], p: string): null {
  problems.push(p);
  return null;
}

async function externalTimestamp(
  tsr: Uint8Array,
  signatureValue: Uint8Array,
  fileDigest: Uint8Array,
): Promise<{ report: TokenReport | null; error: string | null }> {
  const report = await inspectTimeStamp(tsr).catch((err: Error) => err);
  if (report instanceof Error) return { report: null, error: report.message };
  if (report.problems.length) return { report, error: `the .tsr is not valid: ${report.problems.join('; ')}` };
  if (coversImprint(report, signatureValue) || (report.imprintHex !== null && report.imprintHex === toHex(fileDigest)))
    return { report, error: null };
  return { report, error: 'the .tsr is for other data: its imprint matches neither this signature nor this file' };
}

function coversImprint(report: TokenReport, data: Uint8Array): boolean {
  const alg = report.hashAlgorithm;
  return alg !== null && isRequestHash(alg) && report.imprintHex === toHex(hashBytes(alg, data));
}
