// PURE: does a live child already hold every field the operator would apply? Server-side apply of an
// unchanged object is a no-op on the server but still a write request, so at steady state the children
// step compares the rendered object with the cached one and skips the PATCH (so a
// steady state makes zero API writes). Fields the apiserver defaults or other managers own are ignored.
import { isRecord } from '../../common/is-record.js';

/** Empty lists and maps: the apiserver drops them (Go `omitempty`), so they match an absent field. */
function isEmpty(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  return isRecord(value) && Object.values(value).every((v) => v === undefined || isEmpty(v));
}

/** Every field of `desired` is present in `live` with the same value; extra live fields are ignored. */
export function isSubset(desired: unknown, live: unknown): boolean {
  if ((live === undefined || live === null) && isEmpty(desired)) return true;
  if (Array.isArray(desired)) {
    if (!Array.isArray(live)) return false;
    const items: readonly unknown[] = live;
    return desired.length === items.length && desired.every((item, i) => isSubset(item, items[i]));
  }
  if (isRecord(desired)) {
    if (!isRecord(live)) return false;
    return Object.entries(desired).every(([key, value]) =>
      value === undefined ? true : isSubset(value, live[key]),
    );
  }
  return desired === live;
}

/** The parts of a rendered object that the comparison covers (identity fields and status excluded). */
function comparable(object: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, status: _s, metadata, ...rest } = object;
  const meta = isRecord(metadata) ? metadata : {};
  return {
    ...rest,
    metadata: {
      labels: meta['labels'],
      annotations: meta['annotations'],
      ownerReferences: meta['ownerReferences'],
    },
  };
}

/** True when `live` is missing or lacks something of `desired`, so an apply is needed. */
export function needsApply(desired: Readonly<Record<string, unknown>>, live: unknown): boolean {
  if (!isRecord(live)) return true;
  return !isSubset(comparable(desired), live);
}
