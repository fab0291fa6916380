// One strict DER entry point: a single value, nothing after it, and asn1js's throws turned into a reason.
import * as asn1js from 'asn1js';
import { berLimits, exactBuffer } from './bytes.js';

export type DerResult = { readonly result: asn1js.AsnType; readonly error?: undefined } | { readonly result?: undefined; readonly error: string };

export function decodeDer(der: Uint8Array): DerResult {
  if (der.byteLength === 0) return { error: 'empty' };
  try {
    const parsed = asn1js.fromBER(exactBuffer(der), berLimits(der.byteLength));
    if (parsed.offset === -1) return { error: parsed.result.error || 'not ASN.1 DER' };
    if (parsed.offset !== der.byteLength) return { error: `${der.byteLength - parsed.offset} unexpected bytes after the end (truncated or concatenated?)` };
    return { result: parsed.result };
  } catch (err) {
    // asn1js throws (rather than reporting) on some malformed values, e.g. an impossible GeneralizedTime
    return { error: (err as Error).message };
  }
}
