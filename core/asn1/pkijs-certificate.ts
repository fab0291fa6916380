// pkijs' view of an X.509 certificate, parsed once per distinct DER: the same TSA certificate comes back in every
// token, and its schema-checked parse was the largest part of decoding a token.
import * as pkijs from 'pkijs';
import { exactBuffer } from './bytes.js';

const cache = new Map<string, pkijs.Certificate>();
const CACHE_MAX = 256;

/** Throws (as pkijs does) on bytes that are not a certificate. The object is shared: callers must not change it. */
export function pkijsCertificate(der: Uint8Array): pkijs.Certificate {
  const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  let cert = cache.get(key);
  if (!cert) {
    cert = pkijs.Certificate.fromBER(exactBuffer(der));
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(key, cert);
  }
  return cert;
}
