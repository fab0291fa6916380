// Byte helpers shared by the ASN.1 code: exact copies, hex, and the ArrayBuffers pkijs wants.

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** A fresh ArrayBuffer holding exactly these bytes (a pooled Buffer's `.buffer` is larger). */
export function exactBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return copy;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
}

/** Hex of an unsigned big-endian integer, without sign-padding zeros ("0" for zero). */
export function integerHex(bytes: Uint8Array): string {
  const hex = toHex(bytes).replace(/^0+/, '');
  return hex === '' ? '0' : hex;
}

/**
 * asn1js 4 refuses inputs of more than 10,000 nodes (a DoS guard). Every node takes at least two bytes,
 * so allowing size/2 keeps the bound proportional to the input, which large CRL-bearing signatures need.
 */
export function berLimits(byteLength: number): { maxNodes: number } {
  return { maxNodes: Math.max(10_000, Math.ceil(byteLength / 2) + 1) };
}
