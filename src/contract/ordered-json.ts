// Order-preserving JSON model for policies (anylog-node.md §7.2): object keys keep text order,
// duplicate keys keep their first position and last value, integers stay exact (bigint).
// Placeholder types; the parser and the Python repr / json.dumps writers live beside it.

export type JsonValue = null | boolean | bigint | JsonFloat | string | readonly JsonValue[] | JsonObject;

/** A non-integer JSON number (IEEE double), kept apart from integers for repr (`1.0`). */
export interface JsonFloat {
  readonly kind: 'float';
  readonly value: number;
}

/** An ordered object: entries in key order, unique keys. */
export interface JsonObject {
  readonly kind: 'object';
  readonly entries: Array<[string, JsonValue]>;
}
