// `sealdesk stamp --qualified --dry-run [--tsa slug] [--json]`: which TSAs a qualified stamp would use (the cached EU
// trusted lists' TSA/QTST services), which are refused and why, and this month's qualified stamps counted apart.
import { planQualified, qualifiedThisMonth } from '../../core/app/qualified-tsa.js';
import { loadSnapshot } from '../../core/tl/store.js';
import { homeDir, withLedger } from '../context.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { printJson } from '../output.js';

export async function qualifiedDryRun(io: CliIo, tsa: string, json: boolean): Promise<ExitCode> {
  const now = new Date();
  const lists = await loadSnapshot(homeDir(io), now);
  return withLedger(io, (db) => {
    const plan = planQualified(db, lists, tsa, now);
    const count = qualifiedThisMonth(db, now);
    const usable = plan.usable.map((u) => ({
      slug: u.provider.slug,
      name: u.provider.name,
      qualified: u.qualification ? true : null,
      service: u.qualification?.service ?? null,
      list: u.qualification?.list ?? null,
      note: u.qualification ? null : 'certificate not known yet: its first token is checked before it is kept',
    }));
    const refused = plan.refused.map((r) => ({ slug: r.provider.slug, reason: r.reason }));
    if (json) {
      printJson(io, { dryRun: true, qualified: true, usable, refused, month: count });
      return EXIT.ok;
    }
    for (const u of usable) {
      const where = u.service ? `${u.service.serviceName} (${u.service.territory}, ${u.service.tspName})` : u.note;
      io.stdout(
        `would use  ${u.slug.padEnd(14)} ${where}${u.list?.stale ? ' — the list is past its next update' : ''}\n`,
      );
    }
    for (const r of refused) io.stdout(`refused    ${r.slug.padEnd(14)} ${r.reason}\n`);
    io.stdout(`qualified stamps in ${count.month}: ${count.qualified} (of ${count.all} stamps)\n`);
    return EXIT.ok;
  });
}
