// Help pages of the archive commands (the ledger of every stamp and seal) and of the settings commands.
import type { CommandHelp } from './types.js';

const PAGING: CommandHelp['options'] = [
  ['--search TEXT', 'entries whose label contains TEXT or whose hash starts with it'],
  ['--page N, --page-size N', 'which page (default 1) and how many per page (default 50, at most 200)'],
];

export const ARCHIVE: readonly CommandHelp[] = [
  {
    name: 'history',
    group: 'archive',
    synopsis: ['', 'the stamps made here, newest first'],
    about: 'Lists the time-stamp records of the ledger.',
    usage: ['history [--search TEXT] [--page N] [--page-size N]'],
    options: PAGING,
    examples: ['sealdesk history', 'sealdesk history --search invoice --json'],
  },
  {
    name: 'operations',
    group: 'archive',
    synopsis: ['', 'the seals made here, newest first'],
    about: 'Lists the seal operations of the ledger with their files.',
    usage: ['operations [--search TEXT] [--page N] [--page-size N]'],
    options: PAGING,
    examples: ['sealdesk operations', 'sealdesk operations --page 2 --page-size 20'],
  },
  {
    name: 'lookup',
    group: 'archive',
    synopsis: ['<file | sha512-hex>', 'was this file stamped here, and when?'],
    about: 'Finds the records of a file (hashed with SHA-512) or of a SHA-512 digest given in hex.',
    usage: ['lookup <file | sha512-hex>'],
    options: [],
    examples: ['sealdesk lookup contract.pdf', 'sealdesk lookup "$(sha512sum contract.pdf | cut -c1-128)" --json'],
  },
  {
    name: 'chain',
    group: 'archive',
    synopsis: ['<record-id>', "a record's time-stamps, each link checked; protected-until date"],
    about: 'Shows the chain of time-stamps of one record: links intact, trusted, and until when it is protected.',
    usage: ['chain <record-id> [--export <folder>] [--online [--allow-private-network]]'],
    options: [
      ['--export <folder>', 'write each link (.tsr, …) and a manifest there'],
      ['--online', "ask the TSAs' revocation services first (--allow-private-network for local ones)"],
    ],
    examples: ['sealdesk chain 0b6f2c', 'sealdesk chain 0b6f2c --export evidence/ --json'],
  },
  {
    name: 'restamp',
    group: 'archive',
    synopsis: ['<record-id>...', 'a new time-stamp over the newest; --expiring-within Nd: in bulk'],
    about:
      'Keeps evidence alive: a new token over the newest one, before its TSA certificate or hash weakens. The bulk\n' +
      'form is journaled: run it again to resume.',
    usage: [
      'restamp <record-id>... [--tsa auto|<slug>]',
      'restamp --expiring-within <N>d [--include-weak-hashes] [--dry-run] [--concurrency N] [--per-tsa N]',
      '        [--rate <slug>=<N>/<minutes>m]...',
    ],
    options: [
      ['--tsa auto|<slug>', 'which TSA (default auto)'],
      ['--expiring-within <N>d', 'every chain whose protection ends within N days'],
      ['--include-weak-hashes', 'also chains whose newest token uses a weak hash'],
      ['--scope local|remote|all', 'chains made here (default), pulled from the server (it restamps those), or all'],
      ['--dry-run', 'list what would be restamped'],
      ['--concurrency N, --per-tsa N', 'requests at once, overall and per TSA'],
      ['--rate <slug>=<N>/<M>m', 'at most N requests to that TSA per M minutes (repeatable)'],
      ['--allow-missing-validation-data', 'restamp even when revocation data cannot be gathered'],
      ['--allow-private-network', 'let revocation fetches reach private addresses'],
      ['--remote', "named records, via the account's server (/tsa/restamp; queued when offline)"],
    ],
    examples: ['sealdesk restamp 0b6f2c', 'sealdesk restamp --expiring-within 90d --dry-run'],
  },
  {
    name: 'import',
    group: 'archive',
    synopsis: ['<file | folder>...', 'records made elsewhere: .tsr, .p7s beside documents, signed PDFs'],
    about: 'Adds tokens, .p7s signatures (beside their documents) and signed PDFs made elsewhere to the ledger.',
    usage: ['import <file.tsr | signed.pdf | file.p7s | folder>...'],
    options: [],
    examples: ['sealdesk import archive/2023/', 'sealdesk import contract.pdf.tsr --json'],
  },
  {
    name: 'ledger',
    group: 'archive',
    synopsis: ['backup <f> | export <f>', 'a consistent copy of the ledger, or JSON lines with the raw tokens'],
    about: 'Copies the ledger while it is in use (SQLite backup), or exports every record as JSON lines.',
    usage: ['ledger backup <file.sqlite>', 'ledger export <file.jsonl>'],
    actions: ['backup', 'export'],
    options: [],
    examples: ['sealdesk ledger backup /mnt/backup/ledger.sqlite', 'sealdesk ledger export records.jsonl'],
  },
];

