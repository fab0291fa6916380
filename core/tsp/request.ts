// RFC 3161 §2.4.1 TimeStampReq: pure construction from an imprint and a caller-supplied nonce, as DER by hand (five
// fixed fields: a bulk restamp builds one per chain, and pkijs' object tree cost more than the rest of the request).
import { HASH_LENGTH, hashOid, type RequestHash } from '../asn1/oids.js';
import { oidTlv, tlv } from '../asn1/tlv.js';

const VERSION_1 = Uint8Array.of(0x02, 0x01, 0x01);
const NULL = Uint8Array.of(0x05, 0x00);
/** DER leaves a DEFAULT FALSE out when false (X.690 §11.5). */
const CERT_REQ_TRUE = Uint8Array.of(0x01, 0x01, 0xff);

export type TimeStampRequest = {
  readonly hashAlgorithm: RequestHash;
  readonly imprint: Uint8Array;
  /** Positive INTEGER content bytes (big-endian, no sign padding needed: we add it). */
  readonly nonce: Uint8Array;
  readonly certReq: boolean;
  readonly der: Uint8Array;
};

export type TimeStampRequestOptions = {
  readonly hashAlgorithm: RequestHash;
  readonly imprint: Uint8Array;
  /** 8 random bytes from the caller (keeps this function pure). */
  readonly nonce: Uint8Array;
  /** Ask the TSA to include its certificate (default true). */
  readonly certReq?: boolean;
};

export function buildTimeStampRequest(opts: TimeStampRequestOptions): TimeStampRequest {
  if (opts.imprint.byteLength !== HASH_LENGTH[opts.hashAlgorithm]) {
    throw new RangeError(
      `a ${opts.hashAlgorithm} imprint has ${HASH_LENGTH[opts.hashAlgorithm]} bytes, got ${opts.imprint.byteLength}`,
    );
  }
  const nonce = positiveInteger(opts.nonce);
  const certReq = opts.certReq ?? true;
  // TimeStampReq ::= SEQUENCE { version INTEGER (1), messageImprint SEQUENCE { hashAlgorithm, hashedMessage }, nonce, certReq BOOLEAN DEFAULT FALSE }
  const algorithm = tlv(0x30, oidTlv(hashOid(opts.hashAlgorithm)), NULL);
  const der = tlv(
    0x30,
    VERSION_1,
    tlv(0x30, algorithm, tlv(0x04, opts.imprint)),
    tlv(0x02, nonce),
    certReq ? CERT_REQ_TRUE : new Uint8Array(),
  );
  return { hashAlgorithm: opts.hashAlgorithm, imprint: opts.imprint, nonce, certReq, der };
}

/**
 * The minimal DER content of a positive INTEGER (X.690 §8.3.2): no leading zero bytes, except one
 * when the high bit is set. A random nonce starting 0x00 0x7f would otherwise be non-minimal, and
 * strict TSAs (OpenSSL) reject the whole request as badDataFormat.
 */
function positiveInteger(bytes: Uint8Array): Uint8Array {
  if (bytes.byteLength === 0) throw new RangeError('nonce must not be empty');
  let start = 0;
  while (start < bytes.byteLength - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  if ((trimmed[0]! & 0x80) === 0) return trimmed;
  const out = new Uint8Array(trimmed.byteLength + 1);
  out.set(trimmed, 1);
  return out;
}
