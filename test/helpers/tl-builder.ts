// Synthetic trusted lists for tests (ETSI TS 119 612 v2 XML) from a small description, and their enveloped XAdES
// signature (tl-signer.ts). `buildLotl` / `buildTl` give unsigned XML text; `signList(xml, {keyPem, certPem})` signs it
// the way the real lists are signed. Statuses are described oldest first; the last one is the service's current
// status (ServiceInformation), the earlier ones become its ServiceHistory (written newest first, as real lists do).
import { SVC_STATUS, SVC_TYPE } from '../../core/tl/model.js';
export { signList, type ListSigner, type SignOptions } from './tl-signer.js';

type When = string | Date;
type Cert = Uint8Array | string;

export type QualificationDesc = {
  readonly qualifiers: readonly string[];
  readonly assert?: 'all' | 'atLeastOne' | 'none';
  readonly policyOids?: readonly string[];
  readonly keyUsage?: readonly { readonly bit: string; readonly value: boolean }[];
};

export type StatusDesc = {
  readonly status: 'granted' | 'withdrawn' | string;
  readonly from: When;
  readonly additionalInfo?: readonly string[];
  readonly qualifications?: readonly QualificationDesc[];
  /** Raw XML put inside ServiceInformationExtensions (e.g. an unknown extension). */
  readonly extensionsXml?: string;
};

export type ServiceDesc = {
  readonly tspName?: string;
  readonly serviceName?: string;
  /** 'caQc' | 'tsaQtst' or a full service type URI (default CA/QC). */
  readonly type?: keyof typeof SVC_TYPE | string;
  /** DER or PEM of the ServiceDigitalIdentity's certificates. */
  readonly certificates?: readonly Cert[];
  /** Oldest first; the last one is the current status. Default: granted since 2020-01-01. */
  readonly statuses?: readonly StatusDesc[];
};

export type PointerDesc = {
  readonly territory: string;
  readonly location: string;
  readonly mimeType?: string;
  readonly certificates: readonly Cert[];
};

export type ListDesc = {
  readonly territory: string;
  readonly sequence?: number;
  readonly issued?: When;
  /** null: a closed list (empty NextUpdate). */
  readonly nextUpdate?: When | null;
  readonly pointers?: readonly PointerDesc[];
  readonly services?: readonly ServiceDesc[];
  /** Extra SchemeInformationURI entries (the LOTL's OJ URI and pivots are added by buildLotl). */
  readonly schemeUris?: readonly string[];
  /** Id attribute of the root (default 'TSL'); null for none. */
  readonly id?: string | null;
};

export type LotlDesc = Omit<ListDesc, 'territory'> & {
  readonly territory?: string;
  /** Pivot LOTL URLs, newest first. */
  readonly pivots?: readonly string[];
  readonly ojUri?: string;
};

const TSL_NS = 'http://uri.etsi.org/02231/v2#';
const ECC_NS = 'http://uri.etsi.org/TrstSvc/SvcInfoExt/eSigDir-1999-93-EC-TrustedList/#';
const TYPE_LOTL = 'http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUlistofthelists';
const TYPE_TL = 'http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric';
export const TSL_MIME = 'application/vnd.etsi.tsl+xml';
export const QUALIFIER = (name: string): string => `http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/${name}`;
export const SVC_INFO_EXT = QUALIFIER;

export function buildLotl(desc: LotlDesc): string {
  const uris = [...(desc.ojUri ? [desc.ojUri] : []), ...(desc.pivots ?? []), ...(desc.schemeUris ?? [])];
  return buildList({ ...desc, territory: desc.territory ?? 'EU', schemeUris: uris }, TYPE_LOTL);
}

export function buildTl(desc: ListDesc): string {
  return buildList(desc, TYPE_TL);
}

