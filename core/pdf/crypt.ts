// ISO 32000-2 §7.6.3–7.6.5: the Standard security handler, for reading files whose user password is empty only.
//
// Why this exists: many government and bank PDFs are "encrypted" with an empty user password just to carry permission
// bits; pdfsig and EU DSS verify their signatures, so a verifier must read them. Only the empty user password is tried
// (a file that needs a real password is refused with PDF_ENCRYPTED naming its handler and revision), and nothing here
// encrypts: sealing an encrypted file stays refused, since its incremental update would have to be written encrypted.
// RC4 is written out below because this OpenSSL 3 build keeps RC4 in the legacy provider (node:crypto has no 'rc4');
// MD5, SHA-2 and AES come from node:crypto.
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { CoreError } from '../errors.js';
import { PdfDict, PdfName, PdfStream, PdfString, isName, type PdfObject } from './objects.js';

/** Algorithm 2's padding string (§7.6.4.3.2). */
const PAD = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');

type Method = 'none' | 'rc4' | 'aes128' | 'aes256';

export type PdfCrypt = {
  /** E.g. "Standard security handler V4 R4, strings AES-128, streams AES-128". */
  readonly description: string;
  readonly encryptMetadata: boolean;
  decryptString(bytes: Uint8Array, num: number, gen: number): Uint8Array;
  /** A stream's raw data; `dict` decides on Identity crypt filters, XRef streams and unencrypted metadata. */
  decryptStream(bytes: Uint8Array, num: number, gen: number, dict: PdfDict): Uint8Array;
};

function refused(what: string): CoreError {
  return new CoreError(
    'PDF_ENCRYPTED',
    `the PDF is encrypted (${what}): Sealdesk verifies encrypted PDFs only when they open without a password, and never seals them ` +
      '(remove the password in the application that made it, then use that copy)',
  );
}

/**
 * The file key for the empty user password, checked against /U; throws PDF_ENCRYPTED for any other handler, a
 * revision it does not know, or a file that needs a password. `id0` is the first string of the trailer's /ID.
 */
export function openStandardSecurity(encrypt: PdfDict, id0: Uint8Array): PdfCrypt {
  const filter = encrypt.get('Filter');
  const filterName = filter instanceof PdfName ? filter.name : 'unnamed';
  if (filterName !== 'Standard')
    throw refused(`security handler /${filterName}, which needs a certificate or a plug-in`);
  const v = intOf(encrypt, 'V', 0);
  const r = intOf(encrypt, 'R', 0);
  const label = `Standard security handler V${v} R${r}`;
  const o = bytesOf(encrypt, 'O');
  const u = bytesOf(encrypt, 'U');
  const p = intOf(encrypt, 'P', 0);
  const encryptMetadata = encrypt.get('EncryptMetadata') !== false;
  if (!o || !u) throw refused(`${label} without /O or /U`);
  let key: Buffer;
  let strings: Method;
  let streams: Method;
  if (r >= 2 && r <= 4 && v >= 1 && v <= 4) {
    const bits = v === 1 ? 40 : keyBits(encrypt, v);
    if (bits % 8 !== 0 || bits < 40 || bits > 128) throw refused(`${label} with a ${bits}-bit key`);
    key = legacyKey(r, bits / 8, o, p, id0, encryptMetadata);
    if (!legacyUserOk(r, key, u, id0)) throw refused(`${label}: opening it needs a user password`);
    strings = streams = 'rc4';
    if (v === 4) {
      strings = cryptFilter(encrypt, 'StrF', label);
      streams = cryptFilter(encrypt, 'StmF', label);
    }
  } else if ((r === 5 || r === 6) && v === 5) {
    const ue = bytesOf(encrypt, 'UE');
    if (u.length < 48 || !ue || ue.length < 32) throw refused(`${label} with a malformed /U or /UE`);
    const hash = (salt: Uint8Array) => (r === 5 ? createHash('sha256').update(salt).digest() : hash2B(salt));
    if (!hash(u.subarray(32, 40)).equals(u.subarray(0, 32)))
      throw refused(`${label} (AES-256): opening it needs a user password`);
    const d = createDecipheriv('aes-256-cbc', hash(u.subarray(40, 48)), Buffer.alloc(16));
    d.setAutoPadding(false);
    key = Buffer.concat([d.update(ue.subarray(0, 32)), d.final()]);
    strings = cryptFilter(encrypt, 'StrF', label);
    streams = cryptFilter(encrypt, 'StmF', label);
  } else throw refused(`${label}, which Sealdesk does not know`);
  const objectKey = (method: Method, num: number, gen: number): Buffer => {
    if (method === 'aes256') return key;
    // Algorithm 1: the file key, the object number and generation (low bytes first), "sAlT" for AES.
    const id = Buffer.from([num & 0xff, (num >> 8) & 0xff, (num >> 16) & 0xff, gen & 0xff, (gen >> 8) & 0xff]);
    const h = createHash('md5').update(key).update(id);
    if (method === 'aes128') h.update('sAlT');
    return h.digest().subarray(0, Math.min(key.length + 5, 16));
  };
  const run = (method: Method, bytes: Uint8Array, num: number, gen: number): Uint8Array => {
    if (method === 'none') return bytes;
    const k = objectKey(method, num, gen);
    return method === 'rc4' ? rc4(k, bytes) : aesDecrypt(k, bytes);
  };
  return {
    description: `${label}, strings ${describe(strings)}, streams ${describe(streams)}`,
    encryptMetadata,
    decryptString: (bytes, num, gen) => run(strings, bytes, num, gen),
    decryptStream: (bytes, num, gen, dict) => {
      if (isName(dict.get('Type'), 'XRef')) return bytes;
      if (!encryptMetadata && isName(dict.get('Type'), 'Metadata')) return bytes;
      return run(identityFilter(dict) ? 'none' : streams, bytes, num, gen);
    },
  };
}

