// Turns TypeBox validation errors into problems worded like the Kubernetes apiserver's OpenAPI errors
// ("spec.network.tcpPort: Invalid value: 70000: spec.network.tcpPort in body should be less than or equal
// to 65535"), so one expected message per invalid fixture matches both validators.
import { Settings } from 'typebox/system';
import { Compile } from 'typebox/compile';
import type { TSchema } from 'typebox';
import { isRecord } from '../common/is-record.js';

export interface ValidationProblem {
  /** Field path in Kubernetes notation (`spec.network.tcpPort`, `spec.tolerations[0]`); '' for the root. */
  readonly path: string;
  readonly message: string;
}

interface RawError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Record<string, unknown>;
}

type SchemaNode = Record<string, unknown>;

/** Every schema error of `value`, in apiserver wording (TypeBox caps errors at 8 by default; we lift it). */
export function schemaProblems(schema: TSchema, value: unknown): ValidationProblem[] {
  const validator = Compile(schema);
  if (validator.Check(value)) return [];
  const settings = Settings.Get();
  const saved = settings.maxErrors;
  Settings.Set({ maxErrors: 1000 });
  try {
    const errors = validator.Errors(value) as unknown as RawError[];
    return errors.flatMap((e) => toProblems(schema as unknown as SchemaNode, value, e));
  } finally {
    Settings.Set({ maxErrors: saved });
  }
}

function toProblems(root: SchemaNode, value: unknown, error: RawError): ValidationProblem[] {
  const segments = error.instancePath.split('/').slice(1).map(unescapePointer);
  const path = kubePath(root, segments);
  const actual = segments.reduce<unknown>(
    (v, s) => (isRecord(v) || Array.isArray(v) ? (v as Record<string, unknown>)[s] : undefined),
    value,
  );
  const p = error.params;
  switch (error.keyword) {
    case 'required':
      return asStrings(p['requiredProperties']).map((k) => ({
        path: join(path, k),
        message: `${join(path, k)}: Required value`,
      }));
    case 'additionalProperties':
      return asStrings(p['additionalProperties']).map((k) => ({
        path: join(path, k),
        message: `unknown field "${join(path, k)}"`,
      }));
    case 'boolean':
      return [];
    default:
      return [{ path, message: `${path}: ${describe(error.keyword, path, actual, p)}` }];
  }
}

function describe(keyword: string, path: string, actual: unknown, p: Record<string, unknown>): string {
  const shown = typeof actual === 'string' ? JSON.stringify(actual) : String(actual);
  const limit = String(p['limit']);
  switch (keyword) {
    case 'type':
      return `Invalid value: "${jsonType(actual)}": ${path} in body must be of type ${String(p['type'])}: "${jsonType(actual)}"`;
    case 'enum':
      return `Unsupported value: ${JSON.stringify(actual)}: supported values: ${asStrings(p['allowedValues'])
        .map((v) => `"${v}"`)
        .join(', ')}`;
    case 'minimum':
      return `Invalid value: ${shown}: ${path} in body should be greater than or equal to ${limit}`;
    case 'maximum':
      return `Invalid value: ${shown}: ${path} in body should be less than or equal to ${limit}`;
    case 'minLength':
      return `Invalid value: ${shown}: ${path} in body should be at least ${limit} chars long`;
    case 'maxLength':
      return `Too long: may not be more than ${limit} bytes`;
    case 'pattern':
      return `Invalid value: ${shown}: ${path} in body should match '${String(p['pattern'])}'`;
    case 'maxItems':
    case 'maxProperties':
      return `Too many: ${sizeOf(actual)}: must have at most ${limit} items`;
    default:
      return `Invalid value: ${shown}: ${keyword}`;
  }
}

/** Walk the schema along the JSON pointer to tell map keys (`[key]`) from fields (`.field`). */
function kubePath(root: SchemaNode, segments: readonly string[]): string {
  let node: SchemaNode | undefined = root;
  let out = '';
  for (const seg of segments) {
    const props: SchemaNode | undefined = node === undefined ? undefined : asNode(node['properties']);
    if (props !== undefined && seg in props) {
      out = join(out, seg);
      node = asNode(props[seg]);
    } else if (node !== undefined && node['type'] === 'array') {
      out = `${out}[${seg}]`;
      node = asNode(node['items']);
    } else {
      out = `${out}[${seg}]`;
      node = mapValueSchema(node);
    }
  }
  return out;
}

function mapValueSchema(node: SchemaNode | undefined): SchemaNode | undefined {
  const pattern = node === undefined ? undefined : asNode(node['patternProperties']);
  if (pattern === undefined) return undefined;
  return asNode(Object.values(pattern)[0]);
}

const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);
const unescapePointer = (s: string): string => s.replaceAll('~1', '/').replaceAll('~0', '~');
const asNode = (v: unknown): SchemaNode | undefined => (isRecord(v) ? v : undefined);
const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function sizeOf(v: unknown): number {
  if (Array.isArray(v)) return v.length;
  return isRecord(v) ? Object.keys(v).length : 0;
}
