// The one IPC contract between the renderer and main: channel → request schema and result type.
// Plain data only (structured-clone safe). The renderer imports only types from here.
import { z } from 'zod/mini';
import type { RecordDetails } from '../core/app/history.js';
import type { QueuedItem } from '../core/app/queue.js';
import type { Credential, SyncStatus } from '../core/sync/types.js';
import type { ApiError, InspectedToken, ItemError, VerifyItem } from './results.js';

export type * from './results.js';
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

export type AppInfo = {
  readonly name: string;
  readonly version: string;
  readonly dataDir: string;
  readonly platform: string;
};
export type LedgerSummary = { readonly stamped: number; readonly pending: number };

export type StampItem = {
  readonly file: string;
  readonly error?: ItemError;
  readonly tsrPath?: string | null;
  readonly tsaName?: string | null;
  readonly genTime?: string | null;
  readonly serial?: string | null;
  readonly queued?: boolean;
  readonly existing?: boolean;
  /** Stamped (or queued) via the sync account's server. */
  readonly server?: boolean;
};
export type SealItem = {
  readonly file: string;
  readonly error?: ItemError;
  readonly outputPath?: string;
  readonly format?: 'pades' | 'cades';
  readonly level?: string | null;
  readonly timestampedBy?: string | null;
  readonly queued?: boolean;
  readonly warnings?: readonly string[];
  /** Sealed (or queued) via the sync account's server. */
  readonly server?: boolean;
};
export type CertificateItem = {
  readonly id: string;
  readonly label: string;
  readonly kind: string;
  readonly subject: string | null;
  readonly status: string;
  readonly notAfter: string | null;
};
export type TsaItem = {
  readonly slug: string;
  readonly name: string;
  readonly url: string | null;
  readonly enabled: boolean;
  readonly qualified: boolean;
};
/** One page for placing a visible seal: size in points and the boxes of what it draws (x0, y0, x1, y1). */
export type PagePreview = {
  readonly pages: number;
  readonly width: number;
  readonly height: number;
  readonly origin: readonly [number, number];
  readonly boxes: readonly (readonly number[])[];
  readonly complete: boolean;
};
/** Bytes of a PDF for the renderer's page drawing, a range at a time (only what pdf.js asks for); size: the whole
 * file's (or the request's `end`, when that is shorter). */
export type PdfBytes = { readonly size: number; readonly bytes: Uint8Array };
/** The most one `pdf:bytes` request reads. */
export const PDF_BYTES_MAX = 4 * 1024 * 1024;
/** A record's fields and the file versions the ledger knows (core/app/history.ts). */
export type { RecordDetails };
/** keychainNote: why no passphrase is kept here (no keyring, or Linux's basic_text backend); null when kept or no reason. */
export type DefaultSealState = {
  readonly exists: boolean;
  readonly protected: boolean;
  readonly keychain: boolean;
  readonly keychainNote?: string | null;
};
export type TokenItem = {
  readonly label: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly certificates: readonly {
    readonly label: string;
    readonly idHex: string;
    readonly subject: string;
    readonly notAfter: string;
  }[];
};
export type TsaTest = { readonly ok: boolean; readonly latencyMs: number; readonly message: string };
export type TsaFailureItem = {
  readonly at: string;
  readonly tsa: string;
  readonly errorClass: string;
  readonly message: string;
};
export type TrustItem = { readonly id: string; readonly subject: string; readonly notAfter: string };
/** `sealdesk stamp --qualified --dry-run`: the TSAs a qualified stamp would use (`service`: the trusted list's QTST
 * service, null when its certificate is not known yet: its first token is checked), those refused, the month's
 * count. */
