// The one IPC contract between the renderer and main: channel → request schema and result type.
// Plain data only (structured-clone safe). The renderer imports only types from here.
import { z } from 'zod/mini';

export type ApiError = { readonly code: string; readonly message: string; readonly details?: unknown };
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

export type AppInfo = { readonly name: string; readonly version: string; readonly dataDir: string; readonly platform: string };
export type LedgerSummary = { readonly stamped: number; readonly pending: number };

export type ItemError = { readonly code: string; readonly message: string };
export type StampItem = { readonly file: string; readonly error?: ItemError; readonly tsrPath?: string | null; readonly tsaName?: string | null; readonly genTime?: string | null; readonly serial?: string | null; readonly queued?: boolean; readonly existing?: boolean };
export type SealItem = { readonly file: string; readonly error?: ItemError; readonly outputPath?: string; readonly format?: 'pades' | 'cades'; readonly level?: string | null; readonly timestampedBy?: string | null; readonly queued?: boolean; readonly warnings?: readonly string[] };
export type CertificateItem = { readonly id: string; readonly label: string; readonly kind: string; readonly subject: string | null; readonly status: string; readonly notAfter: string | null };
/** One verified document: the CLI's --json shape (PAdES report, or CAdES / token for a file with its .p7s / .tsr). */
export type VerifyItem = { readonly file: string; readonly error?: ItemError; readonly kind?: 'pdf' | 'p7s' | 'tsr'; readonly report?: unknown };
export type TsaItem = { readonly slug: string; readonly name: string; readonly url: string | null; readonly enabled: boolean; readonly qualified: boolean };
/** One page for placing a visible seal: size in points and the boxes of what it draws (x0, y0, x1, y1). */
export type PagePreview = { readonly pages: number; readonly width: number; readonly height: number; readonly origin: readonly [number, number]; readonly boxes: readonly (readonly number[])[]; readonly complete: boolean };
/** Bytes of a PDF for the renderer's page drawing, a range at a time (only what pdf.js asks for); size: the whole
 * file's (or the request's `end`, when that is shorter). */
export type PdfBytes = { readonly size: number; readonly bytes: Uint8Array };
/** The most one `pdf:bytes` request reads. */
export const PDF_BYTES_MAX = 4 * 1024 * 1024;
export type RecordDetails = { readonly fields: readonly (readonly [string, string])[]; readonly files: readonly { readonly step: number; readonly level: string | null; readonly path: string; readonly sha256: string; readonly at: string }[] };
export type DefaultSealState = { readonly exists: boolean; readonly protected: boolean; readonly keychain: boolean };
export type TokenItem = { readonly label: string; readonly manufacturer: string; readonly model: string; readonly certificates: readonly { readonly label: string; readonly idHex: string; readonly subject: string; readonly notAfter: string }[] };
export type TsaTest = { readonly ok: boolean; readonly latencyMs: number; readonly message: string };
export type TsaFailureItem = { readonly at: string; readonly tsa: string; readonly errorClass: string; readonly message: string };
export type TrustItem = { readonly id: string; readonly subject: string; readonly notAfter: string };
/** The offline queue: what waits, when it last ran, whether that run reached a TSA (null: not known yet). */
export type QueueState = { readonly pending: number; readonly lastRun: string | null; readonly online: boolean | null; readonly running: boolean };
export type OpenedFiles = readonly { readonly path: string; readonly view: 'Verify' | 'Inspect' }[];
export type JobStatus = { readonly id: string; readonly kind: 'stamp' | 'seal' | 'verify' | 'restamp'; readonly state: 'running' | 'done' | 'cancelled' | 'failed'; readonly done: number; readonly total: number; readonly results: readonly (StampItem | SealItem | VerifyItem | RestampItem)[]; /** Restamp jobs: chains failed so far, chains under way, paused (still running; no new chain starts). */ readonly failed?: number; readonly active?: number; readonly paused?: boolean; readonly error?: ItemError; /** Stamp jobs: bytes hashed so far, of all files. */ readonly bytes?: { readonly done: number; readonly total: number } };
/** Restamp view: a chain due (its newest link), what the window holds, and a journaled run that did not finish. */
/** kind 'stamp': a chain's newest link; 'pdf' / 'p7s': a sealed file, restamped in place (id = its seal operation). */
export type DueChain = { readonly id: string; readonly kind: 'stamp' | 'pdf' | 'p7s'; readonly file: string | null; readonly tsaName: string | null; readonly tsaCertNotAfter: string | null; readonly hashAlgorithm: string | null; readonly genTime: string | null };
export type RestampRun = { readonly id: string; readonly createdAt: string; readonly total: number; readonly done: number; readonly failed: number };
export type RestampDue = { readonly before: string; readonly total: number; readonly chains: readonly DueChain[]; readonly byMonth: Readonly<Record<string, number>>; readonly byTsa: Readonly<Record<string, number>>; readonly unfinished: RestampRun | null };
/** One chain of a restamp job: its new link, or why it failed (the journal keeps the message). */
/** For a sealed file, stampId and newId are its seal operation's id (the file itself got the new time-stamp). */
export type RestampItem = { readonly file: string; readonly stampId: string; readonly newId: string | null; readonly kind?: 'stamp' | 'pdf' | 'p7s'; readonly error?: ItemError; /** A sealed file restamped without this validation data (allowMissingValidationData). */ readonly missingValidationData?: readonly string[] };
/** A record's archive chain (a stamp's links, or a sealed file's time-stamps); protectedUntil is when the next restamp is due.
 * intact: every token sound, covering what it must, made in time (else `problems`); trusted: every TSA certificate
 * chains to an anchor of the trust store (else `trustProblems`). A chain can be intact and not trusted. */
