// Signs a synthetic trusted list the way the real ones are signed (TS 119 612 §5.7.1): one enveloped XAdES-BES
// signature, a child of the root, exclusive C14N, a reference to the whole list (URI "" or "#<root Id>") plus the
// XAdES SignedProperties reference, the certificate in KeyInfo and named by SigningCertificate. Uses xadesjs's signer
// (PeculiarVentures), a separate code path from the verifier's structural checks.
import { createPrivateKey, webcrypto } from 'node:crypto';
import { DOMImplementation, DOMParser, XMLSerializer } from '@xmldom/xmldom';
import * as xadesjs from 'xadesjs';
import { setNodeDependencies } from 'xml-core';
import xpath from 'xpath';

export type ListSigner = { readonly keyPem: string; readonly certPem: string };

export type SignOptions = {
  /** 'id': "#<root Id>" (the default when the root has one); 'empty': URI "". */
  readonly reference?: 'id' | 'empty';
  /** Inclusive C14N for SignedInfo instead of exclusive. */
  readonly inclusive?: boolean;
  /** RSA keys: RSASSA-PSS (SHA-256, MGF1, 32-byte salt) instead of PKCS#1 v1.5. */
  readonly pss?: boolean;
  /** Signing time written in SignedProperties (default 2025-01-01). */
  readonly signingTime?: Date;
};

const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const C14N = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';

function configure(): void {
  setNodeDependencies({ DOMParser, XMLSerializer, DOMImplementation, xpath });
  const engine = { subtle: webcrypto.subtle, getRandomValues: webcrypto.getRandomValues.bind(webcrypto) };
  xadesjs.Application.setEngine('NodeJS', engine as unknown as Parameters<typeof xadesjs.Application.setEngine>[1]);
}

/** The list `xml` with an enveloped XAdES signature by `signer` appended to its root, as UTF-8 bytes. */
export async function signList(xml: string, signer: ListSigner, opts: SignOptions = {}): Promise<Buffer> {
  configure();
  const doc = xadesjs.Parse(xml);
  const root = doc.documentElement;
  const rootId = root.getAttribute('Id');
  const { key, algorithm } = await importSigningKey(signer.keyPem, opts.pss === true);
  const certB64 = signer.certPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const signed = new xadesjs.SignedXml();
  signed.XmlSignature.SignedInfo.CanonicalizationMethod.Algorithm = opts.inclusive ? C14N : EXC_C14N;
  const uri = rootId && opts.reference !== 'empty' ? `#${rootId}` : '';
  await signed.Sign(algorithm, key, doc, {
    references: [{ uri, hash: 'SHA-256', transforms: ['enveloped', 'exc-c14n'] }],
    signingCertificate: certB64,
    signingTime: { value: opts.signingTime ?? new Date('2025-01-01T00:00:00Z') },
  });
  root.appendChild(signed.GetXml()!);
  let text = new XMLSerializer().serializeToString(doc as unknown as Parameters<XMLSerializer['serializeToString']>[0]);
  if (!text.startsWith('<?xml')) text = `<?xml version="1.0" encoding="UTF-8"?>\n${text}`;
  // KeyInfo is not covered by a reference: written after signing (xadesjs's own x509 option loses it under vitest).
  const x509Data = `<ds:X509Data><ds:X509Certificate>${certB64}</ds:X509Certificate></ds:X509Data>`;
  const keyInfo = `<ds:KeyInfo>${x509Data}</ds:KeyInfo>`;
  text = text.replace('</ds:SignatureValue>', `</ds:SignatureValue>${keyInfo}`);
  return Buffer.from(text, 'utf8');
}

async function importSigningKey(
  keyPem: string,
  pss: boolean,
): Promise<{ key: webcrypto.CryptoKey; algorithm: { name: string; hash: string; saltLength?: number } }> {
  const parsed = createPrivateKey(keyPem);
  const der = parsed.export({ type: 'pkcs8', format: 'der' });
  if (parsed.asymmetricKeyType === 'ec') {
    const curve = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' }[
      parsed.asymmetricKeyDetails?.namedCurve ?? ''
    ];
    if (!curve) throw new Error(`unsupported curve ${parsed.asymmetricKeyDetails?.namedCurve}`);
    const key = await webcrypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: curve }, false, ['sign']);
    return { key: key, algorithm: { name: 'ECDSA', hash: 'SHA-256' } };
  }
  const alg = pss
    ? { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 }
    : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const key = await webcrypto.subtle.importKey('pkcs8', der, alg, false, ['sign']);
  return { key: key, algorithm: alg };
}