export type QualifiedPlan = {
  readonly usable: readonly { readonly slug: string; readonly name: string; readonly service: string | null }[];
  readonly refused: readonly { readonly slug: string; readonly reason: string }[];
  readonly month: { readonly month: string; readonly qualified: number; readonly all: number };
};
/** `sealdesk queue list`: one stamp, or one seal's time-stamp or level, waiting for a TSA (core/app/queue.ts). */
export type { QueuedItem };
/** The offline queue: what waits, when it last ran, whether that run reached a TSA (null: not known yet). */
export type QueueState = {
  readonly pending: number;
  readonly lastRun: string | null;
  readonly online: boolean | null;
  readonly running: boolean;
};
/** A file or folder main lets the renderer use: an opaque handle (128 random bits) and what to show; never a path. */
export type FileRef = {
  readonly handle: string;
  readonly name: string;
  readonly size: number;
  readonly kind: 'file' | 'folder';
};
/** A PKCS#11 module main knows: found at a known location, or picked by the user in main's dialog. */
export type Pkcs11Module = {
  readonly id: string;
  readonly name: string;
  readonly location: string;
  readonly source: 'known' | 'picked';
};
export type OpenedFiles = readonly { readonly file: FileRef; readonly view: 'Verify' | 'Inspect' }[];
/** What each kind of job returns, one item per input. */
/** `report`: `verify:report` runs as a job (progress, cancel); its one result is the written report's path. */
export type JobResults = {
  readonly stamp: StampItem;
  readonly seal: SealItem;
  readonly verify: VerifyItem;
  readonly restamp: RestampItem;
  readonly report: { readonly path: string };
};
/** A job's kind and its results together: narrowing on `kind` types `results`. */
export type JobKindResults = {
  [K in keyof JobResults]: { readonly kind: K; readonly results: readonly JobResults[K][] };
}[keyof JobResults];
export type JobStatus = JobKindResults & {
  readonly id: string;
  readonly state: 'running' | 'done' | 'cancelled' | 'failed';
  readonly done: number;
  readonly total: number;
  /** Restamp jobs: chains failed so far, chains under way, paused (still running; no new chain starts). */ readonly failed?: number;
  readonly active?: number;
  readonly paused?: boolean;
  readonly error?: ItemError;
  /** Stamp jobs: bytes hashed so far, of all files. */ readonly bytes?: {
    readonly done: number;
    readonly total: number;
  };
};
/** Restamp view: a chain due (its newest link), what the window holds, and a journaled run that did not finish. */
/** kind 'stamp': a chain's newest link; 'pdf' / 'p7s': a sealed file, restamped in place (id = its seal operation). */
export type DueChain = {
  readonly id: string;
  readonly kind: 'stamp' | 'pdf' | 'p7s';
  readonly file: string | null;
  readonly tsaName: string | null;
  readonly tsaCertNotAfter: string | null;
  readonly hashAlgorithm: string | null;
  readonly genTime: string | null;
};
export type RestampRun = {
  readonly id: string;
  readonly createdAt: string;
  readonly total: number;
  readonly done: number;
  readonly failed: number;
};
export type RestampDue = {
  readonly before: string;
  readonly total: number;
  readonly chains: readonly DueChain[];
  readonly byMonth: Readonly<Record<string, number>>;
  readonly byTsa: Readonly<Record<string, number>>;
  readonly unfinished: RestampRun | null;
  /** Auto: each enabled TSA, whether a new link from it outlasts the window; chains none could extend. */
  readonly tsas: readonly TsaVerdict[];
  readonly noTsaExtendsProtection: number;
};
export type TsaVerdict = {
  readonly slug: string;
  readonly name: string;
  readonly lastCertNotAfter: string | null;
  readonly reason: 'extends' | 'unknown' | 'expires_in_window' | 'not_after_protected_until';
};
/** One chain of a restamp job: its new link, or why it failed (the journal keeps the message). */
/** For a sealed file, stampId and newId are its seal operation's id (the file itself got the new time-stamp). */
export type RestampItem = {
  readonly file: string;
  readonly stampId: string;
  readonly newId: string | null;
  readonly kind?: 'stamp' | 'pdf' | 'p7s';
  readonly error?: ItemError;
  /** A sealed file restamped without this validation data (allowMissingValidationData). */ readonly missingValidationData?: readonly string[];
};
/** A record's archive chain (a stamp's links, or a sealed file's time-stamps); protectedUntil is when the next restamp is due.
 * intact: every token sound, covering what it must, made in time (else `problems`); trusted: every TSA certificate
 * chains to an anchor of the trust store (else `trustProblems`). A chain can be intact and not trusted. */
export type ChainLinkItem = {
  readonly n: number;
  readonly id: string | null;
  readonly kind: 'stamp' | 'signature-timestamp' | 'document-timestamp' | 'archive-timestamp';
  readonly genTime: string | null;
  readonly tsaName: string | null;
  readonly hashAlgorithm: string | null;
  readonly tsaCertNotAfter: string | null;
  readonly intact: boolean;
  readonly trusted: boolean;
  readonly problems: readonly string[];
  readonly trustProblems: readonly string[];
};
export type ChainView = {
  readonly id: string;
  readonly kind: 'stamp' | 'pdf' | 'p7s';
  readonly links: readonly ChainLinkItem[];
  readonly intact: boolean;
  readonly trusted: boolean;
  readonly protectedUntil: string | null;
};
/** One input of `import:files`: imported (or already in the ledger) as record `id`, skipped, or why not. */
export type ImportItem = {
  readonly path: string;
  readonly kind: 'stamp' | 'seal' | 'skipped' | 'error';
  readonly id: string | null;
  readonly already: boolean;
  readonly detail: string;
  readonly error?: ItemError;
};
/** `restamp:one`: the new link's record (a stamp chain), or the sealed file restamped in place. */
export type RestampOneItem = {
  readonly kind: 'stamp' | 'seal';
  readonly id: string;
  readonly newId: string | null;
  readonly tsaName: string | null;
  /** The file written or extended; null for a chain pulled from the server (the new link is kept in the ledger). */
  readonly path: string | null;
  readonly missingValidationData: readonly string[];
};
export type HistoryItem = {
  readonly kind: 'stamp' | 'seal';
  readonly id: string;
  readonly label: string | null;
  readonly file: string | null;
  readonly status: string;
  readonly createdAt: string;
  readonly detail: string;
  /** Made here, or pulled from the account's server (a colleague's); absent before sync existed. */
  readonly origin?: 'local' | 'remote';
};

