// The help text: the CLI contract as users read it.
import { DEFAULT_PDF_LIMITS as PDF } from '../core/pdf/limits.js';
import { DEFAULT_ISOLATION_LIMITS as ISO } from '../core/verify-isolated/runner.js';

export const VERSION = '0.1.0';

export const USAGE = `sealdesk ${VERSION} — timestamp and seal files, offline first (RFC 3161, CAdES, PAdES)

Usage:
  sealdesk stamp <file>... [--tsa auto|<slug>] [--hash sha256|sha384|sha512] [--label TEXT]
                           [--force] [--out <path>] [--json]
  sealdesk inspect <token.tsr>... [--tsa-cert <pem>]... [--json]
  sealdesk verify <file> --tsr <token.tsr> [--tsa-cert <pem>]... [--trust <ca.pem>]... [--json]
  sealdesk lookup <file | sha512-hex> [--json]
  sealdesk history [--search TEXT] [--page N] [--page-size N] [--json]
  sealdesk tsa list | add <slug> <url> [--name NAME] [--hash ALG] | enable <slug> [--url URL]
             | disable <slug> | remove <slug> | move <slug> <position> | failures [<slug>]  [--json]
  sealdesk queue list | run [--json]
  sealdesk restamp <record-id>... [--tsa auto|<slug>] [--allow-missing-validation-data] [--allow-private-network] [--json]  (RFC 3161 §4: a time-stamp over the newest .tsr)
  sealdesk restamp --expiring-within <N>d [--include-weak-hashes] [--dry-run] [--concurrency N] [--allow-missing-validation-data]
                   [--per-tsa N] [--rate <slug>=<N>/<minutes>m]... [--json]  (bulk, journaled: run again to resume)
  sealdesk chain <record-id> [--json] [--export <folder>] [--online [--allow-private-network]]  (links; intact and trusted apart; protected-until date)
  sealdesk ledger backup <file.sqlite> | export <file.jsonl>         (a consistent copy; JSON lines with the raw tokens)
  sealdesk import <file.tsr | signed.pdf | file.p7s | folder>... [--json]  (records made elsewhere: tokens and .p7s beside their documents, signed PDFs)
  sealdesk seal <file>... [--cert <id> | --p12 <file> --password-env VAR | --key <pkcs8.pem> --chain <chain.pem> [--password-env VAR]]
                          [--passphrase-env VAR] [--rsa-pss] [--label TEXT] [--tsa auto|<slug>|none] [--out <path>] [--json]
         PDFs (PAdES, → <name>_sealed.pdf): [--level B-B|B-T|B-LT|B-LTA] [--reason TEXT] [--location TEXT]
                          [--contact TEXT] [--visible page:x,y,w,h]
  sealdesk verify <file.pdf | folder>... [--trust <ca.pem>]... [--at <ISO time>] [--online [--allow-private-network]] [--report <out.html|out.pdf>] [--json]
  sealdesk verify <file.pdf> --extract-revision N --out <rev.pdf>
  sealdesk verify <file> --p7s <file.p7s> [--tsr <token.tsr>] [--trust <ca.pem>]... [--trust-dev <ca.pem>]... [--json]
  sealdesk verify <file.p7m> [--extract <out>] [--trust <ca.pem>]... [--json]
         every verify: [--max-heap-mb N (${ISO.maxHeapMb})] [--timeout-s N (${ISO.timeoutS})] per file, each file in its own limited worker;
                       PDFs: [--max-decoded-mb N (${PDF.maxDecodedBytes / 1048576})] [--max-objects N (${PDF.maxObjects})]. A file over a limit: INDETERMINATE,
                       code RESOURCE_LIMIT, exit 2 for it; the other files go on.
  sealdesk operations [--search TEXT] [--page N] [--page-size N] [--json]
  sealdesk seal <file>... --pkcs11-module <so> --token <label> --key <label | id:hex> --pin-env VAR
  sealdesk tokens --pkcs11-module <so> [--pin-env VAR] [--token <label>] [--json]
  sealdesk cert list [--json]
  sealdesk trust add <ca.pem>... | list | remove <id>   [--json]      (anchors for verify; never the OS roots)
  sealdesk seal <file>... --kms-key-id <id> [--kms-region R] [--kms-endpoint URL]
  sealdesk cert provision --signer file|pkcs11|kms --cn NAME --org ORG --country CC [--ou] [--locality] [--state] [--label]
                          [--key rsa-3072|rsa-4096|ec-p256|ec-p384] [--pkcs11-module <so> --token <label> --pin-env VAR] [--kms-region R] [--kms-endpoint URL] [--json]
  sealdesk cert activate <id> <chain.pem> [--json]
  sealdesk cert revoke <id> [--destroy-key] [--pin-env VAR]
  sealdesk cert import --p12 <file> --password-env VAR | --pkcs11-module <so> --token <label> --key <label> --pin-env VAR
                     | --key <pem> --chain <pem> [--json]

Verify reports ETSI EN 319 102-1 indications: TOTAL-PASSED, INDETERMINATE or TOTAL-FAILED with a reason.
Exit codes: 0 success (verify: every signature TOTAL-PASSED), 1 verification failed or not passed (or not found),
            2 bad usage or unreadable input,
            3 all TSAs failed, 4 queued offline.
Data folder: $SEALDESK_HOME, else the per-user app-data folder (shared with the desktop app).
`;
