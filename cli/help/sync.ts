// Help pages of the account and sync commands (issue 17: one record with the remote API when online).
import type { CommandHelp } from './types.js';

export const SYNC: readonly CommandHelp[] = [
  {
    name: 'account',
    group: 'sync',
    synopsis: ['login|status|logout', 'the remote API account this machine syncs with'],
    about:
      'Signs in to a sealdesk-server or Sigill API, shows the account, or signs out (queued work is kept).\n' +
      'The credential is kept in account.json in the data folder, readable by you only (0600); a password is\n' +
      'never stored, only the session it opens. Secrets come from environment variables or an echo-free prompt.',
    usage: [
      'account login <server-url> --email E [--password-env VAR]',
      'account login <server-url> --api-key-env VAR',
      'account login <server-url> --hmac-key-env VAR --hmac-secret-env VAR',
      'account login <server-url> --jwt-kid KID --jwt-secret-env VAR',
      'account status [--offline] [--json]',
      'account logout',
    ],
    actions: ['login', 'status', 'logout'],
    options: [
      ['--email E', 'login: the account’s email; the password is asked for at the terminal'],
      ['--password-env VAR', 'login: read the password from environment variable VAR (scripts)'],
      ['--api-key-env VAR', 'login: an API key (sk_live_…) from VAR'],
      ['--hmac-key-env VAR', 'login: the HMAC key id (signed requests, X-CUSTOM-* headers) from VAR'],
      ['--hmac-secret-env VAR', 'login: the HMAC secret from VAR'],
      ['--jwt-kid KID', 'login: the key id of a client-JWT key (HS256 tokens made by this machine)'],
      ['--jwt-secret-env VAR', 'login: the client-JWT secret from VAR'],
      ['--offline', 'status: show the stored account without asking the server (--json: never a secret)'],
    ],
    examples: [
      'sealdesk account login https://seal.example.org --email ana@example.org',
      'sealdesk account login https://seal.example.org --hmac-key-env SEAL_KEY_ID --hmac-secret-env SEAL_SECRET',
      'sealdesk account status --json',
    ],
  },
  {
    name: 'sync',
    group: 'sync',
    synopsis: ['', 'push queued work, then pull the organisation’s records'],
    about: 'Pushes local work in order, then pulls the organisation’s records. Exit 4: offline, work kept; 2: sign in.',
    usage: ['sync [--include-existing]'],
    options: [['--include-existing', 'also offer, once, the local records made before the account was set up']],
    examples: ['sealdesk sync', 'sealdesk sync --json'],
  },
  {
    name: 'label',
    group: 'sync',
    synopsis: ['<record-id> <text>', 'set the label of a stamp or seal record'],
    about:
      'Sets a stamp’s or seal’s label (≤ 255 characters); pushed at the next sync, the later edit on the server wins.',
    usage: ['label <record-id> <text>'],
    options: [],
    examples: ['sealdesk label 3f2c… "Contract 2026-114"', 'sealdesk label 3f2c… "" --json'],
  },
];
