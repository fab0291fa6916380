// Generates a key pair on the token (it never leaves it): RSA 3072/4096 or EC P-256/P-384, returns its SPKI.
import { randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import pkcs11js from 'pkcs11js'; // the CommonJS module itself: a namespace import misses its constants under Node's ESM
import { exactBuffer, toHex } from '../../asn1/bytes.js';
import { mapPkcs11Error, withModule } from './module.js';
import { findSlot, login, logout } from './tokens.js';
import type { Pkcs11KeyRef } from './pkcs11-signer.js';

export type TokenKeySpec = 'rsa-3072' | 'rsa-4096' | 'ec-p256' | 'ec-p384';

const CURVES = { 'ec-p256': '1.2.840.10045.3.1.7', 'ec-p384': '1.3.132.0.34' } as const;

export async function generateTokenKey(
  module: string,
  token: string,
  label: string,
  spec: TokenKeySpec,
  pin: string,
): Promise<{ ref: Pkcs11KeyRef; spki: Uint8Array }> {
  return withModule(module, (p) => {
    const session = p.C_OpenSession(findSlot(p, token), pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    try {
      login(p, session, pin);
      const id = randomBytes(8);
      const common = [
        { type: pkcs11js.CKA_TOKEN, value: true },
        { type: pkcs11js.CKA_LABEL, value: label },
        { type: pkcs11js.CKA_ID, value: id },
      ];
      const priv = [
        ...common,
        { type: pkcs11js.CKA_PRIVATE, value: true },
        { type: pkcs11js.CKA_SIGN, value: true },
        { type: pkcs11js.CKA_SENSITIVE, value: true },
        { type: pkcs11js.CKA_EXTRACTABLE, value: false },
      ];
      try {
        if (spec === 'ec-p256' || spec === 'ec-p384') {
          const params = Buffer.from(new asn1js.ObjectIdentifier({ value: CURVES[spec] }).toBER(false));
          const keys = p.C_GenerateKeyPair(
            session,
            { mechanism: pkcs11js.CKM_EC_KEY_PAIR_GEN },
            [...common, { type: pkcs11js.CKA_VERIFY, value: true }, { type: pkcs11js.CKA_EC_PARAMS, value: params }],
            priv,
          );
          const point = p.C_GetAttributeValue(session, keys.publicKey, [{ type: pkcs11js.CKA_EC_POINT }])[0]!
            .value as Buffer;
          return { ref: { module, token, key: `id:${toHex(id)}` }, spki: ecSpki(CURVES[spec], point) };
        }
        const bits = spec === 'rsa-4096' ? 4096 : 3072;
        const keys = p.C_GenerateKeyPair(
          session,
          { mechanism: pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN },
          [
            ...common,
            { type: pkcs11js.CKA_VERIFY, value: true },
            { type: pkcs11js.CKA_MODULUS_BITS, value: bits },
            { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
          ],
          priv,
        );
        const [n, e] = p.C_GetAttributeValue(session, keys.publicKey, [
          { type: pkcs11js.CKA_MODULUS },
          { type: pkcs11js.CKA_PUBLIC_EXPONENT },
        ]);
        return {
          ref: { module, token, key: `id:${toHex(id)}` },
          spki: rsaSpki(n!.value as Buffer, e!.value as Buffer),
        };
      } catch (err) {
        throw mapPkcs11Error(err, 'generating a key');
      } finally {
        logout(p, session);
      }
    } finally {
      p.C_CloseSession(session);
    }
  });
}

/** CKA_EC_POINT is a DER OCTET STRING around the uncompressed point (PKCS#11 2.40 §2.3.3). */
function ecSpki(curve: string, ecPoint: Buffer): Uint8Array {
  const parsed = asn1js.fromBER(exactBuffer(ecPoint)).result;
  const point =
    parsed instanceof asn1js.OctetString ? new Uint8Array(parsed.valueBlock.valueHexView) : new Uint8Array(ecPoint);
  const spki = new pkijs.PublicKeyInfo({
    algorithm: new pkijs.AlgorithmIdentifier({
      algorithmId: '1.2.840.10045.2.1',
      algorithmParams: new asn1js.ObjectIdentifier({ value: curve }),
    }),
    subjectPublicKey: new asn1js.BitString({ valueHex: exactBuffer(point) }),
  });
  return new Uint8Array(spki.toSchema().toBER(false));
}

function rsaSpki(n: Buffer, e: Buffer): Uint8Array {
  const key = new pkijs.RSAPublicKey({
    modulus: new asn1js.Integer({ valueHex: exactBuffer(n[0]! & 0x80 ? Uint8Array.from([0, ...n]) : n) }),
    publicExponent: new asn1js.Integer({ valueHex: exactBuffer(e) }),
  });
  const spki = new pkijs.PublicKeyInfo({
    algorithm: new pkijs.AlgorithmIdentifier({
      algorithmId: '1.2.840.113549.1.1.1',
      algorithmParams: new asn1js.Null(),
    }),
    subjectPublicKey: new asn1js.BitString({ valueHex: key.toSchema().toBER(false) }),
  });
  return new Uint8Array(spki.toSchema().toBER(false));
}

/** Removes the key pair (`cert revoke --destroy-key`): cannot be undone. */
export async function destroyTokenKey(ref: Pkcs11KeyRef, pin: string): Promise<number> {
  return withModule(ref.module, (p) => {
    const session = p.C_OpenSession(findSlot(p, ref.token), pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    try {
      login(p, session, pin);
      const id = ref.key.startsWith('id:')
        ? { type: pkcs11js.CKA_ID, value: Buffer.from(ref.key.slice(3), 'hex') }
        : { type: pkcs11js.CKA_LABEL, value: ref.key };
      p.C_FindObjectsInit(session, [id]);
      const objects = p.C_FindObjects(session, 100);
      p.C_FindObjectsFinal(session);
      for (const o of objects) p.C_DestroyObject(session, o);
      logout(p, session);
      return objects.length;
    } catch (err) {
      throw mapPkcs11Error(err, 'destroying the key');
    } finally {
      p.C_CloseSession(session);
    }
  });
}
