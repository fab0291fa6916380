// The public TSAs Sealdesk knows out of the box (seed 001's provider table), as plain data.
import type { RequestHash } from '../asn1/oids.js';

export type TsaProvider = {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  /** null until the user gives it (SK ID's qualified services need a contract URL). */
  readonly url: string | null;
  readonly preferredHash: RequestHash;
  readonly qualified: boolean;
  readonly enabled: boolean;
  /** 1-based order used by round-robin and shown by `tsa list`. */
  readonly position: number;
  readonly builtin: boolean;
  /** notAfter (ISO) of the signer certificate of this TSA's newest accepted token; null/absent: never seen yet. */
  readonly lastCertNotAfter?: string | null;
};

type Builtin = Omit<TsaProvider, 'position' | 'builtin' | 'lastCertNotAfter'>;

/** Stable ids so the same provider has the same id on every machine. */
export const BUILTIN_TSAS: readonly Builtin[] = [
  {
    id: '3f0d6c52-8a7e-4c1b-9a43-0b6f1d2e7a01',
    slug: 'digicert',
    name: 'DigiCert',
    url: 'http://timestamp.digicert.com',
    preferredHash: 'sha256',
    qualified: false,
    enabled: true,
  },
  {
    id: '3f0d6c52-8a7e-4c1b-9a43-0b6f1d2e7a02',
    slug: 'sectigo',
    name: 'Sectigo',
    url: 'http://timestamp.sectigo.com',
    preferredHash: 'sha512',
    qualified: false,
    enabled: true,
  },
  {
    id: '3f0d6c52-8a7e-4c1b-9a43-0b6f1d2e7a03',
    slug: 'globalsign',
    name: 'GlobalSign',
    url: 'http://timestamp.globalsign.com/tsa/r6advanced1',
    preferredHash: 'sha512',
    qualified: false,
    enabled: true,
  },
  {
    id: '3f0d6c52-8a7e-4c1b-9a43-0b6f1d2e7a04',
    slug: 'swisssign',
    name: 'SwissSign',
    url: 'http://tsa.swisssign.net',
    preferredHash: 'sha512',
    qualified: false,
    enabled: true,
  },
  {
    id: '3f0d6c52-8a7e-4c1b-9a43-0b6f1d2e7a05',
    slug: 'rfc3161.ai.moda',
    name: 'ai.moda RFC3161',
    url: 'https://rfc3161.ai.moda',
    preferredHash: 'sha512',
    qualified: false,
    enabled: true,
  },
  {
    id: '3f0d6c52-8a7e-4c1b-9a43-0b6f1d2e7a06',
    slug: 'skid-ecc',
    name: 'SK ID Solutions (ECC, qualified)',
    url: null,
    preferredHash: 'sha256',
    qualified: true,
    enabled: false,
  },
  {
    id: '3f0d6c52-8a7e-4c1b-9a43-0b6f1d2e7a07',
    slug: 'skid-rsa',
    name: 'SK ID Solutions (RSA, qualified)',
    url: null,
    preferredHash: 'sha512',
    qualified: true,
    enabled: false,
  },
];

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;
