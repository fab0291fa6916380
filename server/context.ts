// What every route of sealdesk-server is given: the database, the TSA list and transport, the clock, limits and plans.
import type { TsaProvider } from '../core/tsp/registry.js';
import type { TimeStampTransport } from '../core/tsp/transport.js';
import type { Database } from './db/sql.js';
import type { SealingConfig } from './sealing/keystore.js';

export type Plan = { readonly monthlyStamps: number; readonly monthlyQualified: number };

export type ServerLimits = {
  /** Largest uploaded file (`/seal/sign`, `/seal/verify`); the seed's 10 MB PDF limit. */
  readonly maxUploadBytes: number;
  /** Largest JSON body. */
  readonly maxJsonBytes: number;
  readonly tsaTimeoutMs: number;
};

export type ServerContext = {
  readonly db: Database;
  /** The TSAs this server knows (built-in list or tsas.json), in round-robin order. */
  readonly tsas: readonly TsaProvider[];
  readonly transport: TimeStampTransport;
  readonly now: () => Date;
  /** This process's name in job rows (`locked_by`): host, pid and a random part. */
  readonly nodeId: string;
  readonly limits: ServerLimits;
  readonly plans: Readonly<Record<string, Plan>>;
  /** Seal keys: the tenants' key store and the platform certificate (server/sealing/keystore.ts); none: no seals. */
  readonly sealing?: SealingConfig;
};

export const DEFAULT_LIMITS: ServerLimits = {
  maxUploadBytes: 10 * 1024 * 1024,
  maxJsonBytes: 1024 * 1024,
  tsaTimeoutMs: 10_000,
};

/** Monthly quotas per plan (seed 001: "Monthly stamp limit of 50 reached"; qualified stamps: 5 a month, all plans). */
export const DEFAULT_PLANS: Readonly<Record<string, Plan>> = {
  free: { monthlyStamps: 50, monthlyQualified: 5 },
  team: { monthlyStamps: 5_000, monthlyQualified: 5 },
  enterprise: { monthlyStamps: 1_000_000, monthlyQualified: 5 },
};
