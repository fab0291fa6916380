// The services of a trusted list (TS 119 612 §5.5) and each one's status history as periods: the current status
// (ServiceInformation) and every ServiceHistoryInstance, ordered oldest first, each period ending where the next
// begins. Per period: its AdditionalServiceInformation URIs and its Qualifications extension (§5.5.9.2, the
// qualifiers and the criteria list's policy OIDs and key-usage bits). Unknown extensions are ignored.
import type { Element } from '@xmldom/xmldom';
import { InputError } from '../errors.js';
import type { TlQualification, TlService, TlStatusPeriod } from './model.js';
import { NS, child, childrenNamed, elementChildren, textOf, tslPath } from './xml.js';

/** Caps on what one list may hold; past one, RESOURCE_LIMIT (the largest national lists have a few thousand
 * services, a few dozen history entries per service, a handful of certificates per identity). */
export type ListLimits = {
  readonly maxServices: number;
  readonly maxHistory: number;
  readonly maxCertsPerIdentity: number;
  readonly maxPointers: number;
};

export const DEFAULT_LIST_LIMITS: ListLimits = {
  maxServices: 20_000,
  maxHistory: 500,
  maxCertsPerIdentity: 32,
  maxPointers: 500,
};

const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** Every TSPService of every TrustServiceProvider, in document order. */
export function readServices(root: Element, territory: string, caps: ListLimits): TlService[] {
  const providers = childrenNamed(
    child(root, NS.tsl, 'TrustServiceProviderList') ?? root,
    NS.tsl,
    'TrustServiceProvider',
  );
  const out: TlService[] = [];
  for (const tsp of providers) {
    const tspName = nameOf(tslPath(tsp, 'TSPInformation', 'TSPName'));
    for (const svc of childrenNamed(child(tsp, NS.tsl, 'TSPServices') ?? tsp, NS.tsl, 'TSPService')) {
      if (out.length >= caps.maxServices) {
        throw new InputError('RESOURCE_LIMIT', `the list has more than ${caps.maxServices} services`);
      }
      const service = readService(svc, territory, tspName, caps);
      if (service) out.push(service);
    }
  }
  return out;
}

/** One service, or null when its current status has no readable start time (the service cannot be placed in time). */
function readService(svc: Element, territory: string, tspName: string, caps: ListLimits): TlService | null {
  const current = child(svc, NS.tsl, 'ServiceInformation');
  if (!current) return null;
  const instances = childrenNamed(child(svc, NS.tsl, 'ServiceHistory') ?? svc, NS.tsl, 'ServiceHistoryInstance');
  if (instances.length > caps.maxHistory) {
    throw new InputError(
      'RESOURCE_LIMIT',
      `a service has ${instances.length} history entries (at most ${caps.maxHistory})`,
    );
  }
  const entries = [current, ...instances].flatMap((el) => {
    const from = dateOf(textOf(child(el, NS.tsl, 'StatusStartingTime')));
    return from ? [{ el, from }] : [];
  });
  if (!entries.some((e) => e.el === current)) return null;
  entries.sort((a, b) => a.from.getTime() - b.from.getTime());
  const history: TlStatusPeriod[] = entries.map(({ el, from }, i) => ({
    status: textOf(child(el, NS.tsl, 'ServiceStatus')),
    from,
    to: entries[i + 1]?.from ?? null,
    ...readExtensions(el),
  }));
  const certificates: Uint8Array[] = [];
  for (const el of [current, ...instances]) {
    for (const der of identityCertificates(el, caps.maxCertsPerIdentity)) {
      if (!certificates.some((c) => Buffer.from(c).equals(der))) certificates.push(der);
    }
  }
  return {
    territory,
    tspName,
    serviceName: nameOf(child(current, NS.tsl, 'ServiceName')),
    type: textOf(child(current, NS.tsl, 'ServiceTypeIdentifier')),
    certificates,
    history,
  };
}

function identityCertificates(info: Element, max: number): Uint8Array[] {
  const identity = child(info, NS.tsl, 'ServiceDigitalIdentity');
  return identity ? digitalIdCertificates(identity, max) : [];
}

/** DER of the X509Certificate elements of one ServiceDigitalIdentity (capped). */
export function digitalIdCertificates(identity: Element, max: number): Uint8Array[] {
  const ids = childrenNamed(identity, NS.tsl, 'DigitalId');
  const certs = ids.flatMap((id) => childrenNamed(id, NS.tsl, 'X509Certificate'));
  if (certs.length > max) {
    throw new InputError('RESOURCE_LIMIT', `an identity has ${certs.length} certificates (at most ${max})`);
  }
  return certs.map((c) => new Uint8Array(Buffer.from(textOf(c), 'base64')));
}

function dateOf(text: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return null;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The English name among the Name elements (else the first); '' when there is none. */
function nameOf(holder: Element | null): string {
  if (!holder) return '';
  const names = childrenNamed(holder, NS.tsl, 'Name');
  const en = names.find((n) => (n.getAttributeNS(XML_NS, 'lang') ?? '').toLowerCase() === 'en');
  return textOf(en ?? names[0] ?? null);
}

function readExtensions(info: Element): Pick<TlStatusPeriod, 'additionalInfo' | 'qualifications'> {
  const additionalInfo: string[] = [];
  const qualifications: TlQualification[] = [];
  const extensions = child(info, NS.tsl, 'ServiceInformationExtensions');
  for (const ext of extensions ? childrenNamed(extensions, NS.tsl, 'Extension') : []) {
    for (const asi of childrenNamed(ext, NS.tsl, 'AdditionalServiceInformation')) {
      const uri = textOf(child(asi, NS.tsl, 'URI'));
      if (uri) additionalInfo.push(uri);
    }
    for (const q of childrenNamed(ext, NS.ecc, 'Qualifications')) {
      for (const el of childrenNamed(q, NS.ecc, 'QualificationElement')) qualifications.push(readQualification(el));
    }
  }
  return { additionalInfo, qualifications };
}

/** One QualificationElement. Nested CriteriaList and otherCriteriaList are not read (no EU list relies on them for
 * the qualifiers Sealdesk uses); their presence does not widen the match. */
function readQualification(el: Element): TlQualification {
  const qualifiers = childrenNamed(child(el, NS.ecc, 'Qualifiers') ?? el, NS.ecc, 'Qualifier')
    .map((q) => q.getAttribute('uri') ?? '')
    .filter((u) => u !== '');
  const criteria = child(el, NS.ecc, 'CriteriaList');
  const assertText = criteria?.getAttribute('assert') ?? 'all';
  const assert = assertText === 'atLeastOne' || assertText === 'none' ? assertText : 'all';
  const policyOids: string[] = [];
  const keyUsage: { bit: string; value: boolean }[] = [];
  for (const part of criteria ? elementChildren(criteria) : []) {
    if (part.namespaceURI !== NS.ecc) continue;
    if (part.localName === 'PolicySet') {
      for (const pid of childrenNamed(part, NS.ecc, 'PolicyIdentifier')) {
        const oid = textOf(child(pid, NS.xades, 'Identifier')).replace(/^urn:oid:/i, '');
        if (oid) policyOids.push(oid);
      }
    } else if (part.localName === 'KeyUsage') {
      for (const bit of childrenNamed(part, NS.ecc, 'KeyUsageBit')) {
        keyUsage.push({ bit: bit.getAttribute('name') ?? '', value: textOf(bit).toLowerCase() === 'true' });
      }
    }
  }
  return { qualifiers, criteria: { assert, policyOids, keyUsage } };
}
