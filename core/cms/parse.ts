// Strict parse of a CMS ContentInfo(SignedData): one value, nothing after it, clear errors. The certificates and
// revocation values (often most of the bytes: CAdES-LT/LTA carry CRLs of megabytes) are split off as exact DER by a
// TLV walk; pkijs parses only the rest — its object per ASN.1 node made a large signature take seconds to read.
import * as pkijs from 'pkijs';
import { CMS_OID } from '../asn1/oids.js';
import { berLimits } from '../asn1/bytes.js';
import { decodeDer, octetStringBytes } from '../asn1/der.js';
import {
  TlvError,
  TlvLimitError,
  checkShape,
  childrenOf,
  oidOf,
  oidTlv,
  rootOf,
  slice,
  tlv,
  type Tlv,
} from '../asn1/tlv.js';
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

/**
 * Caps for what reaches asn1js/pkijs (an object per node: measured ~40 µs and ~1 KB per node on a loaded 2-core
 * machine, so 500,000 NULLs in an unsigned attribute took 16 s and 530 MB). The largest corpus signature (CAdES-C,
 * 177 KB without its certificates) has 26,000 nodes there. The certificates and CRLs, split off first, are not counted.
 */
export const CMS_LIMITS = { pkijsNodes: 200_000, depth: 64, certificates: 1_000, revocationValues: 4_096 } as const;

export function parseSignedData(der: Uint8Array, what = 'signature'): ParsedSignedData {
  const fail = (why: string, limit = false) =>
    new InputError(
      limit ? 'RESOURCE_LIMIT' : 'CMS_MALFORMED',
      `${limit ? 'refused' : 'not a valid'} CMS ${what}: ${why}`,
    );
  if (der.byteLength === 0) throw fail('the file is empty');
  let parts: ReturnType<typeof splitSignedData>;
  let certificateDers: Uint8Array[];
  let revocations: RevocationValue[];
  try {
    parts = splitSignedData(der);
    checkShape(parts.rest, rootOf(parts.rest), { maxNodes: CMS_LIMITS.pkijsNodes, maxDepth: CMS_LIMITS.depth });
    const certs = parts.certificates ? childrenOf(der, parts.certificates, CMS_LIMITS.certificates) : [];
    certificateDers = [
      ...certs.filter((c) => c.tag === 0x30).map((c) => slice(der, c)),
      ...attributeCertificates(der, parts.heavy),
    ];
    revocations = [
      ...(parts.crls ? revocationValues(der, parts.crls) : []),
      ...attributeRevocationValues(der, parts.heavy),
    ];
  } catch (err) {
    if (err instanceof TlvError) throw fail(err.message, err instanceof TlvLimitError);
    throw err;
  }
  let signedData: pkijs.SignedData;
  try {
    // asn1js by default also parses inside every primitive OCTET and BIT STRING (signatures, digests, eContent), which
    // nothing here reads as ASN.1 and checkShape does not count: not done, and its own node cap as well
    const maxNodes = Math.min(berLimits(parts.rest.byteLength).maxNodes, CMS_LIMITS.pkijsNodes);
    const parsed = decodeDer(parts.rest, { maxNodes, parseEmbedded: false });
    if (parsed.error !== undefined) {
      if (/^Maximum ASN\.1 (node count|nesting depth|content length) exceeded/.test(parsed.error))
        throw fail(parsed.error, true);
      throw new Error(parsed.error);
    }
    signedData = new pkijs.SignedData({ schema: parsed.result });
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw fail((err as Error).message);
  }
  return { signedData, certificateDers, revocationValues: revocations };
}

/**
 * The SignedData's fields but `certificates` [0] and `crls` [1] re-wrapped, and where those two sit; the values of the
 * signers' certificate-values and revocation-values attributes (CAdES-XL/-A: often megabytes of CRLs) are split off
 * too, pkijs seeing those attributes empty (nothing reads them through pkijs; archive time-stamps hash exact bytes).
 */
function splitSignedData(der: Uint8Array) {
  const fields = signedDataFields(der, rootOf(der));
  const certificates = fields.find((f) => f.tag === 0xa0);
  const crls = fields.find((f) => f.tag === 0xa1);
  const signerInfos = fields.at(-1);
  const heavy: Tlv[] = [];
  const kept = fields.filter((f) => f !== certificates && f !== crls);
  const rest = tlv(
    0x30,
    ...kept.map((f) => (f === signerInfos && f.tag === 0x31 ? lightSignerInfos(der, f, heavy) : slice(der, f))),
  );
  return { rest, certificates, crls, heavy };
}

