// Ordering of resourceVersions for the informer cache. Kubernetes calls them
// opaque, but for one object from one apiserver they are decimal etcd revisions: two decimal digit
// strings are compared as BigInt; anything else is "unknown" and callers stay conservative. Pure.

const DECIMAL = /^[0-9]+$/;

/** -1, 0 or 1 when both are decimal digit strings; undefined when either is not (unordered). */
export function compareResourceVersions(
  a: string | undefined,
  b: string | undefined,
): -1 | 0 | 1 | undefined {
  if (a === undefined || b === undefined || !DECIMAL.test(a) || !DECIMAL.test(b)) return undefined;
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** True only when `candidate` is known to be strictly newer than `current`. */
export function isNewerResourceVersion(candidate: string | undefined, current: string | undefined): boolean {
  return compareResourceVersions(candidate, current) === 1;
}
