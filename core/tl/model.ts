// Trusted lists as Sealdesk reads them (ETSI TS 119 612): the EU List of Trusted Lists (LOTL) and national lists,
// their services and each service's status history. Plain data: parsed once (core/tl/parse.ts), cached (store.ts),
// queried at a time T (qualification). URIs are kept as the lists spell them.

export const SVC_TYPE = {
  caQc: 'http://uri.etsi.org/TrstSvc/Svctype/CA/QC',
  tsaQtst: 'http://uri.etsi.org/TrstSvc/Svctype/TSA/QTST',
} as const;

export const SVC_STATUS = {
  granted: 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted',
  withdrawn: 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn',
} as const;

/** One Qualification extension entry (TS 119 612 §5.5.9.2): qualifiers applied to certificates its criteria match. */
export type TlQualification = {
  /** e.g. http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/QCWithQSCD, …/QCForESeal, …/NotQualified */
  readonly qualifiers: readonly string[];
  readonly criteria: {
    readonly assert: 'all' | 'atLeastOne' | 'none';
    readonly policyOids: readonly string[];
    readonly keyUsage: readonly { readonly bit: string; readonly value: boolean }[];
  };
};

/** A period of one status; `to` null while it is the current status. */
export type TlStatusPeriod = {
  readonly status: string;
  readonly from: Date;
  readonly to: Date | null;
  /** AdditionalServiceInformation URIs (…/SvcInfoExt/ForeSignatures, ForeSeals, ForWebSiteAuthentication). */
  readonly additionalInfo: readonly string[];
  readonly qualifications: readonly TlQualification[];
};

export type TlService = {
  readonly territory: string;
  readonly tspName: string;
  readonly serviceName: string;
  readonly type: string;
  /** DER of the ServiceDigitalIdentity's X509Certificate elements. */
  readonly certificates: readonly Uint8Array[];
  /** Oldest first; the current status is the last period. */
  readonly history: readonly TlStatusPeriod[];
};

/** A LOTL pointer to a national list (or to another LOTL), with the certificates that may sign it. */
export type TlPointer = {
  readonly territory: string;
  readonly location: string;
  readonly mimeType: string | null;
  readonly signingCertificates: readonly Uint8Array[];
};

export type TrustedList = {
  readonly kind: 'lotl' | 'tl';
  /** SchemeTerritory: 'EU' for the LOTL. */
  readonly territory: string;
  readonly sequenceNumber: number;
  readonly issued: Date;
  /** null when the list announces no next update (a closed list). */
  readonly nextUpdate: Date | null;
  /** LOTL: pointers to the national lists. */
  readonly pointers: readonly TlPointer[];
  /** LOTL: SchemeInformationURI entries that name earlier LOTLs (pivots), newest first as listed. */
  readonly pivots: readonly string[];
  /** LOTL: the OJ publication URI it names for its signing certificates, when present. */
  readonly ojUri: string | null;
  readonly services: readonly TlService[];
};

export type TlSignature = 'valid' | 'invalid' | 'unverified';

/** A list as cached: the parsed list plus where it came from and what its signature check said. */
export type LoadedList = TrustedList & {
  readonly source: string;
  readonly sha256: string;
  readonly fetchedAt: Date;
  readonly signature: TlSignature;
  /** Subject of the certificate that signed it, when the signature verified. */
  readonly signedBy: string | null;
  /** Why the signature is invalid or unverified, in words. */
  readonly reason: string | null;
};

/** Everything loaded from the cache: what qualification questions are asked against. */
export type TlSnapshot = {
  readonly lists: readonly LoadedList[];
  /** The LOTL signing certificates in use (bundled OJ ones plus the user's). */
  readonly anchorCount: number;
  readonly loadedAt: Date;
};
