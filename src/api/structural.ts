// Converts a TypeBox JSON schema into a Kubernetes structural OpenAPI v3 schema: keeps
// only structural keys, turns literal unions and consts into `enum`, Records into `additionalProperties`
// maps, drops `additionalProperties: false`, and refuses `$ref`, `anyOf`, `oneOf` that it cannot express.
import { AppError } from '../common/errors.js';
import { isRecord } from '../common/is-record.js';

type Node = Record<string, unknown>;

/** Keys copied as they are, in this order. */
const SCALAR_KEYS = [
  'description',
  'type',
  'enum',
  'default',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'nullable',
] as const;

const FORBIDDEN_KEYS = ['$ref', 'oneOf', 'anyOf', 'allOf', 'not'] as const;

function typeOf(source: Node, path: string): unknown {
  if (source['type'] !== undefined) return source['type'];
  const values = source['enum'];
  if (Array.isArray(values)) return enumType(values, path);
  throw new StructuralSchemaError(path, 'has no type');
}

export class StructuralSchemaError extends AppError {
  constructor(path: string, what: string) {
    super('ERR_INTERNAL', `schema at ${path === '' ? '<root>' : path} cannot be made structural: ${what}`);
  }
}

/** Structural copy of `schema`; `path` is for error messages only. */
export function toStructural(schema: unknown, path = ''): Node {
  if (!isRecord(schema)) throw new StructuralSchemaError(path, 'not an object');
  const source = literalUnionToEnum(schema, path);
  if (FORBIDDEN_KEYS.some((key) => key in source)) {
    throw new StructuralSchemaError(path, 'uses $ref, oneOf, anyOf, allOf or not');
  }
  const out: Node = {};
  if (source['description'] !== undefined) out['description'] = source['description'];
  out['type'] = typeOf(source, path);
  for (const key of SCALAR_KEYS) if (source[key] !== undefined) out[key] = structuredClone(source[key]);
  addEnumMaxLength(out);
  copyProperties(source, out, path);
  copyItemsAndMaps(source, out, path);
  for (const [key, value] of Object.entries(source)) {
    if (key.startsWith('x-kubernetes-')) out[key] = structuredClone(value);
  }
  return out;
}

/** String enums get a maxLength so the apiserver's CEL cost estimate stays bounded. */
function addEnumMaxLength(out: Node): void {
  const values = out['enum'];
  if (out['type'] !== 'string' || !Array.isArray(values) || out['maxLength'] !== undefined) return;
  out['maxLength'] = Math.max(...values.map((v) => String(v).length));
}

function copyProperties(source: Node, out: Node, path: string): void {
  if (!isRecord(source['properties'])) return;
  const props: Node = {};
  for (const [name, child] of Object.entries(source['properties']))
    props[name] = toStructural(child, `${path}.${name}`);
  out['properties'] = props;
  const required = source['required'];
  if (Array.isArray(required) && required.length > 0) out['required'] = required.map(String);
}

function copyItemsAndMaps(source: Node, out: Node, path: string): void {
  if (source['items'] !== undefined) out['items'] = toStructural(source['items'], `${path}[]`);
  const values = mapValues(source, path);
  if (values !== undefined) out['additionalProperties'] = toStructural(values, `${path}[*]`);
}

/** The value schema of a map: TypeBox Records use `patternProperties`, hand-written ones `additionalProperties`. */
function mapValues(source: Node, path: string): unknown {
  const pattern = source['patternProperties'];
  if (isRecord(pattern)) {
    const values = Object.values(pattern);
    if (values.length !== 1) throw new StructuralSchemaError(path, 'maps need exactly one value schema');
    return values[0];
  }
  return isRecord(source['additionalProperties']) ? source['additionalProperties'] : undefined;
}

/** Structural schemas need a `type` everywhere; TypeBox's Enum has none, so derive it from the values. */
function enumType(values: readonly unknown[], path: string): string {
  const types = new Set(
    values.map((v) => (typeof v === 'number' && Number.isInteger(v) ? 'integer' : typeof v)),
  );
  const [only] = types;
  if (types.size !== 1 || only === undefined) throw new StructuralSchemaError(path, 'enum mixes value types');
  return only;
}

/** `anyOf: [{const: 'a'}, {const: 'b'}]` and `const: 'a'` become `enum`, keeping the parent's keywords. */
function literalUnionToEnum(schema: Node, path: string): Node {
  if (schema['const'] !== undefined) {
    const { const: value, ...rest } = schema;
    return { type: typeof value, ...rest, enum: [value] };
  }
  const anyOf = schema['anyOf'];
  if (!Array.isArray(anyOf)) return schema;
  const values: unknown[] = anyOf.map((branch: unknown) => (isRecord(branch) ? branch['const'] : undefined));
  if (values.some((v) => v === undefined))
    throw new StructuralSchemaError(path, 'anyOf is only allowed for literal unions');
  const { anyOf: _ignored, ...rest } = schema;
  return { type: enumType(values, path), ...rest, enum: values };
}
