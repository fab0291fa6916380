// §7.3: objects to bytes, for the objects an incremental update adds or replaces.
import { NewStream, PdfDict, PdfName, PdfRaw, PdfRef, PdfStream, PdfString, type PdfObject } from './objects.js';

export function serialize(o: PdfObject): string {
  if (o === null) return 'null';
  if (typeof o === 'boolean') return o ? 'true' : 'false';
  if (typeof o === 'number') return formatNumber(o);
  if (o instanceof PdfName) return serializeName(o.name);
  if (o instanceof PdfString) return o.hex ? `<${Buffer.from(o.bytes).toString('hex')}>` : literal(o.bytes);
  if (o instanceof PdfRef) return `${o.num} ${o.gen} R`;
  if (o instanceof PdfRaw) return o.text;
  if (Array.isArray(o)) return `[${o.map(serialize).join(' ')}]`;
  if (o instanceof PdfDict) return `<<${[...o.map].map(([k, v]) => `${serializeName(k)} ${serialize(v)}`).join(' ')}>>`;
  if (o instanceof PdfStream || o instanceof NewStream)
    throw new TypeError('a stream is only serialized as an indirect object');
  throw new TypeError('not a PDF object');
}

/** `N G obj … endobj` with a trailing EOL; streams get their /Length. Strings are Latin-1 (one byte per char). */
export function indirectObject(ref: PdfRef, o: PdfObject): Buffer {
  if (o instanceof NewStream) {
    const head = `${ref.num} ${ref.gen} obj\n${serialize(o.dict.with({ Length: o.data.length }))}\nstream\n`;
    return Buffer.concat([Buffer.from(head, 'latin1'), o.data, Buffer.from('\nendstream\nendobj\n', 'latin1')]);
  }
  return Buffer.from(`${ref.num} ${ref.gen} obj\n${serialize(o)}\nendobj\n`, 'latin1');
}

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError('a PDF number must be finite');
  if (Number.isInteger(n)) return String(n);
  return n.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
}

function serializeName(name: string): string {
  let out = '/';
  for (const ch of name) {
    const c = ch.charCodeAt(0);
    out += c < 0x21 || c > 0x7e || '()<>[]{}/%#'.includes(ch) ? `#${c.toString(16).padStart(2, '0')}` : ch;
  }
  return out;
}

function literal(bytes: Uint8Array): string {
  let out = '(';
  for (const c of bytes) {
    if (c === 0x28 || c === 0x29 || c === 0x5c) out += `\\${String.fromCharCode(c)}`;
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else out += String.fromCharCode(c);
  }
  return `${out})`;
}
