// PKCS#12 (RFC 7292) key and chain for the file signer, read with pkijs: MAC checked, key decrypted in memory only.
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import * as pkijs from 'pkijs';
import { exactBuffer } from '../asn1/bytes.js';
import { nodeCryptoEngine } from '../asn1/engine.js';
import { CoreError } from '../errors.js';
import { KeySigner } from './key-signer.js';

const KEY_BAG = '1.2.840.113549.1.12.10.1.1';
const SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const CERT_BAG = '1.2.840.113549.1.12.10.1.3';

export async function signerFromPkcs12(der: Uint8Array, password: string): Promise<KeySigner> {
  const engine = nodeCryptoEngine();
  const pw = exactBuffer(new Uint8Array(Buffer.from(password, 'utf8')));
  let pfx: pkijs.PFX;
  try {
    pfx = pkijs.PFX.fromBER(exactBuffer(der));
  } catch (err) {
    throw new CoreError('KEY_UNSUPPORTED', 'not a PKCS#12 file', { cause: err });
  }
  try {
    await pfx.parseInternalValues({ password: pw, checkIntegrity: true }, engine);
  } catch (err) {
    throw passwordOrLegacy(err);
  }
  const authSafe = pfx.parsedValue?.authenticatedSafe;
  if (!authSafe) throw new CoreError('KEY_UNSUPPORTED', 'the PKCS#12 file holds no authenticated safe');
  try {
    await authSafe.parseInternalValues({ safeContents: authSafe.safeContents.map(() => ({ password: pw })) }, engine);
  } catch (err) {
    throw passwordOrLegacy(err);
  }
  let keyDer: Uint8Array | undefined;
  const certs: Uint8Array[] = [];
  for (const safe of authSafe.parsedValue?.safeContents ?? []) {
    for (const bag of safe.value.safeBags) {
      if (bag.bagId === SHROUDED_KEY_BAG) {
        const shrouded = bag.bagValue as pkijs.PKCS8ShroudedKeyBag;
        await (shrouded as unknown as { parseInternalValues(p: { password: ArrayBuffer }, e: unknown): Promise<void> })
          .parseInternalValues({ password: pw }, engine)
          .catch((err: unknown) => {
            throw passwordOrLegacy(err);
          });
        keyDer = new Uint8Array(shrouded.parsedValue!.toSchema().toBER(false));
      } else if (bag.bagId === KEY_BAG) {
        keyDer = new Uint8Array((bag.bagValue as pkijs.PrivateKeyInfo).toSchema().toBER(false));
      } else if (bag.bagId === CERT_BAG) {
        const value = (bag.bagValue as pkijs.CertBag).parsedValue;
        if (value instanceof pkijs.Certificate) certs.push(new Uint8Array(value.toSchema().toBER(false)));
      }
    }
  }
  if (!keyDer) throw new CoreError('KEY_UNSUPPORTED', 'the PKCS#12 file holds no private key');
  const key = createPrivateKey({ key: Buffer.from(keyDer), format: 'der', type: 'pkcs8' });
  return new KeySigner(key, orderChain(key, certs));
}

/** The certificate whose public key matches the private key first, then the rest (its issuers). */
function orderChain(key: KeyObject, certs: Uint8Array[]): Uint8Array[] {
  const pub = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const leaf = certs.find((c) =>
    new X509Certificate(Buffer.from(c)).publicKey.export({ type: 'spki', format: 'der' }).equals(pub),
  );
  if (!leaf) throw new CoreError('CERT_NOT_FOUND', 'the PKCS#12 file has no certificate for its private key');
  return [leaf, ...certs.filter((c) => c !== leaf)];
}

function passwordOrLegacy(err: unknown): CoreError {
  const message = (err as Error).message ?? String(err);
  if (/integrity|mac|password|decrypt|bad/i.test(message))
    return new CoreError('PASSPHRASE_INCORRECT', 'the password does not open this PKCS#12 file', { cause: err });
  return new CoreError(
    'KEY_UNSUPPORTED',
    `this PKCS#12 file uses an algorithm Sealdesk cannot read (${message}); re-export it with AES (\`openssl pkcs12 -export\` does by default) or give the key with --key/--chain`,
    { cause: err },
  );
}
