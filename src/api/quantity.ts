// TypeScript twin of the Kubernetes CEL quantity library as C13 uses it: `isQuantity(s)` and the sign of
// `quantity(s)`. Follows the apimachinery grammar: sign, decimal number, then a binary-SI, decimal-SI or
// exponent suffix (`128Mi`, `100m`, `1.5G`, `1e3`).

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

/** Whether `text` parses as a Kubernetes resource quantity. */
export function isQuantity(text: string): boolean {
  return QUANTITY.test(text);
}

/** -1, 0 or 1 for a valid quantity; undefined when it does not parse. */
export function quantitySign(text: string): -1 | 0 | 1 | undefined {
  const match = QUANTITY.exec(text);
  if (match === null) return undefined;
  const digits = match[2] ?? '';
  if (!/[1-9]/.test(digits)) return 0;
  return match[1] === '-' ? -1 : 1;
}

/** C13: a quantity greater than zero. */
export function isPositiveQuantity(text: string): boolean {
  return quantitySign(text) === 1;
}
