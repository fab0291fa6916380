// What a PKCS#11 module offers: tokens by label (slots move), their keys and certificates.
import pkcs11js from 'pkcs11js'; // the CommonJS module itself: a namespace import misses its constants under Node's ESM
import { toHex } from '../../asn1/bytes.js';
import { certificateFacts } from '../../asn1/certificate.js';
import { CoreError } from '../../errors.js';
import { mapPkcs11Error, type Pkcs11 } from './module.js';

export type TokenObject = { readonly label: string; readonly idHex: string };
export type TokenCertificate = TokenObject & {
  readonly subject: string;
  readonly notAfter: string;
  readonly der: Uint8Array;
};
export type TokenKey = TokenObject & { readonly type: 'rsa' | 'ec' | 'other' };

export type TokenListing = {
  readonly label: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly serial: string;
  readonly loginRequired: boolean;
  /** Private keys are usually visible only after login: empty without a PIN. */
  readonly keys: readonly TokenKey[];
  readonly certificates: readonly TokenCertificate[];
};

export function findSlot(p: Pkcs11, tokenLabel: string): Buffer {
  const slots = p.C_GetSlotList(true);
  for (const slot of slots) {
    if (p.C_GetTokenInfo(slot).label.trim() === tokenLabel) return slot;
  }
  const present = slots.map((s) => `"${p.C_GetTokenInfo(s).label.trim()}"`).join(', ');
  throw new CoreError(
    'TOKEN_NOT_PRESENT',
    `no token labelled "${tokenLabel}" is present${present ? ` (present: ${present})` : ' (no token at all)'}`,
  );
}

export function findObjects(p: Pkcs11, session: Buffer, template: pkcs11js.Template): Buffer[] {
  p.C_FindObjectsInit(session, template);
  try {
    return p.C_FindObjects(session, 1000);
  } finally {
    p.C_FindObjectsFinal(session);
  }
}

export function objectIdentity(p: Pkcs11, session: Buffer, handle: Buffer): TokenObject {
  const [label, id] = p.C_GetAttributeValue(session, handle, [{ type: pkcs11js.CKA_LABEL }, { type: pkcs11js.CKA_ID }]);
  return {
    label: label?.value ? Buffer.from(label.value as Buffer).toString('utf8') : '',
    idHex: id?.value ? toHex(id.value as Buffer) : '',
  };
}

export function tokenCertificates(p: Pkcs11, session: Buffer): TokenCertificate[] {
  return findObjects(p, session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE }]).flatMap((h) => {
    const der = new Uint8Array(p.C_GetAttributeValue(session, h, [{ type: pkcs11js.CKA_VALUE }])[0]!.value as Buffer);
    try {
      const f = certificateFacts(der);
      return [{ ...objectIdentity(p, session, h), subject: f.subject, notAfter: f.notAfter.toISOString(), der }];
    } catch {
      return []; // not an X.509 certificate Sealdesk can read
    }
  });
}

export function tokenKeys(p: Pkcs11, session: Buffer): TokenKey[] {
  return findObjects(p, session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }]).map((h) => {
    const kt = ulong(p.C_GetAttributeValue(session, h, [{ type: pkcs11js.CKA_KEY_TYPE }])[0]!.value as Buffer);
    const type = kt === pkcs11js.CKK_RSA ? 'rsa' : kt === pkcs11js.CKK_EC ? 'ec' : 'other';
    return { ...objectIdentity(p, session, h), type };
  });
}

/** A CK_ULONG attribute in the platform's byte order (8 bytes on 64-bit Linux and macOS, 4 on Windows). */
function ulong(b: Buffer): number {
  return b.length >= 8 ? Number(b.readBigUInt64LE(0)) : b.readUInt32LE(0);
}

/** Lists every present token; with a PIN for `pinFor(label)`, also its private keys. */
export function listTokens(p: Pkcs11, pinFor?: (label: string) => string | undefined): TokenListing[] {
  // Uninitialised tokens (a blank card, SoftHSM's free slot) hold nothing to sign with.
  const slots = p
    .C_GetSlotList(true)
    .filter((slot) => (p.C_GetTokenInfo(slot).flags & pkcs11js.CKF_TOKEN_INITIALIZED) !== 0);
  return slots.map((slot) => {
    const info = p.C_GetTokenInfo(slot);
    const label = info.label.trim();
    const session = p.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
    try {
      const pin = pinFor?.(label);
      if (pin !== undefined) login(p, session, pin);
      try {
        return {
          label,
          manufacturer: info.manufacturerID.trim(),
          model: info.model.trim(),
          serial: info.serialNumber.trim(),
          loginRequired: (info.flags & pkcs11js.CKF_LOGIN_REQUIRED) !== 0,
          keys: tokenKeys(p, session),
          certificates: tokenCertificates(p, session),
        };
      } finally {
        if (pin !== undefined) logout(p, session);
      }
    } finally {
      p.C_CloseSession(session);
    }
  });
}

export function login(p: Pkcs11, session: Buffer, pin: string): void {
  try {
    p.C_Login(session, pkcs11js.CKU_USER, pin);
  } catch (err) {
    if (/CKR_USER_ALREADY_LOGGED_IN/.test((err as Error).message)) return;
    throw mapPkcs11Error(err, 'logging in');
  }
}

export function logout(p: Pkcs11, session: Buffer): void {
  try {
    p.C_Logout(session);
  } catch {
    // not logged in, or the token is gone: nothing to undo
  }
}
