// Where seal keys live on the server (server config, never a request): a PKCS#11 token or AWS KMS for tenants' keys,
// and the platform certificate. Keys are made on the token/in KMS by core (generateTokenKey, createKmsKey): the
// private key never leaves it. This module opens signers for certificate rows and destroys keys after the grace.
import { createHash } from 'node:crypto';
import { parsePemCertificates } from '../../core/asn1/certificate.js';
import { CoreError } from '../../core/errors.js';
import { KeySigner } from '../../core/signers/key-signer.js';
import { createKmsKey, KmsSigner, type KmsKeyRef } from '../../core/signers/kms/index.js';
import { destroyTokenKey, generateTokenKey, Pkcs11Signer, type Pkcs11KeyRef } from '../../core/signers/pkcs11/index.js';
import type { Signer } from '../../core/signers/signer.js';

export type TenantKeyStore =
  | { readonly kind: 'pkcs11'; readonly module: string; readonly token: string; readonly pin: string }
  | { readonly kind: 'kms'; readonly region?: string; readonly endpoint?: string };

/** The platform seal: a token key (by label or `id:<hex>`) or, for development, a PKCS#8 PEM; with its chain PEM. */
export type PlatformSeal = {
  readonly label: string;
  readonly chainPem: string;
  readonly key:
    | {
        readonly kind: 'pkcs11';
        readonly module: string;
        readonly token: string;
        readonly key: string;
        readonly pin: string;
      }
    | { readonly kind: 'pem'; readonly keyPem: string };
};

export type SealingConfig = {
  readonly store: TenantKeyStore | null;
  readonly platform: PlatformSeal | null;
  /** /seal/verify: anchors reported `chained`, and development CAs reported `dev_ca` (DER). */
  readonly trust?: readonly Uint8Array[];
  readonly trustDev?: readonly Uint8Array[];
  /** A data folder whose EU trusted-list cache (`sealdesk tl import|refresh`) /seal/verify judges qualification by. */
  readonly tlHome?: string;
};

export type KeyRow = { readonly key_kind: 'pkcs11' | 'kms'; readonly key_ref: string };

/** A new RSA-4096 key (the seed: "Generates RSA-4096 in KMS"), its reference and public key. */
export async function createSealKey(store: TenantKeyStore, label: string): Promise<KeyRow & { spki: Uint8Array }> {
  if (store.kind === 'kms') {
    const created = await createKmsKey(
      { region: store.region, endpoint: store.endpoint },
      'rsa-4096',
      `Seal: ${label}`,
    );
    return { key_kind: 'kms', key_ref: JSON.stringify(created.ref), spki: created.spki };
  }
  const g = await generateTokenKey(store.module, store.token, label, 'rsa-4096', store.pin);
  return { key_kind: 'pkcs11', key_ref: JSON.stringify(g.ref), spki: g.spki };
}

/** A signer over a row's key with `chain` (for a CSR: the empty chain). Closed by the caller. */
export async function openRowSigner(store: TenantKeyStore, row: KeyRow, chain: readonly Uint8Array[]): Promise<Signer> {
  if (row.key_kind === 'kms') return KmsSigner.open(JSON.parse(row.key_ref) as KmsKeyRef, chain);
  if (store.kind !== 'pkcs11') throw new CoreError('USAGE', 'this server has no PKCS#11 token configured');
  return Pkcs11Signer.open(JSON.parse(row.key_ref) as Pkcs11KeyRef, store.pin, chain, { keyAlgorithm: 'rsa' });
}

/** Destroys a revoked key whose grace has passed (KMS keys were scheduled for deletion by KMS itself). */
export async function destroySealKey(store: TenantKeyStore, row: KeyRow): Promise<void> {
  if (row.key_kind === 'pkcs11' && store.kind === 'pkcs11')
    await destroyTokenKey(JSON.parse(row.key_ref) as Pkcs11KeyRef, store.pin);
}

export function openPlatformSigner(p: PlatformSeal): Signer {
  const chain = parsePemCertificates(p.chainPem);
  if (p.key.kind === 'pem') return KeySigner.fromPem(p.key.keyPem, chain);
  const { module, token, key, pin } = p.key;
  return Pkcs11Signer.open({ module, token, key }, pin, chain);
}

/** The platform certificate's id: a UUID made from its leaf certificate, the same on every node. */
export function platformId(p: PlatformSeal): string {
  const h = createHash('sha256').update(parsePemCertificates(p.chainPem)[0]!).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
