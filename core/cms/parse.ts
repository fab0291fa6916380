// Strict parse of a CMS ContentInfo(SignedData): one DER value, nothing after it, clear errors.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from '../asn1/oids.js';
import { certificateDers, decodeDer, octetStringBytes } from '../asn1/der.js';
import { InputError } from '../errors.js';

export type ParsedSignedData = {
  readonly signedData: pkijs.SignedData;
  /** Exact DER of each X.509 certificate, aligned with `certificates`. */
  readonly certificateDers: readonly Uint8Array[];
  readonly certificates: readonly pkijs.Certificate[];
};

export function parseSignedData(der: Uint8Array, what = 'signature'): ParsedSignedData {
  const fail = (why: string) => new InputError('CMS_MALFORMED', `not a valid CMS ${what}: ${why}`);
  const parsed = decodeDer(der);
  if (parsed.error !== undefined) throw fail(parsed.error === 'empty' ? 'the file is empty' : parsed.error);
  let signedData: pkijs.SignedData;
  let content: asn1js.Sequence;
  try {
    const ci = new pkijs.ContentInfo({ schema: parsed.result });
    if (ci.contentType !== OID.signedData) throw new Error(`content type ${ci.contentType} is not SignedData`);
    content = ci.content as asn1js.Sequence;
    signedData = new pkijs.SignedData({ schema: content });
  } catch (err) {
    throw fail((err as Error).message);
  }
  const certificates = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  return { signedData, certificateDers: certificateDers(content), certificates };
}

/** The encapsulated content of an enveloping (attached) signature, or null when it is detached. */
export function attachedContent(parsed: ParsedSignedData): Uint8Array | null {
  const e = parsed.signedData.encapContentInfo.eContent;
  return e ? octetStringBytes(e) : null;
}