/**
 * The object as this handler's reader sees it: strings decrypted and streams marked for decryption (`onStream`),
 * except a signature dictionary's /Contents, which is never encrypted (§7.6.2).
 */
export function decryptObject(
  crypt: PdfCrypt,
  o: PdfObject,
  num: number,
  gen: number,
  onStream: (s: PdfStream) => void,
): PdfObject {
  const walk = (x: PdfObject, depth: number): PdfObject => {
    if (depth > 256) return x; // the lexer caps nesting well below this
    if (x instanceof PdfString) return new PdfString(crypt.decryptString(x.bytes, num, gen), x.hex);
    if (Array.isArray(x)) return x.map((y) => walk(y, depth + 1));
    if (x instanceof PdfDict) {
      const sig = isSignatureDict(x);
      const map = new Map<string, PdfObject>();
      for (const [k, v] of x.map) map.set(k, sig && k === 'Contents' ? v : walk(v, depth + 1));
      return new PdfDict(map);
    }
    if (x instanceof PdfStream) {
      const s = new PdfStream(walk(x.dict, depth + 1) as PdfDict, x.dataOffset);
      onStream(s);
      return s;
    }
    return x;
  };
  return walk(o, 0);
}

/** A signature or document time-stamp dictionary: by /Type, or (untyped, as many writers leave it) by /ByteRange. */
function isSignatureDict(d: PdfDict): boolean {
  const type = d.get('Type');
  if (isName(type, 'Sig') || isName(type, 'DocTimeStamp')) return true;
  return d.get('ByteRange') !== undefined && d.get('Contents') instanceof PdfString;
}

function describe(m: Method): string {
  return m === 'none' ? 'not encrypted' : m === 'rc4' ? 'RC4' : m === 'aes128' ? 'AES-128' : 'AES-256';
}

function intOf(d: PdfDict, key: string, dflt: number): number {
  const x = d.get(key);
  return typeof x === 'number' && Number.isInteger(x) ? x : dflt;
}

function bytesOf(d: PdfDict, key: string): Buffer | null {
  const x = d.get(key);
  return x instanceof PdfString ? Buffer.from(x.bytes) : null;
}

function keyBits(encrypt: PdfDict, v: number): number {
  const len = encrypt.get('Length');
  if (typeof len === 'number') return len;
  return v === 4 ? 128 : 40;
}