const HEAVY_ATTRIBUTES = new Set<string>([CMS_OID.certValues, CMS_OID.revocationValues]);

function lightSignerInfos(der: Uint8Array, set: Tlv, heavy: Tlv[]): Uint8Array {
  return tlv(
    0x31,
    ...childrenOf(der, set, 16).map((si) => {
      const siFields = childrenOf(der, si);
      const unsigned = siFields.at(-1)?.tag === 0xa1 ? siFields.at(-1)! : null;
      if (!unsigned) return slice(der, si);
      const attrs = childrenOf(der, unsigned).map((a) => {
        const [type, values] = childrenOf(der, a);
        if (type?.tag !== 0x06 || values?.tag !== 0x31 || !HEAVY_ATTRIBUTES.has(oidOf(der, type))) return slice(der, a);
        heavy.push(a);
        return tlv(0x30, slice(der, type), tlv(0x31));
      });
      return tlv(0x30, ...siFields.slice(0, -1).map((f) => slice(der, f)), tlv(0xa1, ...attrs));
    }),
  );
}

/** CertificateValues ::= SEQUENCE OF Certificate (RFC 5126 §6.3.3): the intermediates a CAdES-XL signer ships. */
function attributeCertificates(der: Uint8Array, attrs: readonly Tlv[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const a of attrs) {
    const [type, values] = childrenOf(der, a);
    if (oidOf(der, type!) !== CMS_OID.certValues) continue;
    for (const value of childrenOf(der, values!, 4)) {
      if (value.tag === 0x30)
        for (const c of childrenOf(der, value, CMS_LIMITS.certificates)) if (c.tag === 0x30) out.push(slice(der, c));
    }
  }
  return out;
}

/**
 * RevocationValues ::= SEQUENCE { crlVals [0] SEQUENCE OF CertificateList, ocspVals [1] SEQUENCE OF BasicOCSPResponse,
 * ... } (RFC 5126 §6.3.4): the CRLs as they are, each BasicOCSPResponse wrapped as a successful OCSPResponse.
 */
function attributeRevocationValues(der: Uint8Array, attrs: readonly Tlv[]): RevocationValue[] {
  const out: RevocationValue[] = [];
  for (const a of attrs) {
    const [type, values] = childrenOf(der, a);
    if (oidOf(der, type!) !== CMS_OID.revocationValues) continue;
    for (const value of childrenOf(der, values!, 4)) {
      for (const group of value.tag === 0x30 ? childrenOf(der, value, 3) : []) {
        const items = childrenOf(
          der,
          group.tag === 0xa0 || group.tag === 0xa1 ? childrenOf(der, group, 1)[0]! : group,
          CMS_LIMITS.revocationValues,
        );
        for (const item of items) {
          if (group.tag === 0xa0) out.push({ kind: 'crl', der: slice(der, item) });
          if (group.tag === 0xa1) {
            const bytes = tlv(
              0x30,
              tlv(0x0a, Uint8Array.of(0)),
              tlv(0xa0, tlv(0x30, oidTlv(CMS_OID.ocspBasic), tlv(0x04, slice(der, item)))),
            );
            out.push({ kind: 'ocsp', der: bytes });
          }
        }
      }
    }
  }
  return out;
}

/** RevocationInfoChoice ::= CertificateList | [1] OtherRevocationInfoFormat { otherRevInfoFormat OID, otherRevInfo } */
function revocationValues(der: Uint8Array, set: Tlv): RevocationValue[] {
  const out: RevocationValue[] = [];
  for (const c of childrenOf(der, set, CMS_LIMITS.revocationValues)) {
    if (c.tag === 0x30) out.push({ kind: 'crl', der: slice(der, c) });
    else if (c.tag === 0xa1) {
      const [format, value] = childrenOf(der, c);
      if (format?.tag === 0x06 && value && oidOf(der, format) === CMS_OID.riOcspResponse)
        out.push({ kind: 'ocsp', der: slice(der, value) });
    }
  }
  return out;
}

/** The encapsulated content of an enveloping (attached) signature, or null when it is detached. */
export function attachedContent(parsed: ParsedSignedData): Uint8Array | null {
  const e = parsed.signedData.encapContentInfo.eContent;
  return e ? octetStringBytes(e) : null;
}
