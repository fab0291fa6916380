// The structural rules a trusted list's XML signature must meet before any digest is computed (TS 119 612 §5.7.1:
// one enveloped XAdES signature on the whole list). They are the signature-wrapping defences: the signature is the
// only one and a child of the root, no Id is used twice, one reference covers the root itself (the node parse.ts then
// reads), every other reference points at the signature's own SignedProperties or KeyInfo, and only the enveloped
// and canonicalisation transforms are used (no XPath or XSLT that could narrow what is signed); no HMAC.
import type { Element } from '@xmldom/xmldom';
import { NS, childrenNamed, child, descendants } from './xml.js';

/** References and transforms a real list needs (the LOTL has two references: the root and SignedProperties). */
const MAX_REFERENCES = 8;
const MAX_TRANSFORMS = 4;

const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const C14N = new Set([
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments',
  'http://www.w3.org/2001/10/xml-exc-c14n#',
  'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
  'http://www.w3.org/2006/12/xml-c14n11',
  'http://www.w3.org/2006/12/xml-c14n11#WithComments',
]);

const ID_ATTRIBUTES = ['Id', 'ID', 'id'];

/** The list's one signature element, or the reason it does not have exactly one where it must be. */
export function findListSignature(root: Element): { signature: Element } | { reason: string } {
  if (root.namespaceURI !== NS.tsl || root.localName !== 'TrustServiceStatusList') {
    return { reason: `the root element is ${root.localName ?? '?'}, not a TrustServiceStatusList` };
  }
  const signatures: Element[] = [];
  const seen = new Map<string, number>();
  for (const el of descendants(root)) {
    if (el.namespaceURI === NS.ds && el.localName === 'Signature') signatures.push(el);
    for (const name of ID_ATTRIBUTES) {
      if (!el.hasAttribute(name)) continue;
      const id = el.getAttribute(name) ?? '';
      seen.set(id, (seen.get(id) ?? 0) + 1);
    }
  }
  const dup = [...seen].find(([, n]) => n > 1);
  if (dup) return { reason: `the Id "${dup[0]}" is used ${dup[1]} times (a signature-wrapping attempt)` };
  if (signatures.length === 0) return { reason: 'the list is not signed' };
  if (signatures.length > 1) return { reason: `the list carries ${signatures.length} signatures; one is expected` };
  const signature = signatures[0]!;
  if (signature.parentNode !== root) return { reason: 'the signature is not a child of the list root (not enveloped)' };
  return { signature };
}

/** Null when the references meet the rules above, else the reason they do not. */
export function checkReferences(root: Element, signature: Element): string | null {
  const signedInfo = child(signature, NS.ds, 'SignedInfo');
  if (!signedInfo) return 'the signature has no SignedInfo';
  const method = child(signedInfo, NS.ds, 'SignatureMethod')?.getAttribute('Algorithm') ?? '';
  if (/hmac/i.test(method)) return 'the signature is an HMAC (a shared secret), not made with a certificate key';
  const refs = childrenNamed(signedInfo, NS.ds, 'Reference');
  if (refs.length === 0) return 'the signature has no reference';
  if (refs.length > MAX_REFERENCES) return `the signature has ${refs.length} references (at most ${MAX_REFERENCES})`;
  const rootId = idOf(root);
  let coversRoot = false;
  for (const ref of refs) {
    const uri = ref.getAttribute('URI') ?? '';
    const transforms = transformsOf(ref);
    if (typeof transforms === 'string') return transforms;
    const wholeList = uri === '' || (rootId !== null && uri === `#${rootId}`);
    if (wholeList) {
      if (!transforms.includes(ENVELOPED)) return 'the reference to the whole list lacks the enveloped transform';
      coversRoot = true;
      continue;
    }
    if (!uri.startsWith('#')) return `a reference points outside the list (${uri.slice(0, 80)})`;
    const target = byId(signature, uri.slice(1));
    if (!target) return `a reference points at "${uri.slice(0, 80)}", which is neither the list nor its signature data`;
  }
  return coversRoot ? null : 'no reference covers the whole list (its root element)';
}

/** The Algorithm of each Transform, or the reason one is not allowed. */
function transformsOf(ref: Element): string[] | string {
  const list = childrenNamed(child(ref, NS.ds, 'Transforms') ?? ref, NS.ds, 'Transform');
  if (list.length > MAX_TRANSFORMS) return `a reference has ${list.length} transforms (at most ${MAX_TRANSFORMS})`;
  const algorithms = list.map((t) => t.getAttribute('Algorithm') ?? '');
  const bad = algorithms.find((a) => a !== ENVELOPED && !C14N.has(a));
  return bad === undefined ? algorithms : `a reference uses the transform ${bad.slice(0, 80)}, not allowed on a list`;
}

/** The element with this Id among the signature's SignedProperties and KeyInfo (the only other signed targets). */
function byId(signature: Element, id: string): Element | null {
  for (const el of descendants(signature)) {
    if (idOf(el) !== id) continue;
    const signedProps = el.namespaceURI === NS.xades && el.localName === 'SignedProperties';
    const keyInfo = el.namespaceURI === NS.ds && el.localName === 'KeyInfo';
    return signedProps || keyInfo ? el : null;
  }
  return null;
}

function idOf(el: Element): string | null {
  for (const name of ID_ATTRIBUTES) if (el.hasAttribute(name)) return el.getAttribute(name);
  return null;
}
