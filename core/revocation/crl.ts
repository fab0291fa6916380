// RFC 5280 §5: a CRL must be signed by the certificate's issuer and current before Sealdesk embeds it.
import * as pkijs from 'pkijs';
import { decodeDer } from '../asn1/der.js';
import { CoreError } from '../errors.js';
import type { RevocationStatus } from './ocsp.js';

export async function checkCrl(der: Uint8Array, cert: pkijs.Certificate, issuer: pkijs.Certificate, now: Date): Promise<RevocationStatus> {
  const bad = (why: string) => new CoreError('REVOCATION_UNAVAILABLE', `unusable CRL: ${why}`);
  const parsed = decodeDer(der);
  if (parsed.error !== undefined) throw bad(parsed.error);
  let crl: pkijs.CertificateRevocationList;
  try {
    crl = new pkijs.CertificateRevocationList({ schema: parsed.result });
  } catch (err) {
    throw bad((err as Error).message);
  }
  const ok = await crl.verify({ issuerCertificate: issuer }).catch(() => false);
  if (!ok) throw bad("it is not signed by the certificate's issuer");
  const nextUpdate = crl.nextUpdate?.value ?? null;
  if (nextUpdate && nextUpdate < now) throw bad('it is stale (nextUpdate has passed)');
  const serial = Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString('hex');
  const entry = crl.revokedCertificates?.find((r) => Buffer.from(r.userCertificate.valueBlock.valueHexView).toString('hex') === serial);
  return entry ? { status: 'revoked', nextUpdate, revokedAt: entry.revocationDate.value } : { status: 'good', nextUpdate };
}
