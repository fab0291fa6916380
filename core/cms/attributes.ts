// CMS Attribute (RFC 5652 §5.3) as exact bytes: its type and each value's DER, whether read by Sealdesk's own TLV
// walk (time-stamp tokens) or taken from pkijs (signatures).
import type * as pkijs from 'pkijs';
import type * as asn1js from 'asn1js';
import { TlvError, childrenOf, oidOf, slice, type Tlv } from '../asn1/tlv.js';

export type RawAttribute = { readonly type: string; readonly values: readonly Uint8Array[] };

/** An attribute read from bytes: also where it sits, and its attrType's exact TLV (what archive hash indexes hash). */
export type EncodedAttribute = RawAttribute & { readonly typeBytes: Uint8Array; readonly tlv: Tlv };

/** The attributes of a SET OF Attribute (signedAttrs [0] or unsignedAttrs [1]). Throws TlvError when malformed. */
export function attributesOf(bytes: Uint8Array, set: Tlv): EncodedAttribute[] {
  return childrenOf(bytes, set).map((a) => {
    const [type, values] = childrenOf(bytes, a);
    if (type?.tag !== 0x06 || values?.tag !== 0x31) throw new TlvError('an attribute is not { attrType, attrValues }');
    return {
      type: oidOf(bytes, type),
      typeBytes: slice(bytes, type),
      values: childrenOf(bytes, values).map((v) => slice(bytes, v)),
      tlv: a,
    };
  });
}

export function rawAttributes(attrs: readonly pkijs.Attribute[]): RawAttribute[] {
  return attrs.map((a) => ({
    type: a.type,
    values: (a.values ?? []).map((v: asn1js.AsnType) =>
      v.valueBeforeDecodeView.byteLength ? new Uint8Array(v.valueBeforeDecodeView) : new Uint8Array(v.toBER(false)),
    ),
  }));
}