/** `sealdesk lookup <file>`: the chosen file's SHA-512 and the stamps of that content, newest first. */
export type LookupResult = {
  readonly sha512: string;
  readonly records: readonly {
    readonly id: string;
    readonly label: string | null;
    readonly status: 'stamped' | 'pending';
    readonly tsaName: string | null;
    readonly genTime: string | null;
    readonly origin: 'local' | 'remote';
  }[];
};

/** The account the window sees: never a secret (no password, key or token crosses IPC towards the renderer). */
export type AccountView = {
  readonly serverUrl: string;
  readonly scheme: Credential['scheme'];
  readonly email: string | null;
  readonly tenantId: string | null;
  readonly role: string | null;
  readonly capabilities: readonly string[];
};
/** Settings → Account: the account (null: none), and whether the OS keychain can keep one (else why not). */
export type AccountState = {
  readonly account: AccountView | null;
  readonly keychain: boolean;
  readonly keychainNote: string | null;
};
export type { SyncStatus };
/** A seal certificate of the account's server, as the Seal view offers it for "via server". */
export type ServerCertificate = { readonly id: string; readonly label: string; readonly status: string };
/** `sync:now`: one run's counts (refused: local records the server cannot take) and the state after it. */
export type SyncRunView = {
  readonly pushed: number;
  readonly pulled: number;
  readonly refused: readonly { readonly kind: string; readonly recordId: string; readonly reason: string }[];
  readonly status: SyncStatus;
};

/** Every channel, `domain:verb`. The preload needs only these names, so it never bundles zod. */
export const CHANNELS = [
  'files:recent',
  'tokens:modules',
  'tokens:addModule',
  'app:info',
  'ledger:summary',
  'stamp:files',
  'seal:files',
  'certs:list',
  'verify:files',
  'inspect:token',
  'history:list',
  'tsa:list',
  'tsa:setEnabled',
  'trust:list',
  'trust:add',
  'jobs:stamp',
  'jobs:status',
  'jobs:cancel',
  'jobs:list',
  'app:opened',
  'desktop:chooseFiles',
  'desktop:showInFolder',
  'verify:report',
  'verify:extractRevision',
  'queue:run',
  'queue:state',
  'tsa:add',
  'tsa:test',
  'tsa:failures',
  'tokens:list',
  'tokens:use',
  'certs:provision',
  'certs:activate',
  'certs:revoke',
  'pdf:page',
  'pdf:bytes',
  'history:record',
  'defaultSeal:state',
  'defaultSeal:protect',
  'inspect:export',
  'tsa:move',
  'jobs:seal',
  'jobs:verify',
  'restamp:due',
  'jobs:restamp',
  'jobs:pause',
  'jobs:resume',
  'history:chain',
  'import:files',
  'restamp:one',
  'account:login',
  'account:status',
  'account:logout',
  'account:certificates',
  'sync:now',
  'sync:status',
  'label:set',
  'trust:remove',
  'history:lookup',
  'queue:list',
  'stamp:qualifiedPlan',
  'tsa:remove',
  'certs:importP12',
] as const;
export type Channel = (typeof CHANNELS)[number];
/** Channels main answers itself (dialogs, the file handles, files the OS opened, PKCS#11 modules): never forwarded to
 * the services (main/dispatch.ts). */
export const MAIN_SIDE_CHANNELS = [
  'files:recent',
  'tokens:modules',
  'tokens:addModule',
  'app:opened',
  'desktop:chooseFiles',
  'desktop:showInFolder',
] as const satisfies readonly Channel[];
export type MainSideChannel = (typeof MAIN_SIDE_CHANNELS)[number];
/** The channels the services (the worker host) answer. */
export type ServiceChannel = Exclude<Channel, MainSideChannel>;

/** A handle main issued (FileRef.handle). Any string passes here: main answers CAPABILITY_UNKNOWN for anything it did
 * not issue, raw paths included. */
