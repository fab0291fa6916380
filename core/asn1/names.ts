// Distinguished names as people read them (RFC 4514 order, via @peculiar/x509).
import { x509 } from './x509.js';
import { exactBuffer } from './bytes.js';

export function nameToString(der: Uint8Array): string {
  return new x509.Name(exactBuffer(der)).toString();
}
