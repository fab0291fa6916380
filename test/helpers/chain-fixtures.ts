// Many real stamp chains cheaply, for bulk-restamp tests and benches: copies of real TSA replies, each with its own id
// and its own .tsr bytes. The bytes differ in the reply's PKIStatusInfo statusString (RFC 3161 §2.4.2), which lies
// outside the signed token: every copy is a valid TimeStampResp whose token still verifies with `openssl ts -verify`.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fromHex } from '../../core/asn1/bytes.js';
import { readTlv, tlv } from '../../core/asn1/tlv.js';
import { insertStamp, type Ledger } from '../../core/ledger/index.js';
import type { StampRecord } from '../../core/model/stamp.js';

/** `reply` with `text` as its status string (any status string it had is replaced). */
export function relabelReply(reply: Uint8Array, text: string): Uint8Array {
  const outer = readTlv(reply, 0);
  const status = readTlv(reply, outer.contentStart);
  const code = readTlv(reply, status.contentStart); // PKIStatus INTEGER
  let rest = code.end; // failInfo, if any, stays; an old statusString goes
  if (rest < status.end && reply[rest] === 0x30) rest = readTlv(reply, rest).end;
  const freeText = tlv(0x30, tlv(0x0c, Buffer.from(text, 'utf8')));
  const newStatus = tlv(
    0x30,
    reply.subarray(status.contentStart, code.end),
    freeText,
    reply.subarray(rest, status.end),
  );
  return tlv(0x30, newStatus, reply.subarray(status.end, outer.end));
}

/** Inserts `n` newest links copied from `seeds` (round robin), ids `<prefix>-<i>`, one file path each; in one transaction. */
export function insertChainCopies(
  db: Ledger,
  seeds: readonly StampRecord[],
  n: number,
  o: { prefix: string; dir: string; start?: number },
): void {
  mkdirSync(o.dir, { recursive: true });
  db.transaction(() => {
    for (let i = o.start ?? 0; i < (o.start ?? 0) + n; i++) {
      const seed = seeds[i % seeds.length]!;
      const tsr = relabelReply(seed.tsr!, `${o.prefix} ${i}`);
      insertStamp(db, {
        id: `${o.prefix}-${i}`,
        fileSha512: seed.fileSha512,
        imprintAlgorithm: seed.imprintAlgorithm,
        imprint: fromHex(seed.imprintHex),
        label: null,
        filePath: join(o.dir, `${o.prefix}-${i}.txt`),
        tsrPath: null,
        requestedTsa: 'auto',
        createdAt: seed.createdAt,
        token: {
          tsaSlug: seed.tsaSlug!,
          tsaName: seed.tsaName!,
          genTime: seed.genTime!,
          serialHex: seed.serialHex!,
          policyOid: seed.policyOid!,
          tsaCertNotAfter: seed.tsaCertNotAfter,
          tsr,
          tsrSha256: createHash('sha256').update(tsr).digest('hex'),
          qualified: seed.qualified,
        },
      });
    }
  })();
}
