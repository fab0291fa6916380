// Reads a trusted list (the EU LOTL or a national list, ETSI TS 119 612 v2) from its DOM into core/tl/model.ts's
// plain data: scheme information (territory, sequence number, issue and next-update times, pointers to other lists,
// pivot LOTL URLs, the OJ URI) here, services and their status history in parse-services.ts. Tolerant of what it does
// not need (unknown extensions ignored, a missing name is ''), strict on counts (RESOURCE_LIMIT) and on the few
// fields a list cannot do without (TL_MALFORMED).
import type { Document, Element } from '@xmldom/xmldom';
import { InputError } from '../errors.js';
import type { TlPointer, TrustedList } from './model.js';
import { NS, child, childrenNamed, elementChildren, textOf, tslPath } from './xml.js';
import { DEFAULT_LIST_LIMITS, digitalIdCertificates, readServices, type ListLimits } from './parse-services.js';

export { DEFAULT_LIST_LIMITS, type ListLimits };

/** A dateTime of the list (xsd:dateTime, normally UTC with a Z). */
export function parseDateTime(text: string, what: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text) ? new Date(text) : new Date(NaN);
  if (Number.isNaN(date.getTime()))
    throw new InputError('TL_MALFORMED', `${what} "${text.slice(0, 40)}" is not a date`);
  return date;
}

/** The TrustedList in `doc` (the root element the signature check covered). */
export function parseTrustedList(doc: Document, limits: Partial<ListLimits> = {}): TrustedList {
  const caps = { ...DEFAULT_LIST_LIMITS, ...limits };
  const root = doc.documentElement;
  if (!root || root.namespaceURI !== NS.tsl || root.localName !== 'TrustServiceStatusList') {
    throw new InputError('TL_MALFORMED', 'the document is not a trusted list (no TrustServiceStatusList root)');
  }
  const info = child(root, NS.tsl, 'SchemeInformation');
  if (!info) throw new InputError('TL_MALFORMED', 'the list has no SchemeInformation');
  const territory = textOf(child(info, NS.tsl, 'SchemeTerritory'));
  const seqText = textOf(child(info, NS.tsl, 'TSLSequenceNumber'));
  if (!/^\d{1,9}$/.test(seqText)) {
    throw new InputError('TL_MALFORMED', `the list's TSLSequenceNumber "${seqText.slice(0, 20)}" is not a number`);
  }
  const issued = parseDateTime(textOf(child(info, NS.tsl, 'ListIssueDateTime')), 'ListIssueDateTime');
  const nextText = textOf(tslPath(info, 'NextUpdate', 'dateTime'));
  const kind = /listofthelists$/i.test(textOf(child(info, NS.tsl, 'TSLType'))) ? 'lotl' : 'tl';
  const uris = childrenNamed(child(info, NS.tsl, 'SchemeInformationURI') ?? info, NS.tsl, 'URI').map(textOf);
  return {
    kind,
    territory,
    sequenceNumber: Number(seqText),
    issued,
    nextUpdate: nextText === '' ? null : parseDateTime(nextText, 'NextUpdate'),
    pointers: readPointers(info, caps),
    pivots: kind === 'lotl' ? uris.filter(isPivotUrl) : [],
    ojUri: kind === 'lotl' ? (uris.find(isOjUri) ?? null) : null,
    services: readServices(root, territory, caps),
  };
}

/** A pivot LOTL, as the EU LOTL lists them in SchemeInformationURI (…/eu-lotl-pivot-<n>.xml), newest first. */
export function isPivotUrl(uri: string): boolean {
  return /pivot/i.test(uri) && /\.xml$/i.test(uri.replace(/[?#].*$/, ''));
}

/** The Official Journal publication announcing the LOTL signing certificates (an EUR-Lex OJ URI). */
export function isOjUri(uri: string): boolean {
  return /eur-lex\.europa\.eu/i.test(uri) && /OJ/.test(uri);
}

function readPointers(info: Element, caps: ListLimits): TlPointer[] {
  const pointers = childrenNamed(child(info, NS.tsl, 'PointersToOtherTSL') ?? info, NS.tsl, 'OtherTSLPointer');
  if (pointers.length > caps.maxPointers) {
    throw new InputError('RESOURCE_LIMIT', `the list has ${pointers.length} pointers (at most ${caps.maxPointers})`);
  }
  return pointers.map((p) => {
    const other = childrenNamed(child(p, NS.tsl, 'AdditionalInformation') ?? p, NS.tsl, 'OtherInformation');
    const field = (local: string): string | null => {
      for (const o of other) {
        const hit = elementChildren(o).find((el) => el.localName === local);
        if (hit) return textOf(hit);
      }
      return null;
    };
    const identities = child(p, NS.tsl, 'ServiceDigitalIdentities');
    const certs = identities ? childrenNamed(identities, NS.tsl, 'ServiceDigitalIdentity') : [];
    return {
      territory: field('SchemeTerritory') ?? '',
      location: textOf(child(p, NS.tsl, 'TSLLocation')),
      mimeType: field('MimeType'),
      signingCertificates: certs.flatMap((c) => digitalIdCertificates(c, caps.maxCertsPerIdentity)),
    };
  });
}
