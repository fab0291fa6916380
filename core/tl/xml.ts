// Reading trusted-list XML (ETSI TS 119 612) safely: a list comes from the network, so hostile input is normal input.
// Before any parser sees the bytes: a byte cap, UTF-8 only, no DOCTYPE or entity declaration (XXE, billion laughs),
// and a lexical pre-scan that caps element count and nesting depth (the XML-DSig canonicalisers recurse). Then
// @xmldom/xmldom builds a namespace-aware DOM, and the helpers below read it by namespace URI, never by prefix.
import { DOMParser, type Document, type Element, type Node } from '@xmldom/xmldom';
import { InputError } from '../errors.js';

/** Namespaces of TS 119 612 v2 and the signatures on it. */
export const NS = {
  tsl: 'http://uri.etsi.org/02231/v2#',
  /** Additional types: MimeType in a pointer's AdditionalInformation. */
  tslx: 'http://uri.etsi.org/02231/v2/additionaltypes#',
  /** Service information extensions: the Qualifications extension (TS 119 612 §5.5.9.2). */
  ecc: 'http://uri.etsi.org/TrstSvc/SvcInfoExt/eSigDir-1999-93-EC-TrustedList/#',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  xades: 'http://uri.etsi.org/01903/v1.3.2#',
  xades141: 'http://uri.etsi.org/01903/v1.4.1#',
} as const;

export type XmlLimits = {
  /** Bytes of one list (the largest national lists are a few MiB). */
  readonly maxBytes: number;
  readonly maxDepth: number;
  readonly maxElements: number;
};

export const DEFAULT_XML_LIMITS: XmlLimits = { maxBytes: 32 * 1024 * 1024, maxDepth: 64, maxElements: 1_000_000 };

/** A namespace-aware DOM of `bytes`. TL_MALFORMED for bytes that are not well-formed UTF-8 XML or that declare a
 * DOCTYPE or entities; RESOURCE_LIMIT when a cap is reached (checked before parsing). */
export function parseXml(bytes: Uint8Array, limits: Partial<XmlLimits> = {}): Document {
  const caps = { ...DEFAULT_XML_LIMITS, ...limits };
  if (bytes.length > caps.maxBytes) {
    throw new InputError('RESOURCE_LIMIT', `the list has ${bytes.length} bytes, more than the ${caps.maxBytes} read`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError('TL_MALFORMED', 'the list is not UTF-8 text');
  }
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new InputError('TL_MALFORMED', 'the list declares a DOCTYPE or entities, which a trusted list never needs');
  }
  prescan(text, caps);
  let first: string | null = null;
  const fail = (level: string, message: string): void => {
    if (level === 'warning') return;
    first ??= message.split('\n')[0]!;
    throw new Error(first);
  };
  let doc: Document;
  try {
    doc = new DOMParser({ onError: fail }).parseFromString(text, 'application/xml');
  } catch (err) {
    const why = first ?? (err as Error).message.split('\n')[0];
    throw new InputError('TL_MALFORMED', `the list is not well-formed XML: ${why}`, { cause: err });
  }
  if (!doc.documentElement) throw new InputError('TL_MALFORMED', 'the list has no root element');
  return doc;
}

/** Counts start tags and their nesting without building anything; comments, CDATA, PIs and quoted attribute values
 * are skipped. Malformed markup is left for the parser to refuse. */
function prescan(text: string, caps: XmlLimits): void {
  let depth = 0;
  let elements = 0;
  let i = text.indexOf('<');
  while (i >= 0 && i < text.length) {
    const next = text[i + 1];
    if (text.startsWith('<!--', i)) i = skipTo(text, i + 4, '-->');
    else if (text.startsWith('<![CDATA[', i)) i = skipTo(text, i + 9, ']]>');
    else if (next === '?' || next === '!') i = skipTo(text, i + 2, '>');
    else if (next === '/') {
      depth--;
      i = skipTo(text, i + 2, '>');
    } else {
      const end = tagEnd(text, i + 1);
      elements++;
      if (text[end - 1] !== '/') depth++;
      if (elements > caps.maxElements) {
        throw new InputError('RESOURCE_LIMIT', `the list has more than ${caps.maxElements} elements`);
      }
      if (depth > caps.maxDepth) {
        throw new InputError('RESOURCE_LIMIT', `the list nests elements deeper than ${caps.maxDepth} levels`);
      }
      i = end + 1;
    }
    i = i < 0 ? -1 : text.indexOf('<', i);
  }
}

/** The index just after `end` found from `from`, or -1. */
function skipTo(text: string, from: number, end: string): number {
  const at = text.indexOf(end, from);
  return at < 0 ? -1 : at + end.length;
}

/** The index of the `>` closing the tag opened before `from`, quotes respected (text.length when unclosed). */
function tagEnd(text: string, from: number): number {
  let quote = '';
  for (let j = from; j < text.length; j++) {
    const c = text[j];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return j;
  }
  return text.length;
}

const ELEMENT_NODE = 1;

function isElement(node: Node | null): node is Element {
  return node !== null && node.nodeType === ELEMENT_NODE;
}

/** The element children of `el` named {ns}local. */
export function childrenNamed(el: Element, ns: string, local: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (isElement(n) && n.namespaceURI === ns && n.localName === local) out.push(n);
  }
  return out;
}

/** The element children of `el`, whatever their names. */
export function elementChildren(el: Element): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (isElement(n)) out.push(n);
  return out;
}

/** The first child named {ns}local, or null. */
export function child(el: Element | null, ns: string, local: string): Element | null {
  if (!el) return null;
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (isElement(n) && n.namespaceURI === ns && n.localName === local) return n;
  }
  return null;
}

/** Follows a path of tsl: children (`path(root, 'SchemeInformation', 'TSLType')`); null when a step is missing. */
export function tslPath(el: Element | null, ...steps: string[]): Element | null {
  let at = el;
  for (const step of steps) at = child(at, NS.tsl, step);
  return at;
}

/** Trimmed text content ('' for a missing element). */
export function textOf(el: Element | null): string {
  return (el?.textContent ?? '').trim();
}

/** Every descendant element of `root` (document order, `root` included), iteratively. */
export function* descendants(root: Element): Generator<Element> {
  const stack: Element[] = [root];
  while (stack.length) {
    const el = stack.pop()!;
    yield el;
    const kids = elementChildren(el);
    for (let k = kids.length - 1; k >= 0; k--) stack.push(kids[k]!);
  }
}