const file = /* @__PURE__ */ z.string().check(z.minLength(1), z.maxLength(4096));
const files = /* @__PURE__ */ z.array(file).check(z.minLength(1), z.maxLength(10_000));
/** An output's suggested file name: main's save dialog chooses where it goes. */
const saveAs = /* @__PURE__ */ z.optional(z.string().check(z.maxLength(255)));
const empty = /* @__PURE__ */ z.strictObject({});
/** An account's server: http(s) only (checked again by core's login). */
const serverUrl = /* @__PURE__ */ z.string().check(z.minLength(1), z.maxLength(2048), z.regex(/^https?:\/\/[^\s]+$/i));
const secret = /* @__PURE__ */ z.string().check(z.minLength(1), z.maxLength(4096));
/** `sealdesk stamp`'s options (but --out: the .tsr goes beside each file). */
const stampOptions = {
  tsa: /* @__PURE__ */ z.optional(z.string()),
  label: /* @__PURE__ */ z.optional(z.string()),
  hash: /* @__PURE__ */ z.optional(z.enum(['sha256', 'sha384', 'sha512'])),
  force: /* @__PURE__ */ z.optional(z.boolean()),
  /** Via the sync account's server (`stamp --remote`): only each file's hash leaves the machine. */
  remote: /* @__PURE__ */ z.optional(z.boolean()),
  /** `stamp --qualified`: only TSAs the cached EU trusted lists show as qualified (QTST), each token checked. */
  qualified: /* @__PURE__ */ z.optional(z.boolean()),
};
/** `sealdesk restamp --expiring-within`'s run options (core/app/restamp.ts BulkRestampOptions). */
const bulkRestampOptions = {
  concurrency: /* @__PURE__ */ z.optional(z.number().check(z.int(), z.gte(1), z.lte(16))),
  perTsa: /* @__PURE__ */ z.optional(z.number().check(z.int(), z.gte(1), z.lte(16))),
  /** `<slug>=<N>/<minutes>m` each. */
  rate: /* @__PURE__ */ z.optional(
    z.array(z.string().check(z.regex(/^[a-z0-9._-]+=\d{1,6}\/\d{1,5}m$/))).check(z.maxLength(64)),
  ),
  /** Restamp sealed files whose validation data cannot all be had (default: refuse them, as EU DSS does). */
  allowMissingValidationData: /* @__PURE__ */ z.optional(z.boolean()),
  /** Fetch validation data from private-network addresses too. */
  allowPrivateNetwork: /* @__PURE__ */ z.optional(z.boolean()),
};
/** `sealdesk verify`'s options: anchors and TSA certificates as handles (main reads the files), `at` an ISO time,
 * the limits bounded as the CLI's flags, `extractAs` a .p7m content's suggested name (main's save dialog places it). */
const handles = /* @__PURE__ */ z.optional(z.array(file).check(z.maxLength(64)));
const bounded = (max: number) => /* @__PURE__ */ z.optional(z.number().check(z.int(), z.gte(1), z.lte(max)));
const isoTime = /* @__PURE__ */ z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/),
  z.refine((s) => !Number.isNaN(Date.parse(s)), 'not a valid time'),
);
const verifyOptions = {
  trust: handles,
  trustDev: handles,
  tsaCertificates: handles,
  at: /* @__PURE__ */ z.optional(isoTime),
  online: /* @__PURE__ */ z.optional(z.boolean()),
  allowPrivateNetwork: /* @__PURE__ */ z.optional(z.boolean()),
  /** Certificates under granted CA/QC and TSA/QTST services of the cached EU trusted lists are trust anchors. */
  trustEu: /* @__PURE__ */ z.optional(z.boolean()),
  maxHeapMb: bounded(64 * 1024),
  timeoutS: bounded(7 * 24 * 3600),
  maxDecodedMb: bounded(1024 * 1024),
  maxObjects: bounded(1_000_000_000),
  extractAs: saveAs,
};
const sealRequest = {
  files,
  certificateId: /* @__PURE__ */ z.optional(z.string()),
  level: /* @__PURE__ */ z.optional(z.enum(['B-B', 'B-T', 'B-LT', 'B-LTA'])),
  reason: /* @__PURE__ */ z.optional(z.string()),
  location: /* @__PURE__ */ z.optional(z.string()),
  visible: /* @__PURE__ */ z.optional(z.string()),
  label: /* @__PURE__ */ z.optional(z.string()),
  /** As `sealdesk seal --contact`, `--rsa-pss` (CAdES) and `--tsa auto|<slug>|none`. */
  contact: /* @__PURE__ */ z.optional(z.string()),
  rsaPss: /* @__PURE__ */ z.optional(z.boolean()),
  tsa: /* @__PURE__ */ z.optional(z.string()),
  /** A token's PIN or a key's password, for this request only: used once, never stored. */
  pin: /* @__PURE__ */ z.optional(z.string().check(z.maxLength(256))),
  password: /* @__PURE__ */ z.optional(z.string().check(z.maxLength(1024))),
  /** Via the server with its certificate of this id (`seal --remote-cert`): main asks before the files leave. */
  remoteCert: /* @__PURE__ */ z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
};

