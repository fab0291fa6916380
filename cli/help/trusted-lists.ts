// Help page of the trusted-lists command (issue 18: EU LOTL and national lists, offline, for qualified status).
import type { CommandHelp } from './types.js';

export const TRUSTED_LISTS: readonly CommandHelp[] = [
  {
    name: 'tl',
    group: 'verify',
    synopsis: ['import|refresh|status|anchors', 'EU trusted lists, kept offline for qualified status'],
    about: [
      'Imports or refreshes the EU List of Trusted Lists (LOTL) and the national lists into the data folder, and',
      "verifies every XAdES signature: the LOTL against the Official Journal's LOTL signing certificates (bundled:",
      'OJ C 276, 16.8.2019; `tl anchors add` for a newer publication), directly or through the pivot LOTLs it names;',
      'each national list against the certificates of its LOTL pointer. A list whose signature fails, or whose next',
      'update has passed, is kept but marked; a refreshed copy that fails never replaces a good cached one.',
      'Exit 1 when a list is not valid or could not be refreshed, 4 when the LOTL cannot be reached.',
    ].join('\n'),
    usage: [
      'tl import <lotl.xml> [<pivot-lotl.xml>…] [<tl.xml>…]',
      'tl refresh [--max-lists N] [--max-pivots N] [--max-bytes N]',
      'tl status',
      'tl anchors',
      'tl anchors add <cert> --sha256 <fingerprint>',
    ],
    actions: ['import', 'refresh', 'status', 'anchors'],
    options: [
      ['--max-lists N', 'refresh: fetch at most N lists, the LOTL and its pivots included (default 60)'],
      ['--max-pivots N', 'refresh: follow at most N pivot LOTLs (default 10)'],
      ['--max-bytes N', 'refresh: fetch at most N bytes in all (default 128 MiB)'],
      ['--lotl-url URL', 'refresh: another LOTL (default https://ec.europa.eu/tools/lotl/eu-lotl.xml)'],
      ['--allow-private-network', 'refresh: let list URLs reach loopback and private addresses (test servers)'],
      ['--sha256 HEX', 'anchors add: the fingerprint you checked against the Official Journal'],
    ],
    examples: [
      'sealdesk tl import eu-lotl.xml eu-lotl-pivot-300.xml eu-lotl-pivot-282.xml ee-tl.xml',
      'sealdesk tl status --json',
      'sealdesk tl anchors add oj-2025-cert.pem --sha256 54:00:ab:…',
    ],
  },
];
