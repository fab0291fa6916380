// X.690 §8.1 TLVs for splicing an archive time-stamp into a SignedData: it re-encodes only the enclosing lengths and
// keeps every other byte (signed attributes, signature, certificates) as it was — so DER only, errors as CMS_MALFORMED.
import { CoreError } from '../errors.js';
import * as base from '../asn1/tlv.js';
import { TlvError, type Tlv } from '../asn1/tlv.js';

class CmsError extends CoreError {
  constructor(why: string) {
    super('CMS_MALFORMED', `the signature cannot be read or extended: ${why}`);
  }
}

export type { Tlv } from '../asn1/tlv.js';

/** The generic reader's errors as CMS_MALFORMED, and DER only: the bytes around a splice must stay exactly as they are. */
export function asCmsError<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof TlvError) throw new CmsError(err.message);
    throw err;
  }
}

function definite(t: Tlv): Tlv {
  if (t.contentEnd !== t.end)
    throw new CmsError('indefinite-length (BER) encoding: only DER signatures can be extended in place');
  return t;
}

export const readTlv = (bytes: Uint8Array, pos: number, limit = bytes.length): Tlv =>
  definite(asCmsError(() => base.readTlv(bytes, pos, limit)));
export const childrenOf = (bytes: Uint8Array, parent: Tlv): Tlv[] =>
  asCmsError(() => base.childrenOf(bytes, parent)).map(definite);
export const rootOf = (der: Uint8Array): Tlv => definite(asCmsError(() => base.rootOf(der)));
export const oidOf = (bytes: Uint8Array, t: Tlv): string => asCmsError(() => base.oidOf(bytes, t));

export { content, encodeLength, oidTlv, slice, tlv } from '../asn1/tlv.js';