/** Each channel's request schema, checked by main's handle(); `satisfies` keeps it in step with CHANNELS. */
export const CONTRACT = {
  'app:info': { request: empty },
  'ledger:summary': { request: empty },
  'stamp:files': { request: /* @__PURE__ */ z.strictObject({ files, ...stampOptions }) },
  'seal:files': { request: /* @__PURE__ */ z.strictObject({ ...sealRequest }) },
  'certs:list': { request: empty },
  'verify:files': { request: /* @__PURE__ */ z.strictObject({ files, ...verifyOptions }) },
  'inspect:token': { request: /* @__PURE__ */ z.strictObject({ file, tsaCertificates: handles }) },
  'history:list': {
    request: /* @__PURE__ */ z.strictObject({
      search: z.optional(z.string()),
      page: z.optional(z.number().check(z.int(), z.positive())),
      pageSize: bounded(200),
    }),
  },
  'tsa:list': { request: empty },
  /** `url`: as `sealdesk tsa enable <slug> --url` (a built-in TSA that needs your contract's address). */
  'tsa:setEnabled': {
    request: /* @__PURE__ */ z.strictObject({
      slug: z.string(),
      enabled: z.boolean(),
      url: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
    }),
  },
  'trust:list': { request: empty },
  'trust:add': { request: /* @__PURE__ */ z.strictObject({ file }) },
  /** `sealdesk trust remove <id>`: an anchor of Settings → Trust anchors, by its id. */
  'trust:remove': {
    request: /* @__PURE__ */ z.strictObject({ id: z.string().check(z.minLength(1), z.maxLength(200)) }),
  },
  'jobs:stamp': { request: /* @__PURE__ */ z.strictObject({ files, ...stampOptions }) },
  'jobs:seal': { request: /* @__PURE__ */ z.strictObject({ ...sealRequest }) },
  'jobs:verify': { request: /* @__PURE__ */ z.strictObject({ files, ...verifyOptions }) },
  'jobs:status': { request: /* @__PURE__ */ z.strictObject({ id: z.string() }) },
  'jobs:cancel': { request: /* @__PURE__ */ z.strictObject({ id: z.string() }) },
  'jobs:list': { request: empty },
  'app:opened': { request: empty },
  'desktop:chooseFiles': {
    request: /* @__PURE__ */ z.strictObject({ folders: z.optional(z.boolean()), multiple: z.optional(z.boolean()) }),
  },
  'files:recent': { request: empty },
  /** `path`: one main reported as written (an output), or the data folder; `file`: a handle. */
  'desktop:showInFolder': {
    request: /* @__PURE__ */ z.union([
      z.strictObject({ path: z.string().check(z.minLength(1), z.maxLength(4096)) }),
      z.strictObject({ file }),
    ]),
  },
  'verify:report': { request: /* @__PURE__ */ z.strictObject({ files, saveAs }) },
  'verify:extractRevision': {
    request: /* @__PURE__ */ z.strictObject({ file, revision: z.number().check(z.int(), z.positive()), saveAs }),
  },
  'queue:run': { request: empty },
  'queue:state': { request: empty },
  'queue:list': { request: empty },
  'stamp:qualifiedPlan': { request: /* @__PURE__ */ z.strictObject({ tsa: z.optional(z.string()) }) },
  'tsa:add': {
    request: /* @__PURE__ */ z.strictObject({
      slug: z.string().check(z.minLength(1), z.maxLength(64)),
      url: z.string().check(z.minLength(1), z.maxLength(2048)),
      name: z.optional(z.string()),
      /** As `sealdesk tsa add --hash` and `--qualified`: the digest it prefers, marked a qualified (eIDAS) service. */
      hash: z.optional(z.enum(['sha256', 'sha384', 'sha512'])),
      qualified: z.optional(z.boolean()),
    }),
  },
  'tsa:move': {
    request: /* @__PURE__ */ z.strictObject({ slug: z.string(), by: z.union([z.literal(-1), z.literal(1)]) }),
  },
  'tsa:test': { request: /* @__PURE__ */ z.strictObject({ slug: z.string() }) },
  /** `sealdesk tsa remove <slug>`. */
  'tsa:remove': { request: /* @__PURE__ */ z.strictObject({ slug: z.string() }) },
  'tsa:failures': { request: empty },
  'certs:provision': {
    request: /* @__PURE__ */ z.strictObject({
      commonName: z.string().check(z.minLength(1), z.maxLength(64)),
      organization: z.string().check(z.minLength(1), z.maxLength(64)),
      countryCode: z.string().check(z.regex(/^[A-Z]{2}$/)),
      /** As `sealdesk cert provision --ou`, `--locality`, `--state`. */
      organizationalUnit: z.optional(z.string().check(z.maxLength(64))),
      locality: z.optional(z.string().check(z.maxLength(128))),
      state: z.optional(z.string().check(z.maxLength(128))),
      key: z.optional(z.enum(['ec-p256', 'ec-p384', 'rsa-3072', 'rsa-4096'])),
      label: z.optional(z.string()),
      saveAs,
    }),
  },
  'certs:activate': { request: /* @__PURE__ */ z.strictObject({ id: z.string(), file }) },
  'certs:revoke': { request: /* @__PURE__ */ z.strictObject({ id: z.string() }) },
  /** `sealdesk cert import --p12 <file>`: the password opens it once here and is not stored (sealing asks again). */
  'certs:importP12': {
    request: /* @__PURE__ */ z.strictObject({ file, password: z.string().check(z.maxLength(1024)) }),
  },
  'history:record': { request: /* @__PURE__ */ z.strictObject({ kind: z.enum(['stamp', 'seal']), id: z.string() }) },
  /** `sealdesk lookup <file>`: a chosen file (a handle), hashed in the worker host. */
  'history:lookup': { request: /* @__PURE__ */ z.strictObject({ file }) },
  'inspect:export': {
    request: /* @__PURE__ */ z.strictObject({ file, what: z.enum(['token', 'tsa-certificate']), saveAs }),
  },
  'defaultSeal:state': { request: empty },
  'defaultSeal:protect': {
    request: /* @__PURE__ */ z.strictObject({ passphrase: z.string().check(z.minLength(8), z.maxLength(1024)) }),
  },
  'pdf:page': { request: /* @__PURE__ */ z.strictObject({ file, page: z.number().check(z.int(), z.positive()) }) },
  'pdf:bytes': {
    request: /* @__PURE__ */ z.strictObject({
      file,
      offset: z.number().check(z.int(), z.gte(0)),
      length: z.number().check(z.int(), z.positive(), z.lte(PDF_BYTES_MAX)),
      /** The file read as if it ended here: a signed revision (its ByteRange end), for "Compare signed version". */
      end: z.optional(z.number().check(z.int(), z.positive())),
    }),
  },
  /** `module`: a Pkcs11Module id from tokens:modules (main turns it into the library's path). */
  'tokens:modules': { request: empty },
  'tokens:addModule': { request: empty },
  'tokens:list': {
    request: /* @__PURE__ */ z.strictObject({ module: z.string().check(z.minLength(1), z.maxLength(64)) }),
  },
  'tokens:use': {
    request: /* @__PURE__ */ z.strictObject({
      module: z.string().check(z.minLength(1), z.maxLength(64)),
      token: z.string(),
      idHex: z.string().check(z.regex(/^[0-9a-f]*$/)),
    }),
  },
  'restamp:due': {
    request: /* @__PURE__ */ z.strictObject({
      withinDays: z.number().check(z.int(), z.gte(1), z.lte(3650)),
      includeWeak: z.optional(z.boolean()),
      tsa: z.optional(z.string()),
    }),
  },
  /** The chosen chains as a new journaled run, `window`: every one due in it (as `sealdesk restamp --expiring-within`),
   * or `resume`: the unfinished run of that id. */
  'jobs:restamp': {
    request: /* @__PURE__ */ z.union([
      z.strictObject({
        ids: z.array(z.string().check(z.minLength(1), z.maxLength(200))).check(z.minLength(1), z.maxLength(10_000)),
        tsa: z.optional(z.string()),
        /** The window they were chosen in, kept in the journal with the run. */ withinDays: z.optional(
          z.number().check(z.int(), z.gte(1), z.lte(3650)),
        ),
        includeWeak: z.optional(z.boolean()),
        /** Via the sync account's server, one chain after another (`restamp --remote`; stamp chains only). */
        remote: z.optional(z.boolean()),
        ...bulkRestampOptions,
      }),
      z.strictObject({
        window: z.literal(true),
        withinDays: z.number().check(z.int(), z.gte(1), z.lte(3650)),
        includeWeak: z.optional(z.boolean()),
        tsa: z.optional(z.string()),
        ...bulkRestampOptions,
      }),
      z.strictObject({ resume: z.string().check(z.minLength(1)), ...bulkRestampOptions }),
    ]),
  },
  'jobs:pause': { request: /* @__PURE__ */ z.strictObject({ id: z.string() }) },
  'jobs:resume': { request: /* @__PURE__ */ z.strictObject({ id: z.string() }) },
  /** `online`: each TSA certificate's OCSP/CRL asked first (`sealdesk chain --online [--allow-private-network]`). */
  'history:chain': {
    request: /* @__PURE__ */ z.strictObject({
      id: z.string().check(z.minLength(1)),
      online: z.optional(z.boolean()),
      allowPrivateNetwork: z.optional(z.boolean()),
    }),
  },
  /** `sealdesk import`: tokens, signed PDFs and .p7s made elsewhere (or folders holding them) join the ledger. */
  'import:files': { request: /* @__PURE__ */ z.strictObject({ files }) },
  /** `sealdesk restamp <id>`: one record, whether due or not (a new link from another TSA broadens a chain's trust). */
  'restamp:one': {
    request: /* @__PURE__ */ z.strictObject({
      id: z.string().check(z.minLength(1), z.maxLength(200)),
      tsa: z.optional(z.string()),
      allowMissingValidationData: z.optional(z.boolean()),
      allowPrivateNetwork: z.optional(z.boolean()),
      /** Via the sync account's server (`restamp --remote`; a stamp chain the server knows). */
      remote: z.optional(z.boolean()),
    }),
  },
  /** Sign in by password (used for this call only, never stored) or API key; the keychain keeps what it yields. */
  'account:login': {
    request: /* @__PURE__ */ z.union([
      z.strictObject({ serverUrl, email: z.string().check(z.minLength(3), z.maxLength(320)), password: secret }),
      z.strictObject({ serverUrl, apiKey: secret }),
    ]),
  },
  'account:status': { request: empty },
  /** Forgets the credential; queued work stays queued for the next sign-in. */
  'account:logout': { request: empty },
  /** The server's seal certificates (GET /seal/certificates), for the Seal view's "via server". */
  'account:certificates': { request: empty },
  'sync:now': { request: empty },
  'sync:status': { request: empty },
  /** `sealdesk label <record-id> <text>`: '' clears it; the outbox pushes the change. */
  'label:set': {
    request: /* @__PURE__ */ z.strictObject({
      kind: z.enum(['stamp', 'seal']),
      id: z.string().check(z.minLength(1), z.maxLength(200)),
      label: z.string().check(z.maxLength(255)),
    }),
  },
} as const satisfies Record<Channel, { request: z.ZodMiniType }>;

