import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may not go, unless WEBHOOK_ALLOW_PRIVATE: this host, private networks, link-local addresses (the
 * cloud metadata service at 169.254.169.254 among them), shared, reserved, relay and multicast ranges.
 */
const refused = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  refused.addSubnet(net, prefix, 'ipv4');
}

/**
 * IPv6 is allowed, not blocked: only global unicast (2000::/3), less the ranges in it that carry an IPv4 address or
 * reach one (6to4 2002::/16, Teredo 2001::/32 within the IETF block 2001::/23) and documentation ranges. Everything
 * else (loopback, IPv4-compatible ::/96, NAT64 64:ff9b::/96 and 64:ff9b:1::/48, unique local, link- and site-local,
 * multicast) is outside 2000::/3 and refused.
 */
const globalUnicast = new BlockList();
globalUnicast.addSubnet('2000::', 3, 'ipv6');
const refusedGlobal = new BlockList();
for (const [net, prefix] of [
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['3fff::', 20],
] as const) {
  refusedGlobal.addSubnet(net, prefix, 'ipv6');
}

/** Whether an address is one a webhook may not reach; an IPv4 address written as IPv6 (::ffff:a.b.c.d) is judged as IPv4. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return refused.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 4) return refused.check(address, 'ipv4');
  if (family === 6) return !globalUnicast.check(address, 'ipv6') || refusedGlobal.check(address, 'ipv6');
  return true;
}

export class WebhookAddressError extends Error {}

/** The host of a URL as DNS and isIP take it (IPv6 literals without brackets). */
export const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Resolves a webhook's host to the address to connect to: the first one, after every address the name has was
 * checked (a name with one private address among public ones is refused, so no resolver can pick the private one).
 * The request then connects to exactly this address, so a second lookup cannot be answered differently.
 */
export async function resolveWebhookHost(url: URL, allowPrivate: boolean): Promise<{ address: string; family: number }> {
  const host = hostOf(url);
  let addresses: Array<{ address: string; family: number }>;
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch (error) {
      throw new WebhookAddressError(`${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? 'lookup failed'})`);
    }
  }
  if (!addresses.length) throw new WebhookAddressError(`${host} does not resolve`);
  const blocked = addresses.find((a) => isPrivateAddress(a.address));
  if (blocked && !allowPrivate) {
    // Which address is not said: the answer would map a private network for whoever asks.
    throw new WebhookAddressError(
      isIP(host) ? `${host} is a loopback, private, link-local or reserved address` : `${host} resolves to a loopback, private, link-local or reserved address`,
    );
  }
  return addresses[0];
}

/** Longest webhook URL accepted. */
const MAX_URL = 2000;

/** Checks a webhook URL's form: https, a host, no credentials, no fragment. Returns the URL and how it is shown. */
export function parseWebhookUrl(text: string): { url: URL; label: string } {
  let url: URL;
  if (text.length > MAX_URL) throw new WebhookAddressError(`a webhook URL has at most ${MAX_URL} characters`);
  try {
    url = new URL(text.trim());
  } catch {
    throw new WebhookAddressError(`"${text}" is not a URL`);
  }
  if (url.protocol !== 'https:') throw new WebhookAddressError('a webhook URL must be https://');
  if (url.username || url.password) throw new WebhookAddressError('a webhook URL cannot carry a user name or password');
  if (url.hash) throw new WebhookAddressError('a webhook URL cannot have a fragment (#...)');
  if (!url.hostname) throw new WebhookAddressError('a webhook URL needs a host');
  // A query string often carries a token: it is never shown again.
  const label = `${url.origin}${url.pathname}${url.search ? '?…' : ''}`;
  return { url, label };
}
