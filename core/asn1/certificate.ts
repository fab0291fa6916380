// Plain facts about an X.509 certificate (RFC 5280), read from its exact DER with the TLV walk (core/asn1/cert-fields.ts)
// rather than @peculiar/x509: initialising that library and its schema packages costs 25–40 ms per process, more than
// the facts themselves on the seal and verify paths (issue 15, "A fast CLI"). The values are the library's own
// (test/unit/asn1 checks them on every certificate of the corpus and the EU trusted lists). `parsedCertificate` (the
// library's object) stays for the code that needs more than these facts: core/asn1/x509-certificate.ts.
import { OID } from './oids.js';
import { CoreError, InputError } from '../errors.js';
import { integerHex } from './bytes.js';
import { MAX_CERTIFICATE_BYTES } from './cert-der.js';
import { extensionOf, tbsFields } from './cert-fields.js';
import { renderName, asn1jsOid } from './names.js';
import {
  TlvError,
  TlvLimitError,
  bitSet,
  bitString,
  childrenOf,
  content,
  generalizedTime,
  rootOf,
  utcTime,
} from './tlv.js';
import type { Tlv } from './tlv.js';

export type CertificateFacts = {
  readonly subject: string;
  readonly issuer: string;
  readonly serialHex: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly selfSigned: boolean;
  /** Extended key usage purposes, and whether the extension is critical (null: absent). */
  readonly extKeyUsage: { readonly purposes: readonly string[]; readonly critical: boolean } | null;
  readonly der: Uint8Array;
};

/** The same TSA or signer certificate comes back with every token: parse each distinct DER once. */
const factsCache = new Map<string, CertificateFacts>();
const FACTS_CACHE_MAX = 256;

export function certificateFacts(der: Uint8Array): CertificateFacts {
  const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const cached = factsCache.get(key);
  if (cached) return cached;
  const facts = readCertificate(der, parseFacts);
  if (factsCache.size >= FACTS_CACHE_MAX) factsCache.delete(factsCache.keys().next().value!);
  factsCache.set(key, facts);
  return facts;
}

/** The key usage bits (RFC 5280 §4.2.1.3) by name, in bit order. */
const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

/** The certificate's key usage bits by name (RFC 5280 order), or null when it has no KeyUsage extension. */
export function keyUsageNames(der: Uint8Array): string[] | null {
  return readCertificate(der, () => {
    const ext = extensionOf(der, OID_KEY_USAGE);
    if (!ext) return null;
    const bits = bitString(ext.value, rootOfTag(ext.value, 0x03), 6); // 9 bits are named: longer is refused
    return KEY_USAGE_BITS.filter((_, i) => bitSet(bits, i));
  });
}

const OID_KEY_USAGE = '2.5.29.15';
const OID_EXT_KEY_USAGE = '2.5.29.37';

/** The root value of an extension's DER, which must carry `tag` and span all of it. */
export function rootOfTag(value: Uint8Array, tag: number): Tlv {
  const root = rootOf(value);
  if (root.tag !== tag) throw new TlvError(`an extension value with tag 0x${root.tag.toString(16)}`);
  return root;
}

/**
 * Runs a reader over a certificate's DER: RESOURCE_LIMIT past MAX_CERTIFICATE_BYTES (before any parse) or for a
 * value past a TLV cap, CERT_MALFORMED for bytes that are not a certificate; never another error.
 */
export function readCertificate<T>(der: Uint8Array, read: (der: Uint8Array) => T): T {
  if (der.length > MAX_CERTIFICATE_BYTES) {
    const why = `at most ${MAX_CERTIFICATE_BYTES}`;
    throw new InputError('RESOURCE_LIMIT', `a certificate of ${der.length} bytes is not read (${why})`);
  }
  try {
    return read(der);
  } catch (err) {
    if (err instanceof CoreError) throw err;
    const why = (err as Error).message;
    if (err instanceof TlvLimitError)
      throw new InputError('RESOURCE_LIMIT', `a certificate goes past a limit: ${why}`, { cause: err });
    throw new InputError('CERT_MALFORMED', `a certificate cannot be read: ${why}`, { cause: err });
  }
}

function parseFacts(der: Uint8Array): CertificateFacts {
  const f = tbsFields(der);
  const subject = renderName(der, f.subject);
  const issuer = renderName(der, f.issuer);
  return {
    subject,
    issuer,
    serialHex: integerHex(content(der, f.serial)),
    notBefore: time(der, f.notBefore),
    notAfter: time(der, f.notAfter),
    selfSigned: subject === issuer,
    extKeyUsage: extKeyUsage(f.extensions.find((e) => e.oid === OID_EXT_KEY_USAGE)),
    der: new Uint8Array(der), // a private copy: cached facts must not change if the caller's buffer does
  };
}

/** RFC 5280 §4.1.2.5: UTCTime YYMMDDHHMMSSZ (50–99 → 19xx), GeneralizedTime YYYYMMDDHHMMSSZ. */
const time = (der: Uint8Array, t: Tlv): Date => (t.tag === 0x17 ? utcTime(der, t) : generalizedTime(der, t));

/** ExtKeyUsageSyntax (RFC 5280 §4.2.1.12): a SEQUENCE OF KeyPurposeId, written as asn1js writes OIDs. */
function extKeyUsage(ext: { readonly value: Uint8Array; readonly critical: boolean } | undefined) {
  if (!ext) return null;
  const purposes = childrenOf(ext.value, rootOfTag(ext.value, 0x30)).map((p) => {
    if (p.tag !== 0x06) throw new TlvError('an extended key usage purpose that is not an OID');
    return asn1jsOid(content(ext.value, p));
  });
  return { purposes, critical: ext.critical };
}

/** RFC 3161 §2.3: exactly one EKU extension, critical, whose only purpose is id-kp-timeStamping. */
export function timeStampingEkuProblem(facts: CertificateFacts): string | null {
  const eku = facts.extKeyUsage;
  if (!eku)
    return 'the TSA certificate has no extended key usage extension (RFC 3161 requires a critical timeStamping EKU)';
  if (!eku.purposes.includes(OID.kpTimeStamping))
    return 'the TSA certificate is not authorised for time stamping (no timeStamping EKU)';
  if (!eku.critical)
    return "the TSA certificate's timeStamping extended key usage is not marked critical (RFC 3161 §2.3)";
  if (eku.purposes.length !== 1)
    return "the TSA certificate's extended key usage lists purposes besides timeStamping (RFC 3161 §2.3)";
  return null;
}

export function parsePemCertificates(pem: string): Uint8Array[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((b) => new Uint8Array(Buffer.from(b.replace(/-----[^-]+-----|\s/g, ''), 'base64')));
}