/** What each channel returns. */
export type Responses = {
  'app:info': AppInfo;
  'ledger:summary': LedgerSummary;
  'stamp:files': readonly StampItem[];
  'seal:files': readonly SealItem[];
  'certs:list': readonly CertificateItem[];
  'verify:files': readonly VerifyItem[];
  'inspect:token': InspectedToken;
  'history:list': { readonly total: number; readonly items: readonly HistoryItem[] };
  'tsa:list': readonly TsaItem[];
  'tsa:setEnabled': readonly TsaItem[];
  'trust:list': readonly TrustItem[];
  'trust:add': readonly TrustItem[];
  'trust:remove': readonly TrustItem[];
  'history:lookup': LookupResult;
  'jobs:stamp': { readonly id: string };
  'jobs:seal': { readonly id: string };
  'jobs:verify': { readonly id: string };
  'jobs:status': JobStatus;
  'jobs:cancel': JobStatus;
  'jobs:list': readonly JobStatus[];
  'app:opened': OpenedFiles;
  'desktop:chooseFiles': readonly FileRef[];
  'files:recent': readonly FileRef[];
  'tokens:modules': readonly Pkcs11Module[];
  'tokens:addModule': readonly Pkcs11Module[];
  'desktop:showInFolder': { readonly shown: boolean };
  'verify:report': { readonly path: string };
  'verify:extractRevision': { readonly path: string; readonly bytes: number };
  'queue:run': QueueState;
  'queue:state': QueueState;
  'queue:list': readonly QueuedItem[];
  'stamp:qualifiedPlan': QualifiedPlan;
  'tsa:remove': readonly TsaItem[];
  'tsa:add': readonly TsaItem[];
  'tsa:test': TsaTest;
  'tsa:failures': readonly TsaFailureItem[];
  'tokens:list': readonly TokenItem[];
  'tokens:use': CertificateItem;
  'certs:provision': { readonly certificate: CertificateItem; readonly csrPath: string };
  'certs:activate': CertificateItem;
  'certs:revoke': CertificateItem;
  'certs:importP12': CertificateItem;
  'pdf:page': PagePreview;
  'pdf:bytes': PdfBytes;
  'history:record': RecordDetails;
  'defaultSeal:state': DefaultSealState;
  'defaultSeal:protect': DefaultSealState;
  'inspect:export': { readonly path: string };
  'tsa:move': readonly TsaItem[];
  'restamp:due': RestampDue;
  'jobs:restamp': { readonly id: string };
  'jobs:pause': JobStatus;
  'jobs:resume': JobStatus;
  /** null: a seal not written yet (queued), so without a chain. */
  'history:chain': ChainView | null;
  'import:files': readonly ImportItem[];
  'restamp:one': RestampOneItem;
  'account:login': AccountState;
  'account:status': AccountState;
  'account:logout': AccountState;
  'account:certificates': readonly ServerCertificate[];
  'sync:now': SyncRunView;
  'sync:status': SyncStatus;
  'label:set': { readonly kind: 'stamp' | 'seal'; readonly id: string; readonly label: string | null };
};

