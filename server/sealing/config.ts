// The seal key store from the environment (server configuration; never from a request):
//   SEALDESK_SEAL_PKCS11_MODULE, SEALDESK_SEAL_PKCS11_TOKEN, SEALDESK_SEAL_PKCS11_PIN  tenants' keys on a PKCS#11 token
//   SEALDESK_SEAL_KMS_REGION, SEALDESK_SEAL_KMS_ENDPOINT (either one)              tenants' keys in AWS KMS
//   SEALDESK_PLATFORM_CHAIN (PEM file, leaf first), SEALDESK_PLATFORM_LABEL          the platform certificate, with
//   SEALDESK_PLATFORM_PKCS11_KEY (label or id:<hex> on the token above) or SEALDESK_PLATFORM_KEY (PKCS#8 PEM, dev)
//   SEALDESK_SEAL_TRUST, SEALDESK_SEAL_TRUST_DEV (PEM files)   /seal/verify's `chained` anchors and `dev_ca` CAs
//   SEALDESK_TL_HOME (a data folder with a `sealdesk tl` cache)   /seal/verify's qc.isEidasQualified from the EU lists
import { readFileSync } from 'node:fs';
import { parsePemCertificates } from '../../core/asn1/certificate.js';
import type { PlatformSeal, SealingConfig, TenantKeyStore } from './keystore.js';

export function sealingFromEnv(env: NodeJS.ProcessEnv): SealingConfig {
  const store = storeFromEnv(env);
  return {
    store,
    platform: platformFromEnv(env, store),
    trust: env.SEALDESK_SEAL_TRUST ? parsePemCertificates(readFileSync(env.SEALDESK_SEAL_TRUST, 'utf8')) : [],
    trustDev: env.SEALDESK_SEAL_TRUST_DEV
      ? parsePemCertificates(readFileSync(env.SEALDESK_SEAL_TRUST_DEV, 'utf8'))
      : [],
    tlHome: env.SEALDESK_TL_HOME || undefined,
  };
}

function storeFromEnv(env: NodeJS.ProcessEnv): TenantKeyStore | null {
  const { SEALDESK_SEAL_PKCS11_MODULE: module, SEALDESK_SEAL_PKCS11_TOKEN: token, SEALDESK_SEAL_PKCS11_PIN: pin } = env;
  if (module || token) {
    if (!module || !token || !pin) throw new Error('SEALDESK_SEAL_PKCS11_MODULE, _TOKEN and _PIN go together');
    return { kind: 'pkcs11', module, token, pin };
  }
  const region = env.SEALDESK_SEAL_KMS_REGION || undefined;
  const endpoint = env.SEALDESK_SEAL_KMS_ENDPOINT || undefined;
  return region || endpoint ? { kind: 'kms', region, endpoint } : null;
}

function platformFromEnv(env: NodeJS.ProcessEnv, store: TenantKeyStore | null): PlatformSeal | null {
  if (!env.SEALDESK_PLATFORM_CHAIN) return null;
  const chainPem = readFileSync(env.SEALDESK_PLATFORM_CHAIN, 'utf8');
  const label = env.SEALDESK_PLATFORM_LABEL || 'Platform seal';
  if (env.SEALDESK_PLATFORM_PKCS11_KEY) {
    if (store?.kind !== 'pkcs11')
      throw new Error('SEALDESK_PLATFORM_PKCS11_KEY needs the SEALDESK_SEAL_PKCS11_* token');
    return {
      label,
      chainPem,
      key: {
        kind: 'pkcs11',
        module: store.module,
        token: store.token,
        pin: store.pin,
        key: env.SEALDESK_PLATFORM_PKCS11_KEY,
      },
    };
  }
  if (!env.SEALDESK_PLATFORM_KEY)
    throw new Error('SEALDESK_PLATFORM_CHAIN needs SEALDESK_PLATFORM_PKCS11_KEY or SEALDESK_PLATFORM_KEY');
  return { label, chainPem, key: { kind: 'pem', keyPem: readFileSync(env.SEALDESK_PLATFORM_KEY, 'utf8') } };
}
