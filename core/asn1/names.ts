// Distinguished names as people read them (RFC 4514 order, via @peculiar/x509). The same TSA names itself in every
// token: each distinct DER is read once (bounded cache).
import { x509 } from './x509.js';
import { bytesEqual, exactBuffer } from './bytes.js';

const cache = new Map<string, string>();
const CACHE_MAX = 256;

export function nameToString(der: Uint8Array): string {
  const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  let name = cache.get(key);
  if (name === undefined) {
    name = new x509.Name(exactBuffer(der)).toString();
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(key, name);
  }
  return name;
}

/** Two encoded Names for the same entity: the same bytes, or (string types and case can differ) the same RFC 4514 text. */
export function sameName(a: Uint8Array, b: Uint8Array): boolean {
  if (bytesEqual(a, b)) return true;
  try {
    return nameToString(a) === nameToString(b);
  } catch {
    return false;
  }
}