/** A request as the renderer sends it: handles, module ids, suggested output names. */
export type WireRequestOf<C extends Channel> = z.infer<(typeof CONTRACT)[C]['request']>;
/** Where main's save dialog puts its answer, for the channels that write a file the user chooses. */
export type OutputField = {
  'verify:report': 'out';
  'verify:extractRevision': 'out';
  'inspect:export': 'out';
  'certs:provision': 'csrOut';
};
type Resolved<T> = T extends object
  ? { [K in keyof T as K extends 'files' | 'file' | 'saveAs' ? never : K]: T[K] } & (T extends { files: unknown }
      ? { paths: string[] }
      : unknown) &
      (T extends { file: unknown } ? { path: string } : unknown)
  : T;
/** A request as the services receive it once main/dispatch.ts resolved it: paths, the module's path, the chosen output. */
export type RequestOf<C extends Channel> = Resolved<WireRequestOf<C>> &
  (C extends keyof OutputField ? { [K in OutputField[C]]: string } : unknown) &
  /** trust:add: the SHA-256 of each certificate the user confirmed (the service adds exactly those, or nothing). */
  (C extends 'trust:add' ? { sha256?: readonly string[] } : unknown);

/** window.api: one method per channel, `domain:verb` → `domainVerb`. */
export type SealdeskApi = {
  readonly [C in Channel as MethodName<C>]: (request: WireRequestOf<C>) => Promise<Result<Responses[C]>>;
} & {
  /** Pushed progress of every job (`job:progress`; results come from `jobs:status` at the end). Returns the unsubscribe. */
  readonly onJobProgress: (listener: (status: JobStatus) => void) => () => void;
  /** Every pushed event (no polling): a new listener first gets the latest state of each kind. Returns the unsubscribe. */
  readonly onEvent: (listener: (event: SealdeskEvent) => void) => () => void;
};

