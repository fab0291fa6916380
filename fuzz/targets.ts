// Issue 14's fuzz targets: the parsers hostile files reach (PDF reader + change analysis, CMS + signer checks, RFC 3161
// TimeStampResp/token decoder, X.690 TLV walks), and what counts as a finding: an exception the CLI would print as
// INTERNAL (cli/output.ts errorJson: anything but a CoreError), i.e. not a stable code. Shared by both engines and
// test/unit/fuzz-regressions.test.ts.
import { createHash } from 'node:crypto';
import { CoreError } from '../core/errors.js';
import {
  childrenOf,
  generalizedTime,
  octets,
  oidOf,
  readTlv,
  rootOf,
  smallInteger,
  TlvError,
  utcTime,
  type Tlv,
} from '../core/asn1/tlv.js';
import { checkCmsSignature } from '../core/cms/verify-signer.js';
import {
  BytesSource,
  changesAfter,
  docMdpPermission,
  PdfDocument,
  readDss,
  revisionEnds,
  signatureFields,
  SlicedSource,
} from '../core/pdf/index.js';
import { decodeTimeStamp } from '../core/tsp/decode.js';

export const TARGET_NAMES = ['pdf', 'cms', 'tsp', 'tlv'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export function isTargetName(s: string): s is TargetName {
  return (TARGET_NAMES as readonly string[]).includes(s);
}

/** A hang is an execution over this long (issue 14). */
export const HANG_MS = 2000;

/** PdfDocument.open (tolerant, as verification reads) + signatureFields + readDss + changesAfter between the last two revisions. */
function fuzzPdf(data: Uint8Array): void {
  const src = new BytesSource(data);
  const doc = PdfDocument.open(src, { tolerant: true });
  signatureFields(doc);
  readDss(doc);
  const ends = revisionEnds(src);
  const signedEnd = ends.at(-2);
  if (signedEnd === undefined) return;
  const signed = PdfDocument.open(new SlicedSource(src, signedEnd), { tolerant: true });
  changesAfter(signed, doc, { signedEnd, docMdp: docMdpPermission(signed) });
}

const FIXED_CONTENT = Buffer.from('sealdesk fuzz: the detached content');

/** The digest of a fixed content under whatever digest the SignerInfo names (an unknown name: a fixed 32 bytes). */
async function fixedDigest(nodeHash: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(createHash(nodeHash).update(FIXED_CONTENT).digest());
  } catch {
    return new Uint8Array(32);
  }
}

/** core/cms: the SignedData parse and the whole signer check (message digest, signer by sid, signature value). */
async function fuzzCms(data: Uint8Array): Promise<void> {
  // checkCmsSignature parses first (parseSignedData); the last byte's low bit picks the adbe.pkcs7.sha1 reading.
  await checkCmsSignature(data, fixedDigest, { encapsulatedDigest: ((data.at(-1) ?? 0) & 1) === 1 });
}

/** core/tsp: a TimeStampResp or a bare TimeStampToken (ContentInfo), as `.tsr`/`.tst` files and TSA replies arrive. */
function fuzzTsp(data: Uint8Array): void {
  decodeTimeStamp(data);
}

const MAX_WALK_NODES = 100_000;

/** core/asn1/tlv.ts: every value under the root (an explicit stack, no recursion of ours), each read as its tag says. */
function fuzzTlv(data: Uint8Array): void {
  const root = rootOf(data);
  const stack: Tlv[] = [root];
  let nodes = 0;
  while (stack.length > 0 && nodes++ < MAX_WALK_NODES) {
    const t = stack.pop()!;
    readAs(data, t);
    if ((t.tag & 0x20) !== 0) stack.push(...childrenOf(data, t));
  }
  // Readers used at arbitrary offsets (a field inside a value), not only at the root.
  if (data.length > 2) readTlv(data, data[0]! % data.length);
}

function readAs(data: Uint8Array, t: Tlv): void {
  switch (t.tag & 0xdf) {
    case 0x02:
      return void smallIntegerOrRange(data, t);
    case 0x04:
      return void octets(data, t);
    case 0x06:
      return void oidOf(data, t);
    case 0x17:
      return void utcTime(data, t);
    case 0x18:
      return void generalizedTime(data, t);
  }
}

function smallIntegerOrRange(data: Uint8Array, t: Tlv): number | null {
  try {
    return smallInteger(data, t);
  } catch (err) {
    if (err instanceof TlvError) return null; // a large INTEGER is normal; smallInteger refusing it is its contract
    throw err;
  }
}

