// RFC 5652 §3/§5.1: the fields of the SignedData inside a ContentInfo, as TLVs over the exact bytes.
import { OID } from '../asn1/oids.js';
import { TlvError, childrenOf, oidOf, type Tlv } from '../asn1/tlv.js';

/** ContentInfo { contentType id-signedData, content [0] EXPLICIT SignedData }: the SignedData's field TLVs. */
export function signedDataFields(der: Uint8Array, ci: Tlv): Tlv[] {
  const [type, explicit] = ci.tag === 0x30 ? childrenOf(der, ci) : [];
  if (type?.tag !== 0x06 || explicit?.tag !== 0xa0) throw new TlvError('not a ContentInfo');
  const contentType = oidOf(der, type);
  if (contentType !== OID.signedData) throw new TlvError(`content type ${contentType} is not SignedData`);
  const [sd] = childrenOf(der, explicit);
  if (sd?.tag !== 0x30) throw new TlvError('the content is not a SignedData');
  return childrenOf(der, sd);
}
