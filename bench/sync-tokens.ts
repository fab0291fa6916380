// RFC 3161 tokens in bulk for the sync benchmark: 10,000 distinct, valid tokens, each signed with ECDSA P-256 by the
// test PKI's TSA certificate (critical timeStamping EKU), at ~0.4 ms a token. OpenSSL `ts -reply` costs a process per
// token and pkijs ~15 ms per token; this writes the DER by hand with core/asn1/tlv and signs with node:crypto. The
// server checks each one on import like any other token (imprint, signature, ESS certificate id).
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { OID } from '../core/asn1/oids.js';
import { childrenOf, oidTlv, rootOf, slice, tlv } from '../core/asn1/tlv.js';
import type { TestCert } from '../test/helpers/pki.js';

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const SHA512 = '2.16.840.1.101.3.4.2.3';
const POLICY = '1.3.6.1.4.1.99999.1.1';
const INT = (bytes: Uint8Array) => tlv(0x02, bytes[0]! & 0x80 ? Uint8Array.of(0, ...bytes) : bytes);
const SEQ = (...parts: Uint8Array[]) => tlv(0x30, ...parts);
const SET = (...parts: Uint8Array[]) => tlv(0x31, ...parts);
const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

/** GeneralizedTime with seconds, `YYYYMMDDHHMMSSZ`. */
const genTime = (d: Date) =>
  tlv(
    0x18,
    Buffer.from(
      d
        .toISOString()
        .replace(/[-:T]/g, '')
        .replace(/\.\d+Z$/, 'Z'),
      'latin1',
    ),
  );

export type Minter = (imprintSha512: Uint8Array, serial: number, at: Date) => Uint8Array;

/** A minter signing as `signer` (an EC TestCert): imprint (SHA-512 of a file), serial, genTime → TimeStampResp DER. */
export function tokenMinter(signer: TestCert): Minter {
  const key = createPrivateKey(signer.keyPem);
  const cert = signer.der;
  const tbs = childrenOf(cert, childrenOf(cert, rootOf(cert))[0]!);
  const issuer = slice(cert, tbs[3]!); // [0] version, serialNumber, signature, issuer
  const certSerial = slice(cert, tbs[1]!);
  const essCert = SEQ(SEQ(SEQ(tlv(0x04, sha256(cert)))));
  const sha256Alg = SEQ(oidTlv(OID.sha256));
  return (imprint, serial, at) => {
    const serialBytes = Buffer.alloc(8);
    serialBytes.writeBigUInt64BE(BigInt(serial) + 0x1000000000000000n);
    const tstInfo = SEQ(
      INT(Uint8Array.of(1)),
      oidTlv(POLICY),
      SEQ(SEQ(oidTlv(SHA512), Uint8Array.of(0x05, 0x00)), tlv(0x04, imprint)),
      INT(serialBytes),
      genTime(at),
    );
    const attrs = [
      SEQ(oidTlv(OID.contentType), SET(oidTlv(OID.tstInfo))),
      SEQ(oidTlv(OID.messageDigest), SET(tlv(0x04, sha256(tstInfo)))),
      SEQ(oidTlv(OID.signingCertificateV2), SET(essCert)),
    ].sort((a, b) => Buffer.compare(a, b)); // DER: a SET OF in the order of its encodings
    const signature = sign('sha256', SET(...attrs), key);
    const signerInfo = SEQ(
      INT(Uint8Array.of(1)),
      SEQ(issuer, certSerial),
      sha256Alg,
      tlv(0xa0, ...attrs),
      SEQ(oidTlv(ECDSA_WITH_SHA256)),
      tlv(0x04, signature),
    );
    const signedData = SEQ(
      INT(Uint8Array.of(3)),
      SET(sha256Alg),
      SEQ(oidTlv(OID.tstInfo), tlv(0xa0, tlv(0x04, tstInfo))),
      tlv(0xa0, cert),
      SET(signerInfo),
    );
    return SEQ(SEQ(INT(Uint8Array.of(0))), SEQ(oidTlv(OID.signedData), tlv(0xa0, signedData)));
  };
}