export type ChainLinkItem = { readonly n: number; readonly id: string | null; readonly kind: 'stamp' | 'signature-timestamp' | 'document-timestamp' | 'archive-timestamp'; readonly genTime: string | null; readonly tsaName: string | null; readonly hashAlgorithm: string | null; readonly tsaCertNotAfter: string | null; readonly intact: boolean; readonly trusted: boolean; readonly problems: readonly string[]; readonly trustProblems: readonly string[] };
export type ChainView = { readonly id: string; readonly kind: 'stamp' | 'pdf' | 'p7s'; readonly links: readonly ChainLinkItem[]; readonly intact: boolean; readonly trusted: boolean; readonly protectedUntil: string | null };
export type HistoryItem = { readonly kind: 'stamp' | 'seal'; readonly id: string; readonly label: string | null; readonly file: string | null; readonly status: string; readonly createdAt: string; readonly detail: string };

/** Every channel, `domain:verb`. The preload needs only these names, so it never bundles zod. */
export const CHANNELS = ['app:info', 'ledger:summary', 'stamp:files', 'seal:files', 'certs:list', 'verify:files', 'inspect:token', 'history:list', 'tsa:list', 'tsa:setEnabled', 'trust:list', 'trust:add', 'jobs:stamp', 'jobs:status', 'jobs:cancel', 'jobs:list', 'app:opened', 'desktop:chooseFiles', 'desktop:showInFolder', 'verify:report', 'verify:extractRevision', 'queue:run', 'queue:state', 'tsa:add', 'tsa:test', 'tsa:failures', 'tokens:list', 'tokens:use', 'certs:provision', 'certs:activate', 'certs:revoke', 'pdf:page', 'pdf:bytes', 'history:record', 'defaultSeal:state', 'defaultSeal:protect', 'inspect:export', 'tsa:move', 'jobs:seal', 'jobs:verify', 'restamp:due', 'jobs:restamp', 'jobs:pause', 'jobs:resume', 'history:chain'] as const;
export type Channel = (typeof CHANNELS)[number];

const paths = /* @__PURE__ */ z.array(z.string().check(z.minLength(1), z.maxLength(4096))).check(z.minLength(1), z.maxLength(10_000));
const empty = /* @__PURE__ */ z.strictObject({});
const sealRequest = {
  paths, certificateId: /* @__PURE__ */ z.optional(z.string()), level: /* @__PURE__ */ z.optional(z.enum(['B-B', 'B-T', 'B-LT', 'B-LTA'])),
  reason: /* @__PURE__ */ z.optional(z.string()), location: /* @__PURE__ */ z.optional(z.string()), visible: /* @__PURE__ */ z.optional(z.string()), label: /* @__PURE__ */ z.optional(z.string()),
  /** A token's PIN or a key's password, for this request only: used once, never stored. */
  pin: /* @__PURE__ */ z.optional(z.string().check(z.maxLength(256))), password: /* @__PURE__ */ z.optional(z.string().check(z.maxLength(1024))),
};