/** V4/V5 crypt filters (§7.6.6): /Identity, or a /CF entry whose /CFM says how. */
function cryptFilter(encrypt: PdfDict, which: 'StrF' | 'StmF', label: string): Method {
  const name = encrypt.get(which);
  if (name === undefined || isName(name, 'Identity')) return 'none';
  if (!(name instanceof PdfName)) throw refused(`${label} with a malformed /${which}`);
  const cf = encrypt.get('CF');
  const filter = cf instanceof PdfDict ? cf.get(name.name) : undefined;
  const cfm = filter instanceof PdfDict ? filter.get('CFM') : undefined;
  if (isName(cfm, 'V2')) return 'rc4';
  if (isName(cfm, 'AESV2')) return 'aes128';
  if (isName(cfm, 'AESV3')) return 'aes256';
  if (cfm === undefined || isName(cfm, 'None')) return 'none';
  const how = cfm instanceof PdfName ? `/${cfm.name}` : 'no /CFM';
  throw refused(`${label} with crypt filter /${name.name} (${how}), which Sealdesk does not know`);
}

/** A stream whose own /Filter chain starts with /Crypt naming /Identity (or no name: Identity by default). */
function identityFilter(dict: PdfDict): boolean {
  const f = dict.get('Filter');
  const filters = Array.isArray(f) ? f : f === undefined ? [] : [f];
  const i = filters.findIndex((x) => isName(x, 'Crypt'));
  if (i < 0) return false;
  const parms = dict.get('DecodeParms');
  const p = Array.isArray(parms) ? parms[i] : parms;
  const n = p instanceof PdfDict ? p.get('Name') : undefined;
  return n === undefined || isName(n, 'Identity');
}

/** Algorithm 2 with the empty password. */
function legacyKey(r: number, n: number, o: Buffer, p: number, id0: Uint8Array, encryptMetadata: boolean): Buffer {
  const pLe = Buffer.alloc(4);
  pLe.writeInt32LE(p | 0);
  const h = createHash('md5').update(PAD).update(o.subarray(0, 32)).update(pLe).update(id0);
  if (r >= 4 && !encryptMetadata) h.update(Buffer.from([0xff, 0xff, 0xff, 0xff]));
  let key = h.digest();
  if (r >= 3) for (let i = 0; i < 50; i++) key = createHash('md5').update(key.subarray(0, n)).digest();
  return key.subarray(0, n);
}

/** Algorithms 4 and 5 (and 6, which runs them): does /U say the empty password is the user password? */
function legacyUserOk(r: number, key: Buffer, u: Buffer, id0: Uint8Array): boolean {
  if (r === 2) return Buffer.from(rc4(key, PAD)).equals(u.subarray(0, 32));
  let x = Buffer.from(rc4(key, createHash('md5').update(PAD).update(id0).digest()));
  for (let i = 1; i <= 19; i++) x = Buffer.from(rc4(Buffer.from(key.map((b) => b ^ i)), x));
  return x.equals(u.subarray(0, 16));
}

/** Algorithm 2.B (R6) with the empty password and no user key data. */
function hash2B(salt: Uint8Array): Buffer {
  let k = createHash('sha256').update(salt).digest();
  for (let i = 0; ; i++) {
    const k1 = Buffer.concat(Array<Buffer>(64).fill(k));
    const c = createCipheriv('aes-128-cbc', k.subarray(0, 16), k.subarray(16, 32));
    c.setAutoPadding(false);
    const e = Buffer.concat([c.update(k1), c.final()]);
    let mod = 0;
    for (let j = 0; j < 16; j++) mod += e[j]!;
    k = createHash(['sha256', 'sha384', 'sha512'][mod % 3]!)
      .update(e)
      .digest();
    if (i >= 63 && e[e.length - 1]! <= i + 1 - 32) return k.subarray(0, 32);
  }
}

/** AES-CBC with the IV in the first 16 bytes and PKCS#5 padding (§7.6.3.2); damaged padding is left in place. */
function aesDecrypt(key: Buffer, bytes: Uint8Array): Uint8Array {
  if (bytes.length < 32 || bytes.length % 16 !== 0) return bytes.length === 16 ? new Uint8Array(0) : bytes;
  const d = createDecipheriv(key.length === 32 ? 'aes-256-cbc' : 'aes-128-cbc', key, bytes.subarray(0, 16));
  d.setAutoPadding(false);
  const out = Buffer.concat([d.update(bytes.subarray(16)), d.final()]);
  const pad = out[out.length - 1]!;
  if (pad >= 1 && pad <= 16 && out.subarray(out.length - pad).every((b) => b === pad))
    return out.subarray(0, out.length - pad);
  return out;
}

/** RC4 (§7.6.3.2, "Algorithm 1"): not in this OpenSSL build's default provider, and a dozen lines. */
export function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = new Uint8Array(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 0xff]!;
  }
  return out;
}