export const SETTINGS: readonly CommandHelp[] = [
  {
    name: 'tsa',
    group: 'settings',
    synopsis: ['list | add | enable | ...', 'the time-stamp authorities, in the order auto tries them'],
    about: 'The TSA list: auto tries the enabled ones in order. `failures` shows recent failed requests.',
    usage: [
      'tsa list | add <slug> <url> [--name NAME] [--hash ALG] [--qualified] | enable <slug> [--url URL]',
      '    | disable <slug> | remove <slug> | move <slug> <position> | failures [<slug>]',
    ],
    actions: ['list', 'add', 'enable', 'disable', 'remove', 'move', 'failures'],
    options: [
      ['--name NAME', 'a display name (add)'],
      ['--hash sha256|sha384|sha512', 'the digest this TSA prefers (add)'],
      ['--qualified', 'mark the TSA as a qualified (eIDAS) service (add)'],
      ['--url URL', 'a new address (enable)'],
    ],
    examples: ['sealdesk tsa add acme https://tsa.acme.example/tsr --name "ACME TSA"', 'sealdesk tsa move acme 1'],
  },
  {
    name: 'trust',
    group: 'settings',
    synopsis: ['add | list | remove', 'the trust anchors verify uses (never the OS roots)'],
    about: 'Trust anchors for verify: certificates you add here, never the operating system roots.',
    usage: ['trust add <ca.pem>...', 'trust list', 'trust remove <id>'],
    actions: ['add', 'list', 'remove'],
    options: [],
    examples: ['sealdesk trust add acme-root.pem', 'sealdesk trust list --json'],
  },
  {
    name: 'cert',
    group: 'settings',
    synopsis: ['list | provision | ...', 'sealing certificates: list, import, provision, activate, revoke'],
    about: 'The certificates seal can use. `provision` makes a key and a CSR; `activate` adds the CA-issued chain.',
    usage: [
      'cert list',
      'cert import --p12 <file> --password-env VAR | --key <pem> --chain <pem>',
      '            | --pkcs11-module <so> --token <label> --key <label> --pin-env VAR',
      'cert provision --signer file|pkcs11|kms --cn NAME --org ORG --country CC [--ou] [--locality] [--state]',
      '               [--label] [--key rsa-3072|rsa-4096|ec-p256|ec-p384] [token or KMS options]',
      'cert activate <id> <chain.pem>',
      'cert revoke <id> [--destroy-key] [--pin-env VAR]',
    ],
    actions: ['list', 'import', 'provision', 'activate', 'revoke'],
    options: [
      ['--signer file|pkcs11|kms', 'where provision makes the key'],
      ['--cn, --org, --country', "the certificate request's subject (--ou, --locality, --state optional)"],
      ['--label TEXT', 'a name for the certificate'],
      ['--key <spec | file | label>', 'provision: the key type; import: the key file or the label on the token'],
      ['--p12, --chain, --password-env', 'import from files'],
      ['--pkcs11-module, --token, --pin-env', 'a PKCS#11 token'],
      ['--kms-region R, --kms-endpoint URL', 'AWS KMS'],
      ['--destroy-key', 'revoke: also delete the key Sealdesk made'],
    ],
    examples: [
      'sealdesk cert provision --signer file --cn "ACME seal" --org ACME --country DE',
      'sealdesk cert activate 4 issued-chain.pem',
      'sealdesk cert import --p12 seal.p12 --password-env P12_PASSWORD',
    ],
  },
  {
    name: 'tokens',
    group: 'settings',
    synopsis: ['--pkcs11-module <so>', 'the PKCS#11 tokens present and their keys'],
    about: 'Lists the tokens a PKCS#11 module sees (with --pin-env, the keys and certificates on them).',
    usage: ['tokens --pkcs11-module <so> [--pin-env VAR] [--token <label>]'],
    options: [
      ['--pkcs11-module <so>', 'the module (or SEALDESK_PKCS11_MODULE)'],
      ['--pin-env VAR', 'log in with the PIN in VAR to list keys'],
      ['--token <label>', 'only this token'],
    ],
    examples: [
      'sealdesk tokens --pkcs11-module /usr/lib/softhsm/libsofthsm2.so',
      'sealdesk tokens --pkcs11-module p11.so --pin-env PIN --json',
    ],
  },
];