/** Each channel's request schema, checked by main's handle(); `satisfies` keeps it in step with CHANNELS. */
export const CONTRACT = {
  'app:info': { request: empty },
  'ledger:summary': { request: empty },
  'stamp:files': { request: /* @__PURE__ */ z.strictObject({ paths, tsa: z.optional(z.string()), label: z.optional(z.string()) }) },
  'seal:files': { request: /* @__PURE__ */ z.strictObject({ ...sealRequest }) },
  'certs:list': { request: empty },
  'verify:files': { request: /* @__PURE__ */ z.strictObject({ paths }) },
  'inspect:token': { request: /* @__PURE__ */ z.strictObject({ path: z.string().check(z.minLength(1)) }) },
  'history:list': { request: /* @__PURE__ */ z.strictObject({ search: z.optional(z.string()), page: z.optional(z.number().check(z.int(), z.positive())) }) },
  'tsa:list': { request: empty },
  'tsa:setEnabled': { request: /* @__PURE__ */ z.strictObject({ slug: z.string(), enabled: z.boolean() }) },
  'trust:list': { request: empty },
  'trust:add': { request: /* @__PURE__ */ z.strictObject({ path: z.string().check(z.minLength(1)) }) },
  'jobs:stamp': { request: /* @__PURE__ */ z.strictObject({ paths, tsa: z.optional(z.string()), label: z.optional(z.string()) }) },
  'jobs:seal': { request: /* @__PURE__ */ z.strictObject({ ...sealRequest }) },
  'jobs:verify': { request: /* @__PURE__ */ z.strictObject({ paths }) },
  'jobs:status': { request: /* @__PURE__ */ z.strictObject({ id: z.string() }) },
  'jobs:cancel': { request: /* @__PURE__ */ z.strictObject({ id: z.string() }) },
  'jobs:list': { request: empty },
  'app:opened': { request: empty },
  'desktop:chooseFiles': { request: empty },
  'desktop:showInFolder': { request: /* @__PURE__ */ z.strictObject({ path: z.string().check(z.minLength(1)) }) },
  'verify:report': { request: /* @__PURE__ */ z.strictObject({ paths, out: z.string().check(z.minLength(1)) }) },
  'verify:extractRevision': { request: /* @__PURE__ */ z.strictObject({ path: z.string().check(z.minLength(1)), revision: z.number().check(z.int(), z.positive()), out: z.string().check(z.minLength(1)) }) },
  'queue:run': { request: empty },
  'queue:state': { request: empty },
  'tsa:add': { request: /* @__PURE__ */ z.strictObject({ slug: z.string().check(z.minLength(1), z.maxLength(64)), url: z.string().check(z.minLength(1), z.maxLength(2048)), name: z.optional(z.string()) }) },
  'tsa:move': { request: /* @__PURE__ */ z.strictObject({ slug: z.string(), by: z.union([z.literal(-1), z.literal(1)]) }) },
  'tsa:test': { request: /* @__PURE__ */ z.strictObject({ slug: z.string() }) },
  'tsa:failures': { request: empty },
  'certs:provision': {
    request: /* @__PURE__ */ z.strictObject({
      commonName: z.string().check(z.minLength(1), z.maxLength(64)), organization: z.string().check(z.minLength(1), z.maxLength(64)), countryCode: z.string().check(z.regex(/^[A-Z]{2}$/)),
      key: z.optional(z.enum(['ec-p256', 'ec-p384', 'rsa-3072', 'rsa-4096'])), label: z.optional(z.string()), csrOut: z.string().check(z.minLength(1)),
    }),
  },
  'certs:activate': { request: /* @__PURE__ */ z.strictObject({ id: z.string(), chainPath: z.string().check(z.minLength(1)) }) },
  'certs:revoke': { request: /* @__PURE__ */ z.strictObject({ id: z.string() }) },
  'history:record': { request: /* @__PURE__ */ z.strictObject({ kind: z.enum(['stamp', 'seal']), id: z.string() }) },
  'inspect:export': { request: /* @__PURE__ */ z.strictObject({ path: z.string().check(z.minLength(1)), what: z.enum(['token', 'tsa-certificate']), out: z.string().check(z.minLength(1)) }) },
  'defaultSeal:state': { request: empty },
  'defaultSeal:protect': { request: /* @__PURE__ */ z.strictObject({ passphrase: z.string().check(z.minLength(8), z.maxLength(1024)) }) },
  'pdf:page': { request: /* @__PURE__ */ z.strictObject({ path: z.string().check(z.minLength(1)), page: z.number().check(z.int(), z.positive()) }) },
  'pdf:bytes': {
    request: /* @__PURE__ */ z.strictObject({
      path: z.string().check(z.minLength(1)),
      offset: z.number().check(z.int(), z.gte(0)),
      length: z.number().check(z.int(), z.positive(), z.lte(PDF_BYTES_MAX)),
      /** The file read as if it ended here: a signed revision (its ByteRange end), for "Compare signed version". */
      end: z.optional(z.number().check(z.int(), z.positive())),
    }),
  },
  'tokens:list': { request: /* @__PURE__ */ z.strictObject({ module: z.string().check(z.minLength(1)) }) },
  'tokens:use': { request: /* @__PURE__ */ z.strictObject({ module: z.string().check(z.minLength(1)), token: z.string(), idHex: z.string().check(z.regex(/^[0-9a-f]*$/)) }) },
  'restamp:due': { request: /* @__PURE__ */ z.strictObject({ withinDays: z.number().check(z.int(), z.gte(1), z.lte(3650)), includeWeak: z.optional(z.boolean()) }) },
  /** The chosen chains as a new journaled run, or `resume`: the unfinished run of that id. */
  'jobs:restamp': {
    request: /* @__PURE__ */ z.union([
      z.strictObject({
        ids: z.array(z.string().check(z.minLength(1), z.maxLength(200))).check(z.minLength(1), z.maxLength(10_000)), tsa: z.optional(z.string()),
        /** The window they were chosen in, kept in the journal with the run. */ withinDays: z.optional(z.number().check(z.int(), z.gte(1), z.lte(3650))), includeWeak: z.optional(z.boolean()),
        /** Restamp sealed files whose validation data cannot all be had (default: refuse them, as EU DSS does). */ allowMissingValidationData: z.optional(z.boolean()),
      }),
      z.strictObject({ resume: z.string().check(z.minLength(1)), allowMissingValidationData: z.optional(z.boolean()) }),
    ]),
  },
  'jobs:pause': { request: /* @__PURE__ */ z.strictObject({ id: z.string() }) },
  'jobs:resume': { request: /* @__PURE__ */ z.strictObject({ id: z.string() }) },
  'history:chain': { request: /* @__PURE__ */ z.strictObject({ id: z.string().check(z.minLength(1)) }) },
} as const satisfies Record<Channel, { request: z.ZodMiniType }>;

