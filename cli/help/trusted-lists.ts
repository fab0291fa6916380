// Help page of the trusted-lists command (issue 18: EU LOTL and national lists, offline, for qualified status).
import type { CommandHelp } from './types.js';

export const TRUSTED_LISTS: readonly CommandHelp[] = [
  {
    name: 'tl',
    group: 'verify',
    synopsis: ['import|refresh|status|anchors', 'EU trusted lists, kept offline for qualified status'],
    about: 'Imports or refreshes the EU List of Trusted Lists and the national lists, verifies their signatures.',
    usage: ['tl import <lotl.xml> [<tl.xml>…]', 'tl refresh', 'tl status', 'tl anchors [add <cert>]'],
    actions: ['import', 'refresh', 'status', 'anchors'],
    options: [],
    examples: ['sealdesk tl import eu-lotl.xml ee-tl.xml', 'sealdesk tl status --json'],
  },
];