/** The job event's name (the loopback host's server-sent events use it too). */
export const JOB_PROGRESS = 'job:progress';
/** The preload's own channel, not in window.api: the paths of dropped Files (webUtils.getPathForFile) → FileRefs. */
export const DROP_CHANNEL = 'files:drop';
/** The most files one drop hands over. */
export const DROP_MAX = 10_000;
/** What main answers a drop: handles for the existing files and folders, and why others were refused. */
/** `index`: the refused item's place in the drop (a File not on disk has no path, so no name main could give). */
export type DroppedFiles = {
  readonly files: readonly FileRef[];
  readonly refused: readonly { readonly index: number; readonly name: string; readonly message: string }[];
};
/** The IPC message that hands the window its MessagePort of events (main → preload, once per page load). */
export const EVENTS_PORT = 'sealdesk:events';

/** Online: a short request to each enabled TSA (null: not checked yet); repeated every few minutes and after stamps. */
export type OnlineState = {
  readonly online: boolean | null;
  readonly checkedAt: string | null;
  readonly tsas: readonly {
    readonly slug: string;
    readonly name: string;
    readonly reachable: boolean;
    readonly message: string | null;
  }[];
};
/** What the worker host (and main) push: progress and state, never polled. `opened`: files wait in `app:opened`. */
export type SealdeskEvent =
  | { readonly kind: 'job'; readonly status: JobStatus }
  | { readonly kind: 'jobs'; readonly running: readonly JobStatus[] }
  | { readonly kind: 'queue'; readonly state: QueueState }
  | { readonly kind: 'ledger'; readonly summary: LedgerSummary }
  | { readonly kind: 'online'; readonly state: OnlineState }
  | { readonly kind: 'sync'; readonly status: SyncStatus }
  | { readonly kind: 'opened' };
/** The kinds that are state (a newcomer gets the latest of each), as opposed to happenings. */
export const STATE_EVENTS: readonly SealdeskEvent['kind'][] = ['jobs', 'queue', 'ledger', 'online', 'sync'];

type MethodName<C extends string> = C extends `${infer D}:${infer V}` ? `${D}${Capitalize<V>}` : never;

export function methodName(channel: Channel): string {
  const [domain, verb] = channel.split(':') as [string, string];
  return domain + verb.charAt(0).toUpperCase() + verb.slice(1);
}
