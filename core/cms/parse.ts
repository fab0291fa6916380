// Strict parse of a CMS ContentInfo(SignedData): one value, nothing after it, clear errors. The certificates and
// revocation values (often most of the bytes: CAdES-LT/LTA carry CRLs of megabytes) are split off as exact DER by a
// TLV walk; pkijs parses only the rest — its object per ASN.1 node made a large signature take seconds to read.
import * as pkijs from 'pkijs';
import { CMS_OID } from '../asn1/oids.js';
import { decodeDer, octetStringBytes } from '../asn1/der.js';
import { TlvError, childrenOf, oidOf, rootOf, slice, tlv, type Tlv } from '../asn1/tlv.js';
import { InputError } from '../errors.js';
import { signedDataFields } from './content-info.js';

export type RevocationValue = { readonly kind: 'crl' | 'ocsp'; readonly der: Uint8Array };

export type ParsedSignedData = {
  /** Without `certificates` and `crls`: those are below, as exact DER. */
  readonly signedData: pkijs.SignedData;
  /** Exact DER of each X.509 certificate in SignedData.certificates (other CertificateChoices skipped). */
  readonly certificateDers: readonly Uint8Array[];
  /** SignedData.crls: each CRL, and each id-ri-ocsp-response (RFC 5940) as the OCSPResponse's DER. */
  readonly revocationValues: readonly RevocationValue[];
};

export function parseSignedData(der: Uint8Array, what = 'signature'): ParsedSignedData {
  const fail = (why: string) => new InputError('CMS_MALFORMED', `not a valid CMS ${what}: ${why}`);
  if (der.byteLength === 0) throw fail('the file is empty');
  let parts: { rest: Uint8Array; certificates: Tlv | undefined; crls: Tlv | undefined };
  try {
    parts = splitSignedData(der);
  } catch (err) {
    if (err instanceof TlvError) throw fail(err.message);
    throw err;
  }
  let signedData: pkijs.SignedData;
  try {
    const parsed = decodeDer(parts.rest);
    if (parsed.error !== undefined) throw new Error(parsed.error);
    signedData = new pkijs.SignedData({ schema: parsed.result });
  } catch (err) {
    throw fail((err as Error).message);
  }
  const certificateDers = parts.certificates ? childrenOf(der, parts.certificates).filter((c) => c.tag === 0x30).map((c) => slice(der, c)) : [];
  return { signedData, certificateDers, revocationValues: parts.crls ? revocationValues(der, parts.crls) : [] };
}

/** The SignedData's fields but `certificates` [0] and `crls` [1] re-wrapped, and where those two sit. */
function splitSignedData(der: Uint8Array) {
  const fields = signedDataFields(der, rootOf(der));
  const certificates = fields.find((f) => f.tag === 0xa0);
  const crls = fields.find((f) => f.tag === 0xa1);
  const rest = tlv(0x30, ...fields.filter((f) => f !== certificates && f !== crls).map((f) => slice(der, f)));
  return { rest, certificates, crls };
}

/** RevocationInfoChoice ::= CertificateList | [1] OtherRevocationInfoFormat { otherRevInfoFormat OID, otherRevInfo } */
function revocationValues(der: Uint8Array, set: Tlv): RevocationValue[] {
  const out: RevocationValue[] = [];
  for (const c of childrenOf(der, set)) {
    if (c.tag === 0x30) out.push({ kind: 'crl', der: slice(der, c) });
    else if (c.tag === 0xa1) {
      const [format, value] = childrenOf(der, c);
      if (format?.tag === 0x06 && value && oidOf(der, format) === CMS_OID.riOcspResponse) out.push({ kind: 'ocsp', der: slice(der, value) });
    }
  }
  return out;
}

/** The encapsulated content of an enveloping (attached) signature, or null when it is detached. */
export function attachedContent(parsed: ParsedSignedData): Uint8Array | null {
  const e = parsed.signedData.encapContentInfo.eContent;
  return e ? octetStringBytes(e) : null;
}
