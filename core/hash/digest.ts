// A node:crypto Hash for a digest name, SHAKE256 included: RFC 8419 / RFC 8702 fix its CMS output at 512 bits, while
// createHash('shake256') would give 256 — every verifier that hashes with a name a signature chose goes through here.
import { createHash, type Hash } from 'node:crypto';

const OUTPUT_BYTES: Readonly<Record<string, number>> = { shake256: 64, shake128: 32 };

export function createDigest(name: string): Hash {
  const outputLength = OUTPUT_BYTES[name];
  return outputLength === undefined ? createHash(name) : createHash(name, { outputLength });
}

export function digestBytes(name: string, data: Uint8Array): Uint8Array {
  return new Uint8Array(createDigest(name).update(data).digest());
}