/** What each channel returns. */
export type Responses = {
  'app:info': AppInfo;
  'ledger:summary': LedgerSummary;
  'stamp:files': readonly StampItem[];
  'seal:files': readonly SealItem[];
  'certs:list': readonly CertificateItem[];
  'verify:files': readonly VerifyItem[];
  'inspect:token': unknown;
  'history:list': { readonly total: number; readonly items: readonly HistoryItem[] };
  'tsa:list': readonly TsaItem[];
  'tsa:setEnabled': readonly TsaItem[];
  'trust:list': readonly TrustItem[];
  'trust:add': readonly TrustItem[];
  'jobs:stamp': { readonly id: string };
  'jobs:seal': { readonly id: string };
  'jobs:verify': { readonly id: string };
  'jobs:status': JobStatus;
  'jobs:cancel': JobStatus;
  'jobs:list': readonly JobStatus[];
  'app:opened': OpenedFiles;
  'desktop:chooseFiles': readonly string[];
  'desktop:showInFolder': { readonly shown: boolean };
  'verify:report': { readonly path: string };
  'verify:extractRevision': { readonly path: string; readonly bytes: number };
  'queue:run': QueueState;
  'queue:state': QueueState;
  'tsa:add': readonly TsaItem[];
  'tsa:test': TsaTest;
  'tsa:failures': readonly TsaFailureItem[];
  'tokens:list': readonly TokenItem[];
  'tokens:use': CertificateItem;
  'certs:provision': { readonly certificate: CertificateItem; readonly csrPath: string };
  'certs:activate': CertificateItem;
  'certs:revoke': CertificateItem;
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
};

export type RequestOf<C extends Channel> = z.infer<(typeof CONTRACT)[C]['request']>;

/** window.api: one method per channel, `domain:verb` → `domainVerb`. */
export type SealdeskApi = { readonly [C in Channel as MethodName<C>]: (request: RequestOf<C>) => Promise<Result<Responses[C]>> } & {
  /** Pushed progress of every job (`job:progress`; results come from `jobs:status` at the end). Returns the unsubscribe. */
  readonly onJobProgress: (listener: (status: JobStatus) => void) => () => void;
};

/** The one event main pushes to the renderer. */
export const JOB_PROGRESS = 'job:progress';

type MethodName<C extends string> = C extends `${infer D}:${infer V}` ? `${D}${Capitalize<V>}` : never;

export function methodName(channel: Channel): string {
  const [domain, verb] = channel.split(':') as [string, string];
  return domain + verb.charAt(0).toUpperCase() + verb.slice(1);
}
