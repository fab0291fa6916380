// A trusted-list service's status at time T (core/tl/status-at.ts): the period that covers T, granted vs withdrawn,
// the pre-eIDAS statuses mapped as ETSI TS 119 615 says, and "none" before the service was listed.
import { describe, expect, it } from 'vitest';
import { SVC_STATUS, SVC_TYPE, type TlService, type TlStatusPeriod } from '../../../core/tl/model.js';
import { periodAt, statusAt, statusKind, statusName } from '../../../core/tl/status-at.js';

const OLD = 'http://uri.etsi.org/TrstSvc/eSigDir-1999-93-EC-TrustedList/Svcstatus/';
const period = (status: string, from: string, to: string | null): TlStatusPeriod => ({
  status,
  from: new Date(from),
  to: to ? new Date(to) : null,
  additionalInfo: [],
  qualifications: [],
});
const service = (history: TlStatusPeriod[]): TlService => ({
  territory: 'EE',
  tspName: 'SK ID Solutions AS',
  serviceName: 'SK TIMESTAMPING AUTHORITY',
  type: SVC_TYPE.tsaQtst,
  certificates: [],
  history,
});

describe('statusAt', () => {
  const s = service([
    period(`${OLD}accredited`, '2010-01-01T00:00:00Z', '2016-07-01T00:00:00Z'),
    period(SVC_STATUS.granted, '2016-07-01T00:00:00Z', '2024-03-01T00:00:00Z'),
    period(SVC_STATUS.withdrawn, '2024-03-01T00:00:00Z', null),
  ]);

  it('is granted inside a granted period, withdrawn from the withdrawal on (the boundary belongs to the new one)', () => {
    expect(statusAt(s, new Date('2020-05-05T00:00:00Z')).status).toBe('granted');
    expect(statusAt(s, new Date('2024-02-29T23:59:59Z')).status).toBe('granted');
    expect(statusAt(s, new Date('2024-03-01T00:00:00Z')).status).toBe('withdrawn');
    expect(statusAt(s, new Date('2030-01-01T00:00:00Z')).period?.status).toBe(SVC_STATUS.withdrawn);
  });

  it('maps a pre-eIDAS "accredited" period to granted and is "none" before the first period', () => {
    const old = statusAt(s, new Date('2012-01-01T00:00:00Z'));
    expect(old).toEqual({ status: 'granted', period: s.history[0] });
    expect(statusAt(s, new Date('2009-12-31T00:00:00Z'))).toEqual({ status: 'none', period: null });
    expect(periodAt(s, new Date('2009-12-31T00:00:00Z'))).toBeNull();
  });

  it('maps every legacy status and treats anything unknown as not granted', () => {
    for (const g of ['undersupervision', 'supervisionincessation', 'accredited'])
      expect(statusKind(`${OLD}${g}`)).toBe('granted');
    for (const w of ['supervisionceased', 'supervisionrevoked', 'accreditationceased', 'accreditationrevoked'])
      expect(statusKind(`${OLD}${w}`)).toBe('withdrawn');
    expect(statusKind('http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/recognisedatnationallevel')).toBe('withdrawn');
    expect(statusKind(SVC_STATUS.granted)).toBe('granted');
    // real lists (BE, 2023) keep the v1 names under the new namespace in their history
    expect(statusKind('http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/undersupervision')).toBe('granted');
    expect(statusKind('http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/supervisionceased')).toBe('withdrawn');
    expect(statusName(SVC_STATUS.withdrawn)).toBe('withdrawn');
  });
});
