// The verification report's vocabulary (the types live in core/model) and how two indications combine.
import type { Indication } from '../../model/indication.js';

export type { Indication, SubIndication } from '../../model/indication.js';
export type { CertificateReport, PdfReport, SignatureReport, TimestampReport } from '../../model/pdf-report.js';

const RANK: Record<Indication, number> = { 'TOTAL-PASSED': 0, INDETERMINATE: 1, 'TOTAL-FAILED': 2 };
export const worst = (a: Indication, b: Indication): Indication => (RANK[b] > RANK[a] ? b : a);
