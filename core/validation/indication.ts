// ETSI EN 319 102-1 §5.1.3 validation outcomes, shared by every verifier (PAdES, CAdES): the types live in core/model.
export type { Indication, SubIndication } from '../model/indication.js';
