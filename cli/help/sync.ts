// Help pages of the account and sync commands (issue 17: one record with the remote API when online).
import type { CommandHelp } from './types.js';

export const SYNC: readonly CommandHelp[] = [
  {
    name: 'account',
    group: 'sync',
    synopsis: ['login|status|logout', 'the remote API account this machine syncs with'],
    about: 'Signs in to a sealdesk-server or Sigill API, shows the account, or signs out (queued work is kept).',
    usage: ['account login <server-url> [--email E] [--password-env VAR]', 'account status', 'account logout'],
    actions: ['login', 'status', 'logout'],
    options: [],
    examples: ['sealdesk account login https://seal.example.org --email ana@example.org', 'sealdesk account status'],
  },
  {
    name: 'sync',
    group: 'sync',
    synopsis: ['', 'push queued work, then pull the organisation’s records'],
    about:
      'One sync run: sends the outbox in order, then pulls remote records. Exit 4 when offline (work stays queued).',
    usage: ['sync [--include-existing]'],
    options: [],
    examples: ['sealdesk sync', 'sealdesk sync --json'],
  },
  {
    name: 'label',
    group: 'sync',
    synopsis: ['<record-id> <text>', 'set the label of a stamp or seal record'],
    about: 'Sets a record’s label (local or remote record); with an account, the change is pushed at the next sync.',
    usage: ['label <record-id> <text>'],
    options: [],
    examples: ['sealdesk label 3f2c… "Contract 2026-114"', 'sealdesk label 3f2c… "" --json'],
  },
];
