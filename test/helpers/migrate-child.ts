// A second process for the migration race test: says "opening", opens the ledger at argv[2], prints what it migrated.
import { openLedger } from '../../core/ledger/open.js';

const path = process.argv[2]!;
process.stdout.write('opening\n');
let applied: readonly number[] = [];
const db = openLedger(path, { onMigrated: (a) => (applied = a) });
const version = db.pragma('user_version', { simple: true }) as number;
db.close();
process.stdout.write(`${JSON.stringify({ applied, version })}\n`);
