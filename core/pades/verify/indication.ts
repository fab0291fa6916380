// A PDF signature's findings to its ETSI EN 319 102-1 outcome, through the one decider (core/validation/indication).
import { decide as decideFindings, type Finding } from '../../validation/indication.js';
import type { SignatureReport } from './types.js';

export type { Finding };

export function decide(report: SignatureReport, findings: readonly Finding[], intact: boolean): SignatureReport {
  const d = decideFindings(findings, intact);
  return { ...report, ...d, intact, valid: d.indication === 'TOTAL-PASSED' };
}
