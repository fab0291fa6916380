// Main-process services: plain Node functions over core, one per IPC channel (tested without Electron).
import { join } from 'node:path';
import { openLedger, countStamps } from '../core/ledger/index.js';
import type { AppInfo, Channel, LedgerSummary, RequestOf, Responses } from '../preload/api.js';

export type Services = { readonly [C in Channel]: (request: RequestOf<C>) => Promise<Responses[C]> | Responses[C] };

export type ServiceOptions = { readonly dataDir: string; readonly version: string; readonly name?: string };

export function createServices(opts: ServiceOptions): Services {
  const ledgerPath = join(opts.dataDir, 'ledger.sqlite');
  return {
    'app:info': (): AppInfo => ({ name: opts.name ?? 'Sealdesk', version: opts.version, dataDir: opts.dataDir, platform: process.platform }),
    'ledger:summary': (): LedgerSummary => {
      const db = openLedger(ledgerPath);
      try {
        return countStamps(db);
      } finally {
        db.close();
      }
    },
  };
}
