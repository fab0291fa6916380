// RFC 6960: an OCSP request for one certificate, and the checks its response must pass before Sealdesk embeds it.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { exactBuffer } from '../asn1/bytes.js';
import { decodeDer } from '../asn1/der.js';
import { CoreError } from '../errors.js';

export type RevocationStatus = {
  readonly status: 'good' | 'revoked' | 'unknown';
  /** When the answer was issued: OCSP SingleResponse.thisUpdate, CRL thisUpdate. */
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | null;
  readonly revokedAt?: Date;
};

/** Clocks differ: an answer up to five minutes "in the future" is taken as issued now. */
export const CLOCK_SKEW_MS = 5 * 60_000;

export async function ocspRequest(cert: pkijs.Certificate, issuer: pkijs.Certificate): Promise<Uint8Array> {
  const req = new pkijs.OCSPRequest();
  await req.createForCertificate(cert, { hashAlgorithm: 'SHA-256', issuerCertificate: issuer });
  return new Uint8Array(req.toSchema(true).toBER(false));
}

/** The status the response gives `cert`, after checking it is a successful response signed by an authorised responder;
 * with `now`, also that it is current then (thisUpdate not in the future, nextUpdate not passed). */
export async function checkOcspResponse(
  der: Uint8Array,
  cert: pkijs.Certificate,
  issuer: pkijs.Certificate,
  now: Date | null,
): Promise<RevocationStatus> {
  const bad = (why: string) => new CoreError('REVOCATION_UNAVAILABLE', `unusable OCSP response: ${why}`);
  const basic = basicResponse(der);
  if (typeof basic === 'string') throw bad(basic);
  // Which certificate it answers for first (serial, then CertID hashes): a pool of answers is searched per certificate.
  const single = await findSingle(basic, cert, issuer);
  if (!single) throw bad('it does not answer for this certificate');
  const ok = await basic.verify({ trustedCerts: [issuer], issuerCerts: [issuer] }).catch((err: Error) => {
    throw bad(err.message);
  });
  if (!ok) throw bad('its signature does not verify');
  const nextUpdate = single.nextUpdate ?? null;
  const thisUpdate = single.thisUpdate;
  if (now && thisUpdate > new Date(now.getTime() + CLOCK_SKEW_MS)) throw bad('its thisUpdate is in the future');
  if (now && nextUpdate && nextUpdate < now) throw bad('it is stale (nextUpdate has passed)');
  const tag = single.certStatus.idBlock.tagNumber;
  if (tag === 1) return { status: 'revoked', thisUpdate, nextUpdate, revokedAt: revocationTime(single.certStatus) };
  return { status: tag === 0 ? 'good' : 'unknown', thisUpdate, nextUpdate };
}

/** One parse per response bytes (a verification checks the same pool of answers for every certificate of a chain). */
const parsedResponses = new WeakMap<Uint8Array, pkijs.BasicOCSPResponse | string>();

function basicResponse(der: Uint8Array): pkijs.BasicOCSPResponse | string {
  let basic = parsedResponses.get(der);
  if (basic === undefined) {
    basic = parseBasic(der);
    parsedResponses.set(der, basic);
  }
  return basic;
}

function parseBasic(der: Uint8Array): pkijs.BasicOCSPResponse | string {
  const parsed = decodeDer(der);
  if (parsed.error !== undefined) return parsed.error;
  try {
    const resp = new pkijs.OCSPResponse({ schema: parsed.result });
    if (resp.responseStatus.valueBlock.valueDec !== 0)
      return `responder status ${resp.responseStatus.valueBlock.valueDec}`;
    if (!resp.responseBytes) return 'no response bytes';
    return new pkijs.BasicOCSPResponse({
      schema: asn1js.fromBER(resp.responseBytes.response.valueBlock.valueHexView).result,
    });
  } catch (err) {
    return (err as Error).message;
  }
}

async function findSingle(
  basic: pkijs.BasicOCSPResponse,
  cert: pkijs.Certificate,
  issuer: pkijs.Certificate,
): Promise<pkijs.SingleResponse | undefined> {
  for (const s of basic.tbsResponseData.responses) {
    if (!s.certID.serialNumber.isEqual(cert.serialNumber)) continue;
    const id = new pkijs.CertID();
    await id.createForCertificate(cert, {
      hashAlgorithm: pkijs.getAlgorithmByOID(s.certID.hashAlgorithm.algorithmId, true, 'hashAlgorithm').name,
      issuerCertificate: issuer,
    });
    if (id.isEqual(s.certID)) return s;
  }
  return undefined;
}

function revocationTime(status: asn1js.AsnType): Date | undefined {
  const inner = (status as asn1js.Constructed).valueBlock?.value?.[0] as asn1js.GeneralizedTime | undefined;
  return inner?.toDate?.();
}

export const certificateOf = (der: Uint8Array) => pkijs.Certificate.fromBER(exactBuffer(der));
