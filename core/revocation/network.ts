// Limits on the network requests that URLs found in documents can make Sealdesk send (issue 14; RFC 5280 §4.2.2.1
// AIA, §4.2.1.13 CRL DPs): a certificate from a file names where its status is published, so a hostile file could
// point `--online` at the user's own network (SSRF) or make it fetch without end.
//
// Defaults: at most 4 revocation URLs per certificate (the first ones it names, OCSP before CRL), at most 64 network
// fetches per run (one verification of one file, one restamp of one seal, one `chain --online`); answers taken from
// the ledger cache cost nothing. Loopback (127/8, ::1), link-local (169.254/16, fe80::/10), private (10/8, 172.16/12,
// 192.168/16, fc00::/7) and unspecified (0/8, ::) destinations are refused unless `allowPrivateNetwork`
// (`--allow-private-network`). The host name is resolved by the connection's own lookup and every address it
// resolves to is checked there, so the address checked is the address connected to (no DNS-rebinding window).
// The ranges (RFC 6890) are matched with node:net's BlockList.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { CoreError } from '../errors.js';

export type NetworkLimits = {
  /** Let revocation URLs reach loopback, link-local and private addresses (`--allow-private-network`). Default: refused. */
  readonly allowPrivateNetwork?: boolean;
  /** At most this many of a certificate's revocation URLs are used. Default 4. */
  readonly maxUrlsPerCertificate?: number;
  /** At most this many network fetches per run. Default 64. */
  readonly maxUrlsPerRun?: number;
};

export const DEFAULT_NETWORK_LIMITS = { maxUrlsPerCertificate: 4, maxUrlsPerRun: 64 } as const;

const BLOCKED = new BlockList();
const V4 = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const;
const V6 = [
  ['::', 128],
  ['::1', 128],
  ['fe80::', 10],
  ['fc00::', 7],
] as const;
for (const [net, prefix] of V4) BLOCKED.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of V6) BLOCKED.addSubnet(net, prefix, 'ipv6');

/** Why `address` may not be reached without `--allow-private-network`, or null when it may. */
export function privateAddressKind(address: string): string | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1]; // an IPv4-mapped IPv6 address is its IPv4 address
  const ip = mapped ?? address;
  const family = isIP(ip);
  if (family === 0 || !BLOCKED.check(ip, family === 4 ? 'ipv4' : 'ipv6')) return null;
  if (family === 4) {
    const first = Number(ip.split('.')[0]);
    if (first === 127) return 'a loopback address';
    if (first === 169) return 'a link-local address';
    return first === 0 ? 'an unspecified address' : 'a private address';
  }
  const lower = ip.toLowerCase();
  if (lower === '::1') return 'a loopback address';
  if (lower === '::') return 'an unspecified address';
  return /^fe[89ab]/.test(lower) ? 'a link-local address' : 'a private address';
}

const refusal = (host: string, address: string, kind: string) => {
  const what = address === host ? `${host} is ${kind}` : `${host} resolves to ${address}, ${kind}`;
  const why = "a document's revocation URLs may reach only public addresses unless --allow-private-network";
  return new CoreError('REVOCATION_UNAVAILABLE', `refused: ${what} (${why})`);
};

/** Refuses a URL whose host is an IP literal in a blocked range (a literal is connected to without any lookup). */
export function checkLiteralHost(url: URL): void {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const kind = isIP(host) ? privateAddressKind(host) : null;
  if (kind) throw refusal(host, host, kind);
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for net.connect that resolves every address of the host and fails when any of them is blocked. */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    // Every address: a host that resolves to one public and one private address is refused too.
    const blocked = addresses.map((a) => ({ a, kind: privateAddressKind(a.address) })).find((x) => x.kind);
    if (blocked) return callback(refusal(hostname, blocked.a.address, blocked.kind!) as NodeJS.ErrnoException, []);
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
    callback(null, first.address, first.family);
  });
}

/** The network allowance of one run: counts fetches, refuses past the cap. */
export class NetworkBudget {
  private used = 0;
  constructor(readonly limits: NetworkLimits = {}) {}

  get maxUrlsPerCertificate(): number {
    return this.limits.maxUrlsPerCertificate ?? DEFAULT_NETWORK_LIMITS.maxUrlsPerCertificate;
  }

  get allowPrivateNetwork(): boolean {
    return this.limits.allowPrivateNetwork === true;
  }

  /** Takes one fetch from the run's allowance, or throws when the run has used it all. */
  take(): void {
    const max = this.limits.maxUrlsPerRun ?? DEFAULT_NETWORK_LIMITS.maxUrlsPerRun;
    if (this.used >= max) {
      throw new CoreError(
        'REVOCATION_UNAVAILABLE',
        `not fetched: this run already made its ${max} revocation requests (per-run limit)`,
      );
    }
    this.used++;
  }

  get fetches(): number {
    return this.used;
  }
}

const budgets = new WeakMap<object, NetworkBudget>();

/** The budget of the run `key` stands for (one per key object, made on first use). */
export function budgetOf(key: object, limits: NetworkLimits | undefined): NetworkBudget {
  let b = budgets.get(key);
  if (!b) budgets.set(key, (b = new NetworkBudget(limits)));
  return b;
}
