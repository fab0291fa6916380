// Every ledger migration, in order. Append only: a released migration is never edited.
import type { Database } from 'better-sqlite3';
import * as m0001 from './0001-initial.js';
import * as m0002 from './0002-seals.js';
import * as m0003 from './0003-certificate-public-key.js';
import * as m0004 from './0004-pades.js';
import * as m0005 from './0005-trust-anchors.js';
import * as m0006 from './0006-weak-imprints.js';
import * as m0007 from './0007-restamp-journal.js';
import * as m0008 from './0008-seal-archive.js';
import * as m0009 from './0009-stale-protection.js';
import * as m0010 from './0010-tsa-last-certificate.js';
import * as m0011 from './0011-sync.js';

export type Migration = { readonly version: number; readonly up: (db: Database) => void };

export const MIGRATIONS: readonly Migration[] = [
  m0001,
  m0002,
  m0003,
  m0004,
  m0005,
  m0006,
  m0007,
  m0008,
  m0009,
  m0010,
  m0011,
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
