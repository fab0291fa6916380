// Every schema migration, in order. A new one is a new file and a new line here; an applied one never changes.
import type { Migration } from '../migrate.js';
import { init } from './001-init.js';
import { restampOpenItems } from './005-restamp-open-items.js';
import { syncLabelTime } from './006-sync-label-time.js';
import { idempotentRecords } from './007-idempotent-records.js';
import { idempotentSeals } from './008-idempotent-seals.js';

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'init', sql: init },
  { version: 5, name: 'restamp-open-items', sql: restampOpenItems },
  { version: 6, name: 'sync-label-time', sql: syncLabelTime },
  { version: 7, name: 'idempotent-records', sql: idempotentRecords },
  { version: 8, name: 'idempotent-seals', sql: idempotentSeals },
];