function buildList(desc: ListDesc, type: string): string {
  const id = desc.id === undefined ? 'TSL' : desc.id;
  const next = desc.nextUpdate === undefined ? '2030-01-01' : desc.nextUpdate;
  const uris = (desc.schemeUris ?? []).map((u) => `<URI xml:lang="en">${esc(u)}</URI>`).join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<TrustServiceStatusList xmlns="${TSL_NS}" ` +
    `xmlns:ecc="${ECC_NS}" xmlns:xades="http://uri.etsi.org/01903/v1.3.2#" ` +
    `xmlns:tslx="http://uri.etsi.org/02231/v2/additionaltypes#"${id ? ` Id="${esc(id)}"` : ''} ` +
    `TSLTag="http://uri.etsi.org/19612/TSLTag"><SchemeInformation><TSLVersionIdentifier>5</TSLVersionIdentifier>` +
    `<TSLSequenceNumber>${desc.sequence ?? 1}</TSLSequenceNumber><TSLType>${type}</TSLType>` +
    `<SchemeOperatorName><Name xml:lang="en">Test operator ${esc(desc.territory)}</Name></SchemeOperatorName>` +
    (uris ? `<SchemeInformationURI>${uris}</SchemeInformationURI>` : '') +
    `<SchemeTerritory>${esc(desc.territory)}</SchemeTerritory>` +
    pointersXml(desc.pointers ?? []) +
    `<ListIssueDateTime>${iso(desc.issued ?? '2025-01-01')}</ListIssueDateTime>` +
    `<NextUpdate>${next === null ? '' : `<dateTime>${iso(next)}</dateTime>`}</NextUpdate>` +
    `</SchemeInformation>${providersXml(desc.services ?? [])}</TrustServiceStatusList>\n`
  );
}

function pointersXml(pointers: readonly PointerDesc[]): string {
  if (pointers.length === 0) return '';
  const one = (p: PointerDesc): string =>
    `<OtherTSLPointer><ServiceDigitalIdentities><ServiceDigitalIdentity>${digitalIds(p.certificates)}` +
    `</ServiceDigitalIdentity></ServiceDigitalIdentities><TSLLocation>${esc(p.location)}</TSLLocation>` +
    `<AdditionalInformation><OtherInformation><TSLType>${TYPE_TL}</TSLType></OtherInformation>` +
    `<OtherInformation><SchemeTerritory>${esc(p.territory)}</SchemeTerritory></OtherInformation>` +
    `<OtherInformation><tslx:MimeType>${esc(p.mimeType ?? TSL_MIME)}</tslx:MimeType></OtherInformation>` +
    `</AdditionalInformation></OtherTSLPointer>`;
  return `<PointersToOtherTSL>${pointers.map(one).join('')}</PointersToOtherTSL>`;
}

function providersXml(services: readonly ServiceDesc[]): string {
  if (services.length === 0) return '';
  const byTsp = new Map<string, ServiceDesc[]>();
  for (const s of services) byTsp.set(s.tspName ?? 'Test TSP', [...(byTsp.get(s.tspName ?? 'Test TSP') ?? []), s]);
  const tsps = [...byTsp].map(
    ([name, list]) =>
      `<TrustServiceProvider><TSPInformation><TSPName><Name xml:lang="en">${esc(name)}</Name></TSPName>` +
      `</TSPInformation><TSPServices>${list.map(serviceXml).join('')}</TSPServices></TrustServiceProvider>`,
  );
  return `<TrustServiceProviderList>${tsps.join('')}</TrustServiceProviderList>`;
}

function serviceXml(s: ServiceDesc): string {
  const statuses = s.statuses ?? [{ status: 'granted', from: '2020-01-01' }];
  const type = s.type === undefined ? SVC_TYPE.caQc : ((SVC_TYPE as Record<string, string>)[s.type] ?? s.type);
  const name = `<ServiceName><Name xml:lang="en">${esc(s.serviceName ?? 'Test service')}</Name></ServiceName>`;
  const identity = `<ServiceDigitalIdentity>${digitalIds(s.certificates ?? [])}</ServiceDigitalIdentity>`;
  const info = (st: StatusDesc): string =>
    `<ServiceTypeIdentifier>${esc(type)}</ServiceTypeIdentifier>${name}${identity}` +
    `<ServiceStatus>${esc(statusUri(st.status))}</ServiceStatus>` +
    `<StatusStartingTime>${iso(st.from)}</StatusStartingTime>${extensionsXml(st)}`;
  const current = statuses[statuses.length - 1]!;
  const older = statuses.slice(0, -1).reverse();
  const history = older.length
    ? `<ServiceHistory>${older.map((st) => `<ServiceHistoryInstance>${info(st)}</ServiceHistoryInstance>`).join('')}` +
      `</ServiceHistory>`
    : '';
  return `<TSPService><ServiceInformation>${info(current)}</ServiceInformation>${history}</TSPService>`;
}

function extensionsXml(st: StatusDesc): string {
  const asi = (st.additionalInfo ?? []).map(
    (u) =>
      `<Extension Critical="false"><AdditionalServiceInformation><URI xml:lang="en">${esc(u)}</URI>` +
      `</AdditionalServiceInformation></Extension>`,
  );
  const quals = st.qualifications?.length
    ? [
        `<Extension Critical="true"><ecc:Qualifications>${st.qualifications.map(qualificationXml).join('')}` +
          `</ecc:Qualifications></Extension>`,
      ]
    : [];
  const all = [...asi, ...quals, st.extensionsXml ?? ''].join('');
  return all ? `<ServiceInformationExtensions>${all}</ServiceInformationExtensions>` : '';
}

function qualificationXml(q: QualificationDesc): string {
  const qualifiers = q.qualifiers.map((u) => `<ecc:Qualifier uri="${esc(u)}"/>`).join('');
  const bit = (k: { bit: string; value: boolean }): string =>
    `<ecc:KeyUsageBit name="${esc(k.bit)}">${k.value}</ecc:KeyUsageBit>`;
  const ku = q.keyUsage?.length ? `<ecc:KeyUsage>${q.keyUsage.map(bit).join('')}</ecc:KeyUsage>` : '';
  const policy = (oid: string): string =>
    `<ecc:PolicyIdentifier><xades:Identifier Qualifier="OIDAsURN">urn:oid:${esc(oid)}</xades:Identifier>` +
    `</ecc:PolicyIdentifier>`;
  const pol = q.policyOids?.length ? `<ecc:PolicySet>${q.policyOids.map(policy).join('')}</ecc:PolicySet>` : '';
  return (
    `<ecc:QualificationElement><ecc:Qualifiers>${qualifiers}</ecc:Qualifiers>` +
    `<ecc:CriteriaList assert="${q.assert ?? 'atLeastOne'}">${ku}${pol}</ecc:CriteriaList></ecc:QualificationElement>`
  );
}

function digitalIds(certs: readonly Cert[]): string {
  return certs.map((c) => `<DigitalId><X509Certificate>${b64(c)}</X509Certificate></DigitalId>`).join('');
}

function statusUri(status: string): string {
  return (SVC_STATUS as Record<string, string>)[status] ?? status;
}

function b64(cert: Cert): string {
  if (typeof cert !== 'string') return Buffer.from(cert).toString('base64');
  return cert.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
}

function iso(when: When): string {
  const d = typeof when === 'string' ? new Date(when.includes('T') ? when : `${when}T00:00:00Z`) : when;
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
