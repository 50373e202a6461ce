// TypeScript twins of the Kubernetes CEL IP and CIDR libraries as C9 and the source-range rule use them:
// `isIP`, `ip(s).family()`, `ip(s).isLoopback()`, `isCIDR`. Like Kubernetes, IPv4 octets with leading
// zeros, zones and IPv4-mapped IPv6 forms are rejected. No node:net here (rule D6).

const OCTET = /^(0|[1-9]\d{0,2})$/;

/** Whether `text` is a dotted-quad IPv4 address. */
export function isIPv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => OCTET.test(p) && Number(p) <= 255);
}

const HEXTET = /^[0-9a-fA-F]{1,4}$/;

/** Whether `text` is an IPv6 address in hex notation (no zone, no embedded IPv4). */
export function isIPv6(text: string): boolean {
  if (text.length > 39 || !text.includes(':')) return false;
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  const all = [...head, ...tail];
  if (!all.every((g) => HEXTET.test(g))) return false;
  return halves.length === 2 ? all.length <= 7 : all.length === 8;
}

/** CEL `isIP`. */
export function isIP(text: string): boolean {
  return isIPv4(text) || isIPv6(text);
}

/** CEL `ip(s).family()` for a valid address. */
export function ipFamily(text: string): 4 | 6 {
  return isIPv4(text) ? 4 : 6;
}

/** CEL `ip(s).isLoopback()`: 127.0.0.0/8 or ::1. */
export function isLoopback(text: string): boolean {
  if (isIPv4(text)) return text.startsWith('127.');
  return isIPv6(text) && /^(0{0,4}:){0,7}:?0{0,3}1$/.test(text) && expandsToLoopback(text);
}

function expandsToLoopback(text: string): boolean {
  const compact = text.replace(/(^|:)0+(?=[0-9a-fA-F])/g, '$1');
  return compact === '::1' || compact === '0:0:0:0:0:0:0:1';
}

/** C9: a non-loopback IPv4 address. */
export function isNonLoopbackIPv4(text: string): boolean {
  return isIPv4(text) && !isLoopback(text);
}

/** CEL `isCIDR`: an address, a slash and a prefix length valid for its family. */
export function isCIDR(text: string): boolean {
  const slash = text.indexOf('/');
  if (slash < 0) return false;
  const address = text.slice(0, slash);
  const bits = text.slice(slash + 1);
  if (!/^(0|[1-9]\d{0,2})$/.test(bits)) return false;
  if (isIPv4(address)) return Number(bits) <= 32;
  return isIPv6(address) && Number(bits) <= 128;
}