export type Target = {
  readonly name: TargetName;
  readonly run: (data: Uint8Array) => void | Promise<void>;
  /** Whether the target's code is synchronous (Jazzer runs those in --sync mode, much faster). */
  readonly sync: boolean;
};

export const TARGETS: Readonly<Record<TargetName, Target>> = {
  pdf: { name: 'pdf', run: fuzzPdf, sync: true },
  cms: { name: 'cms', run: fuzzCms, sync: false },
  tsp: { name: 'tsp', run: fuzzTsp, sync: true },
  tlv: { name: 'tlv', run: fuzzTlv, sync: true },
};

/** A failure with a stable code: a CoreError whose code is not INTERNAL; for the TLV walker also its own TlvError. */
export function isStableFailure(target: TargetName, err: unknown): boolean {
  if (err instanceof CoreError) return (err.code as string) !== 'INTERNAL';
  return target === 'tlv' && err instanceof TlvError;
}

export type Finding = {
  readonly kind: 'exception' | 'hang';
  /** What identifies the bug across inputs: error class, message with numbers blanked, first named stack frame. */
  readonly signature: string;
  readonly message: string;
  readonly stack: string;
};

export function findingOf(target: TargetName, err: unknown): Finding | null {
  if (isStableFailure(target, err)) return null;
  const e = err instanceof Error ? err : new Error(`non-Error thrown: ${String(err)}`);
  const name = e instanceof CoreError ? `${e.name}(${e.code})` : e.constructor?.name || e.name;
  const frames = stackFrames(e.stack ?? '');
  const ours = frames.find((f) => f.ours);
  const where = ours ? `${ours.fn} (${ours.file})` : (frames[0]?.fn ?? '?');
  // A built-in (new Uint32Array, DataView.getUint16) throws for its caller: the first frame with a source file.
  const thrower = frames.find((f) => !f.builtin);
  // Thrown inside a dependency (asn1js, pkijs...): one bug per place in our code that let it out, whatever its message.
  const signature =
    thrower && !thrower.ours && thrower.pkg
      ? `${name} from ${thrower.pkg} @ ${where}`
      : `${name}: ${e.message
          .replace(/\d+/g, 'N')
          .replace(/"[^"]*"/g, '"…"')
          .slice(0, 120)} @ ${where}`;
  return { kind: 'exception', signature, message: `${name}: ${e.message.slice(0, 300)}`, stack: e.stack ?? '' };
}

type Frame = {
  readonly fn: string;
  readonly file: string;
  readonly ours: boolean;
  readonly pkg: string | null;
  readonly builtin: boolean;
};

/** Stack frames with their source files (the engines bundle with source maps, so these are core/... paths). */
function stackFrames(stack: string): Frame[] {
  const out: Frame[] = [];
  for (const line of stack.split('\n').slice(1)) {
    const m = /^\s*at (?:async )?(?:new )?(?:([^\s(]+) \()?(.*?)(?::\d+:\d+)?\)?$/.exec(line);
    if (!m) continue;
    const path = m[2]!.replace(/\\/g, '/');
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? null;
    const at = path.lastIndexOf('/core/');
    const ours = pkg === null && at >= 0;
    const builtin = path === '' || path === '<anonymous>' || path.startsWith('node:');
    out.push({ fn: m[1] ?? '<anonymous>', file: ours ? path.slice(at + 1) : path, ours, pkg, builtin });
  }
  return out;
}

/** Runs one input through `target`: null when it passed or failed with a stable code, else the exception finding. */
export async function runInput(target: TargetName, data: Uint8Array): Promise<Finding | null> {
  try {
    await TARGETS[target].run(data);
  } catch (err) {
    return findingOf(target, err);
  }
  return null;
}

/** The finding for an execution that took `ms` (engines measure it; tests do not time anything). */
export function hangOf(ms: number): Finding | null {
  return ms > HANG_MS
    ? { kind: 'hang', signature: `hang > ${HANG_MS} ms`, message: `took ${Math.round(ms)} ms`, stack: '' }
    : null;
}

/** The synchronous run of a sync target, for the hot loop (no promise per input). */
export function runInputSync(target: TargetName, data: Uint8Array): Finding | null {
  try {
    const r = TARGETS[target].run(data);
    if (r instanceof Promise) throw new TypeError(`target ${target} is asynchronous`);
  } catch (err) {
    return findingOf(target, err);
  }
  return null;
}
