// One strict DER entry point: a single value, nothing after it, and asn1js's throws turned into a reason.
import * as asn1js from 'asn1js';
import { berLimits, exactBuffer } from './bytes.js';

export type DerResult =
  | { readonly result: asn1js.AsnType; readonly error?: undefined }
  | { readonly result?: undefined; readonly error: string };

/** `limits` (asn1js 4's fromBER options): by default a node count proportional to the input. */
export function decodeDer(
  der: Uint8Array,
  limits: { readonly maxNodes: number; readonly parseEmbedded?: boolean } = berLimits(der.byteLength),
): DerResult {
  if (der.byteLength === 0) return { error: 'empty' };
  try {
    const parsed = asn1js.fromBER(exactBuffer(der), { ...limits });
    if (parsed.offset === -1) return { error: parsed.result.error || 'not ASN.1 DER' };
    if (parsed.offset !== der.byteLength)
      return { error: `${der.byteLength - parsed.offset} unexpected bytes after the end (truncated or concatenated?)` };
    return { result: parsed.result };
  } catch (err) {
    // asn1js throws (rather than reporting) on some malformed values, e.g. an impossible GeneralizedTime
    return { error: (err as Error).message };
  }
}

/** An OCTET STRING's bytes, whether primitive or constructed (BER, as some signers send eContent). */
export function octetStringBytes(octets: asn1js.OctetString): Uint8Array {
  if (!octets.valueBlock.isConstructed) return new Uint8Array(octets.valueBlock.valueHexView);
  return new Uint8Array(Buffer.concat(octets.valueBlock.value.map((p) => octetStringBytes(p as asn1js.OctetString))));
}

/** SignedData.certificates [0] IMPLICIT SET: the exact bytes of each X.509 certificate (other choices skipped). */
export function certificateDers(signedData: asn1js.AsnType): Uint8Array[] {
  const items = (signedData as asn1js.Sequence).valueBlock.value;
  const set = items.find((b) => b.idBlock.tagClass === 3 && b.idBlock.tagNumber === 0) as
    asn1js.Constructed | undefined;
  return (set?.valueBlock.value ?? [])
    .filter((b) => b.idBlock.tagClass === 1 && b.idBlock.tagNumber === 16)
    .map((b) => new Uint8Array(b.valueBeforeDecodeView));
}
