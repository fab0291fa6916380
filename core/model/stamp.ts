// Ledger rows as plain, structured-clone-safe data.
import type { HashAlgorithm } from '../asn1/oids.js';

export type StampStatus = 'stamped' | 'pending';
export type SyncState = 'local' | 'queued' | 'synced';

export type StampRecord = {
  readonly id: string;
  /** SHA-512 of the file, the key for lookup (seed: /api/lookup/{sha512}). */
  readonly fileSha512: string;
  readonly imprintAlgorithm: HashAlgorithm;
  readonly imprintHex: string;
  readonly label: string | null;
  readonly filePath: string | null;
  readonly tsrPath: string | null;
  /** What the user asked for: 'auto' or a slug. */
  readonly requestedTsa: string;
  readonly status: StampStatus;
  readonly tsaSlug: string | null;
  readonly tsaName: string | null;
  readonly genTime: string | null;
  readonly serialHex: string | null;
  readonly policyOid: string | null;
  readonly tsaCertNotAfter: string | null;
  /** The exact DER TimeStampResp, as the TSA sent it. */
  readonly tsr: Uint8Array | null;
  readonly qualified: boolean;
  readonly parentId: string | null;
  readonly createdAt: string;
  readonly syncState: SyncState;
  /** Made on this machine, or pulled from the sync server (ledger v11); absent on records built outside the ledger. */
  readonly origin?: 'local' | 'remote';
};

export type FailureLogEntry = {
  readonly at: string;
  readonly tsaSlug: string;
  readonly tsa: string;
  readonly errorClass: string;
  readonly statusCode: number | null;
  readonly message: string;
  readonly latencyMs: number;
  readonly stampId: string | null;
};
