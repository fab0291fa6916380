// @peculiar/x509's view of a certificate, for the code that needs more than core/asn1/certificate.ts's facts (trusted
// list assessment, legacy signature checks, certificate issuance). Importing this module loads the library: the seal and
// verify paths read certificates with the TLV walk instead (issue 15).
import { x509 } from './x509.js';
import { exactBuffer } from './bytes.js';
import { MAX_CERTIFICATE_BYTES } from './cert-der.js';
import { InputError } from '../errors.js';

/** The same certificates come back in every token and signature: each distinct DER is parsed once (bounded cache). */
const parsedCache = new Map<string, x509.X509Certificate>();
const CACHE_MAX = 256;

/** @peculiar/x509's view of a certificate, cached by DER. Throws on bytes that are not a certificate; RESOURCE_LIMIT
 * (before any parse) past MAX_CERTIFICATE_BYTES. */
export function parsedCertificate(der: Uint8Array): x509.X509Certificate {
  if (der.length > MAX_CERTIFICATE_BYTES) {
    throw new InputError(
      'RESOURCE_LIMIT',
      `a certificate of ${der.length} bytes is not read (at most ${MAX_CERTIFICATE_BYTES})`,
    );
  }
  const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  let cert = parsedCache.get(key);
  if (!cert) {
    cert = new x509.X509Certificate(exactBuffer(der));
    if (parsedCache.size >= CACHE_MAX) parsedCache.delete(parsedCache.keys().next().value!);
    parsedCache.set(key, cert);
  }
  return cert;
}
