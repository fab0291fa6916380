// Help pages of the stamp, seal and verify commands. Limits' defaults are written out here (the help must load
// nothing); test/unit/cli/help.test.ts checks them against core.
import type { CommandHelp } from './types.js';

const SIGNER: CommandHelp['options'] = [
  ['--cert <id>', 'a certificate from `sealdesk cert list` (default: the default seal)'],
  ['--key <pkcs8.pem> --chain <pem>', 'a key file and its chain (PEM, signer first)'],
  ['--p12 <file> --password-env VAR', 'a PKCS#12 file, its password in the environment variable VAR'],
  ['--pkcs11-module <so> --token <label>', 'a key on a PKCS#11 token: --key <label | id:hex> --pin-env VAR'],
  ['--kms-key-id <id>', 'an AWS KMS key [--kms-region R] [--kms-endpoint URL]'],
  ['--passphrase-env VAR', "the default seal's passphrase, when it has one"],
];

export const STAMP_SEAL_VERIFY: readonly CommandHelp[] = [
  {
    name: 'stamp',
    group: 'stamp',
    synopsis: ['<file>...', 'time-stamp files at a TSA (queued when offline)'],
    about: 'Asks a time-stamp authority for an RFC 3161 token over each file and writes <file>.tsr beside it.',
    usage: ['stamp <file>... [options]'],
    options: [
      ['--tsa auto|<slug>', 'which TSA (auto: the enabled ones in order, the next on failure)'],
      ['--hash sha256|sha384|sha512', 'the digest sent to the TSA'],
      ['--label TEXT', 'a label kept in the ledger'],
      ['--force', 'stamp again a file the ledger already has'],
      ['--out <path>', 'where the token goes (one file only)'],
      ['--remote', "via the account's server: only the SHA-512 leaves (queued when offline)"],
      ['--qualified', 'only TSAs the cached EU trusted lists show as qualified (QTST); exit 3 if none'],
      ['--qualified --dry-run', "the TSAs a qualified stamp would use, and this month's qualified stamps"],
    ],
    examples: [
      'sealdesk stamp contract.pdf',
      'sealdesk stamp *.docx --tsa digicert --label "Q3 board"',
      'sealdesk stamp contract.pdf --remote --label "signed copy"',
    ],
  },
  {
    name: 'inspect',
    group: 'stamp',
    synopsis: ['<token.tsr>...', 'read a time-stamp token: time, TSA, hash, signature'],
    about: 'Shows what a time-stamp token says (each read in a limited worker), without the file it covers.',
    usage: ['inspect <token.tsr>... [--tsa-cert <pem>]...'],
    options: [['--tsa-cert <pem>', "the TSA's certificate when the token does not carry it (repeatable)"]],
    examples: ['sealdesk inspect contract.pdf.tsr', 'sealdesk inspect old.tsr --tsa-cert tsa.pem --json'],
  },
  {
    name: 'queue',
    group: 'stamp',
    synopsis: ['list | run', 'stamps and seals waiting for a TSA'],
    about: 'Stamps and seal time-stamps made offline wait in the queue; `run` sends them.',
    usage: ['queue list', 'queue run'],
    actions: ['list', 'run'],
    options: [],
    examples: ['sealdesk queue list', 'sealdesk queue run --json'],
  },
  {
    name: 'seal',
    group: 'seal',
    synopsis: ['<file>...', 'seal: PAdES inside PDFs, a CAdES .p7s beside any other file'],
    about:
      'Signs each file with an organisation seal. A PDF gets a PAdES signature (<name>_sealed.pdf); any other file a\n' +
      'detached CAdES <file>.p7s. Without a signer option the default seal is used (made on first use).',
    usage: ['seal <file>... [signer] [options]'],
    options: [
      ...SIGNER,
      ['--tsa auto|<slug>|none', 'time-stamp the signature (default auto)'],
      ['--rsa-pss', 'RSASSA-PSS instead of PKCS#1 v1.5 (RSA keys)'],
      ['--label TEXT', 'a label kept in the ledger'],
      ['--out <path>', 'where the sealed file goes (one file only)'],
      ['--level B-B|B-T|B-LT|B-LTA', 'PDFs: the PAdES baseline level'],
      ['--reason TEXT, --location TEXT', 'PDFs: shown in the signature panel'],
      ['--contact TEXT', "PDFs: the signer's contact information"],
      ['--visible page:x,y,w,h', 'PDFs: a visible seal on that page, in points from the bottom left'],
      ['--remote-cert <id>', 'the server seals with its certificate <id>: the FILE is sent (asks first)'],
      ['--yes', 'with --remote-cert: agree to send the file (needed without a terminal)'],
    ],
    examples: [
      'sealdesk seal invoice.pdf --level B-LT --reason "Issued by ACME"',
      'sealdesk seal a.pdf --pkcs11-module /usr/lib/softhsm/libsofthsm2.so --token ACME --key seal --pin-env PIN',
      'sealdesk seal contract.pdf --remote-cert 3f6c2d1e-8a8b-4c52-9a8e-0c5a1b2c3d4e --yes',
    ],
  },
  {
    name: 'verify',
    group: 'verify',
    synopsis: ['<file>...', 'check PDF signatures, a .p7s or .p7m, or a file against its token'],
    about:
      'ETSI EN 319 102-1 indications: TOTAL-PASSED, INDETERMINATE or TOTAL-FAILED with a reason. Every file is read\n' +
      'in its own limited worker; a file over a limit is INDETERMINATE (RESOURCE_LIMIT) and the others go on.',
    usage: [
      'verify <file.pdf | folder>... [--trust <ca.pem>]... [--at <ISO time>] [--online] [--report <out.html|pdf>]',
      'verify <file.pdf> --extract-revision N --out <rev.pdf>',
      'verify <file> --p7s <file.p7s> [--tsr <token.tsr>] [--trust <ca.pem>]...',
      'verify <file.p7m> [--extract <out>]',
      'verify <file> --tsr <token.tsr> [--tsa-cert <pem>]...',
    ],
    options: [
      ['--trust <ca.pem>', 'a trust anchor for this run (repeatable; see also `sealdesk trust`)'],
      ['--trust-dev <ca.pem>', 'a test anchor: chains to it are reported as not qualified'],
      ['--at <ISO time>', 'validate as of that time instead of now'],
      ['--trust-eu', 'trust certificates the EU trusted lists show under granted CA/QC or TSA/QTST services'],
      ['--online', 'fetch missing OCSP/CRL data (--allow-private-network for local responders)'],
      ['--report <out.html|out.pdf>', 'also write a report people can read'],
      ['--extract-revision N --out <f>', 'write the document as it was when signature N was made'],
      ['--p7s <file.p7s>', "the file's detached CAdES signature"],
      ['--extract <out>', 'write the content of an enveloping .p7m'],
      ['--tsr <token.tsr>', 'the time-stamp token of the file'],
      ['--tsa-cert <pem>', "the TSA's certificate, when the token lacks it (repeatable)"],
      ['--max-heap-mb N', "a worker's heap (default 256)"],
      ['--timeout-s N', 'seconds per file (default 60)'],
      ['--max-decoded-mb N', 'PDFs: decompressed bytes per document (default 200)'],
      ['--max-objects N', 'PDFs: objects per document (default 2000000)'],
    ],
    examples: [
      'sealdesk verify contract_sealed.pdf --trust acme-ca.pem',
      'sealdesk verify inbox/ --report audit.html',
      'sealdesk verify report.xml --p7s report.xml.p7s --json',
    ],
  },
];
