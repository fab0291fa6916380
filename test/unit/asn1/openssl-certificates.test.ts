// Certificates OpenSSL makes with awkward names (every string_mask: UTF8String escapes, T61String, BMPString,
// emailAddress IA5String, multi-valued RDNs, unknown attribute types) and with the extensions Sealdesk reads (key
// usage, extended key usage, AIA OCSP, CRL distribution points, QC statements): the TLV readers give what
// @peculiar/x509 gives (issue 15). Truncated and bit-flipped copies are CERT_MALFORMED, never another error.
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificateFacts, keyUsageNames } from '../../../core/asn1/certificate.js';
import { qcStatements } from '../../../core/asn1/qc.js';
import { revocationSources } from '../../../core/revocation/sources.js';
import { childrenOf, rootOf } from '../../../core/asn1/tlv.js';
import { certificateParts } from '../../../core/asn1/cert-der.js';
import { CoreError } from '../../../core/errors.js';
import { openssl } from '../../helpers/openssl.js';
import { tempDir } from '../../helpers/tmp.js';
import { referenceFacts } from './x509-reference.js';

describe('certificates OpenSSL makes with awkward names', () => {
  const dir = tempDir('h3-names');
  const tagsSeen: number[] = [];
  afterAll(() => dir.remove());

  const SUBJECTS: [string, string, string[]][] = [
    ['utf8only', '/CN=a\\,b+c"d\\\\e<f>g;h/O=#lead/OU= lead and trail /emailAddress=x@y.eu/1.2.3.4.5=unknown', []],
    ['utf8only', '/CN=multi+OU=valued+serialNumber=42/DC=example/DC=eu/C=BE', ['-multivalue-rdn']],
    ['default', '/CN=Ærøskøbing €/O=Łódź Zürich/L=Αθήνα/ST=Köln', ['-utf8']],
    ['nombstr', '/CN=Müller/O=Société Générale/title=Dr./GN=Zoë/SN=Çelik', ['-utf8']],
    ['pkix', '/CN=Straße 日本/street=Rue de la Loi 16/postalCode=1000', ['-utf8']],
  ];

  it.each(SUBJECTS)('string_mask=%s, %s', async (mask, subject, extra) => {
    const conf = join(dir.path, `${mask}.cnf`);
    writeFileSync(
      conf,
      [
        '[req]',
        `string_mask = ${mask}`,
        'distinguished_name = dn',
        'x509_extensions = ext',
        '[dn]',
        '[ext]',
        'keyUsage = critical, digitalSignature, nonRepudiation, keyCertSign',
        'extendedKeyUsage = critical, timeStamping',
        'authorityInfoAccess = OCSP;URI:http://ocsp.example.eu/a,caIssuers;URI:http://ca.example.eu/ca.crt',
        'crlDistributionPoints = URI:http://crl.example.eu/a.crl,URI:ldap://crl.example.eu/a',
        'qcStatements = DER:30:1f:30:08:06:06:04:00:8e:46:01:01:30:13:06:06:04:00:8e:46:01:06:30:09:06:07:04:00:8e:46:01:06:02',
      ].join('\n'),
    );
    const out = join(dir.path, `${mask}-${subject.length}.der`);
    const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
    args.push('-keyout', join(dir.path, 'k.pem'), '-config', conf, '-subj', subject, '-days', '30', '-outform', 'DER');
    const r = await openssl([...args, ...extra, '-out', out]);
    expect(r.stderr).not.toMatch(/error/i);
    const der = new Uint8Array(readFileSync(out));
    const want = referenceFacts(der);
    const got = certificateFacts(der);
    expect({ ...got, der: undefined, notBefore: got.notBefore.getTime(), notAfter: got.notAfter.getTime() }).toEqual({
      subject: want.subject,
      issuer: want.issuer,
      serialHex: want.serialHex,
      notBefore: want.notBefore,
      notAfter: want.notAfter,
      selfSigned: want.selfSigned,
      extKeyUsage: want.extKeyUsage,
      der: undefined,
    });
    expect(keyUsageNames(der)).toEqual(want.keyUsage);
    expect(qcStatements(der)).toEqual(want.qc);
    expect(revocationSources(der)).toEqual(want.revocation);
    expect(want.qc).toEqual({ qcCompliance: true, qscd: false, qcTypes: ['eseal'] });
    expect(want.revocation.crl).toEqual(['http://crl.example.eu/a.crl']);
    tagsSeen.push(...valueTags(der));
  });

  it('those certificates used UTF8String, PrintableString, IA5String, T61String and BMPString', () => {
    expect(new Set(tagsSeen)).toEqual(new Set([0x0c, 0x13, 0x16, 0x14, 0x1e]));
  });

  it('garbage and truncated certificates are CERT_MALFORMED, never another error', async () => {
    const der = new Uint8Array(readFirstCert(dir.path));
    const codes = new Set<string>();
    for (let cut = 0; cut < der.length; cut += 7) {
      for (const bytes of [der.subarray(0, cut), flip(der, cut)]) {
        for (const read of [certificateFacts, keyUsageNames, revocationSources]) {
          try {
            read(bytes);
          } catch (err) {
            expect(err).toBeInstanceOf(CoreError);
            codes.add((err as CoreError).code);
          }
        }
        expect(() => qcStatements(bytes)).not.toThrow();
      }
    }
    expect([...codes]).toEqual(['CERT_MALFORMED']);
  });
});

/** The tag of every attribute value in the certificate's subject. */
function valueTags(der: Uint8Array): number[] {
  const subject = certificateParts(der).subject;
  return childrenOf(subject, rootOf(subject)).flatMap((r) =>
    childrenOf(subject, r).map((a) => childrenOf(subject, a)[1]!.tag),
  );
}

function readFirstCert(dir: string): Buffer {
  const f = readdirSync(dir).find((n) => n.endsWith('.der'))!;
  return readFileSync(join(dir, f));
}

function flip(der: Uint8Array, at: number): Uint8Array {
  const copy = new Uint8Array(der);
  copy[at] = copy[at]! ^ 0xff;
  return copy;
}
