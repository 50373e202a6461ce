// The one guard for "a JSON-style object": not null, not an array. Used wherever untyped input (parsed JSON,
// Kubernetes objects, schema nodes, kubeconfig YAML) is walked key by key.

/** True for any non-null object that is not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value as a record, or an empty one when it is anything else. */
export function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}
