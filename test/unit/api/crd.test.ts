import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import Type from 'typebox';
import { buildCrd, crdOpenApiSchema, renderCrdYaml } from '../../../src/api/crd.js';
import { markdownTable, renderReferenceDoc } from '../../../src/api/reference-doc.js';
import { StructuralSchemaError, toStructural } from '../../../src/api/structural.js';
import { CEL } from '../../../src/api/cel-rules.js';
import { repoRoot } from '../../helpers/vectors.js';
import { isRecord } from '../../../src/common/is-record.js';

type Node = Record<string, unknown>;

const ALLOWED = new Set([
  'type',
  'properties',
  'items',
  'additionalProperties',
  'required',
  'enum',
  'default',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'pattern',
  'description',
  'nullable',
]);

interface Visit {
  readonly path: string;
  readonly node: Node;
}

/** Every schema node (not `default` values), with its path. */
function nodes(node: Node, path = ''): Visit[] {
  const out: Visit[] = [{ path, node }];
  if (isRecord(node['properties'])) {
    for (const [k, v] of Object.entries(node['properties']))
      if (isRecord(v)) out.push(...nodes(v, `${path}.${k}`));
  }
  if (isRecord(node['items'])) out.push(...nodes(node['items'], `${path}[]`));
  if (isRecord(node['additionalProperties'])) out.push(...nodes(node['additionalProperties'], `${path}[*]`));
  return out;
}

const schema = crdOpenApiSchema();
const all = nodes(schema);

t.test('the CRD schema is structural: only allowed keys, a type everywhere', async (t) => {
  t.ok(all.length > 80, `walked ${all.length} nodes`);
  for (const { path, node } of all) {
    for (const key of Object.keys(node)) {
      t.ok(ALLOWED.has(key) || key.startsWith('x-kubernetes-'), `${path}: key ${key} allowed`);
    }
    t.ok(typeof node['type'] === 'string', `${path} has a type`);
    t.not(node['additionalProperties'], false, `${path} has no additionalProperties: false`);
  }
  const text = JSON.stringify(schema);
  for (const forbidden of [
    '"$id"',
    '"$ref"',
    '"anyOf"',
    '"oneOf"',
    '"allOf"',
    '"const"',
    '"patternProperties"',
    '~kind',
  ]) {
    t.notMatch(text, forbidden, `no ${forbidden}`);
  }
});

t.test('every string has maxLength, every list maxItems, every map maxProperties', async (t) => {
  for (const { path, node } of all) {
    if (node['type'] === 'string') t.type(node['maxLength'], 'number', `${path} maxLength`);
    if (node['type'] === 'array') t.type(node['maxItems'], 'number', `${path} maxItems`);
    if (node['type'] === 'object' && isRecord(node['additionalProperties'])) {
      t.type(node['maxProperties'], 'number', `${path} maxProperties`);
    }
  }
});

t.test('parents of defaulted fields default to {}', async (t) => {
  const spec = (schema['properties'] as Node)['spec'] as Node;
  const props = spec['properties'] as Node;
  for (const name of ['network', 'location', 'storage', 'service', 'scheduling']) {
    t.same((props[name] as Node)['default'], {}, `${name} defaults to {}`);
  }
  const advertise = ((props['network'] as Node)['properties'] as Node)['advertise'] as Node;
  t.same(advertise['default'], {});
  t.same((props['ledger'] as Node)['default'], { embedded: {} });
  t.same(spec['required'], ['nodeName', 'company']);
});

t.test('every CEL rule is attached with its message', async (t) => {
  const attached = all.flatMap(({ path, node }) => {
    const v = node['x-kubernetes-validations'];
    return Array.isArray(v) ? v.map((r: Node) => ({ path, rule: r['rule'], message: r['message'] })) : [];
  });
  for (const [id, rule] of Object.entries(CEL)) {
    t.ok(
      attached.some((a) => a.rule === rule.rule && a.message === rule.message),
      `${id} attached`,
    );
  }
  const where = (message: string): string[] =>
    attached.filter((a) => a.message === message).map((a) => a.path);
  t.same(where(CEL.C1.message), ['.spec.ledger']);
  t.same(where(CEL.C6.message), ['.spec.network']);
  t.same(where(CEL.C10.message), ['.spec']);
  t.same(where(CEL.C11.message), ['']);
  t.same(where(CEL.C3.message), ['.spec.nodeName', '.spec.company']);
  t.same(where(CEL.C5.message).sort(), ['.spec.ledger.managed.storage', '.spec.storage']);
  t.same(where(CEL.C13.message).length, 6, 'C13 on both sizes and the four resource maps');
});

t.test('status list-maps are keyed by required fields', async (t) => {
  const status = ((schema['properties'] as Node)['status'] as Node)['properties'] as Node;
  for (const [list, key, max] of [
    ['conditions', 'type', 16],
    ['processes', 'name', 64],
  ] as const) {
    const node = status[list] as Node;
    t.equal(node['x-kubernetes-list-type'], 'map');
    t.same(node['x-kubernetes-list-map-keys'], [key]);
    t.equal(node['maxItems'], max);
    t.ok(((node['items'] as Node)['required'] as string[]).includes(key));
  }
  const message = ((status['conditions'] as Node)['items'] as Node)['properties'] as Node;
  t.equal((message['message'] as Node)['maxLength'], 1024);
});

t.test('CRD identity and printer columns', async (t) => {
  const crd = buildCrd();
  t.match(crd, {
    apiVersion: 'apiextensions.k8s.io/v1',
    metadata: { name: 'anylogmasters.anylog.co' },
    spec: {
      group: 'anylog.co',
      scope: 'Namespaced',
      names: {
        kind: 'AnyLogMaster',
        listKind: 'AnyLogMasterList',
        plural: 'anylogmasters',
        singular: 'anylogmaster',
        shortNames: ['alm'],
        categories: ['anylog'],
      },
    },
  });
  const version = ((crd['spec'] as Node)['versions'] as Node[])[0] as Node;
  t.match(version, { name: 'v1alpha1', served: true, storage: true, subresources: { status: {} } });
  const columns = version['additionalPrinterColumns'] as Node[];
  t.same(
    columns.map((c) => [c['name'], c['priority']]),
    [
      ['Ready', 0],
      ['Phase', 0],
      ['Node', 0],
      ['Ledger', 0],
      ['Address', 1],
      ['Policy', 1],
      ['Age', 0],
    ],
  );
  t.equal(columns[0]?.['jsonPath'], '.status.conditions[?(@.type=="Ready")].status');
  t.equal(columns[6]?.['type'], 'date');
});

t.test('the committed CRD and reference doc match the generators (drift)', async (t) => {
  const committed = readFileSync(join(repoRoot, 'crds', 'anylogmaster.yaml'), 'utf8');
  t.equal(committed, renderCrdYaml(), 'crds/anylogmaster.yaml is current (npm run gen:crds)');
  t.same(parse(committed), buildCrd());
  const doc = readFileSync(join(repoRoot, 'docs', 'reference', 'anylogmaster.md'), 'utf8');
  t.equal(
    doc,
    renderReferenceDoc(),
    'docs/reference/anylogmaster.md is current (anylog-operator docs --write)',
  );
  t.equal(renderCrdYaml(), renderCrdYaml(), 'deterministic');
});

t.test('the reference doc lists every spec field with its default', async (t) => {
  const doc = renderReferenceDoc();
  for (const { path, node } of nodes((schema['properties'] as Node)['spec'] as Node, 'spec')) {
    // The items of a list of strings are described by the list's own row.
    const stringItem = path.endsWith('[]') && node['type'] === 'string';
    if (!path.includes('[*]') && !stringItem) t.match(doc, `\n| \`${path}\` `, `${path} documented`);
  }
  t.match(doc, /\| `spec\.network\.tcpPort` +\| `integer` +\| +\| `32048` +\| range 1024–65535 +\|/);
  t.match(doc, 'exactly one of ledger.external, ledger.managed, ledger.embedded must be set');
});

t.test('markdown tables are padded like Prettier formats them', async (t) => {
  t.same(
    markdownTable(
      ['A', 'Long header'],
      [
        ['x', 'y'],
        ['wide cell', ''],
      ],
    ),
    [
      '| A         | Long header |',
      '| --------- | ----------- |',
      '| x         | y           |',
      '| wide cell |             |',
    ],
  );
});

t.test('toStructural converts literal unions and consts, and refuses what it cannot express', async (t) => {
  const union = Type.Union([Type.Literal('a'), Type.Literal('b')], { default: 'a', description: 'd' });
  t.same(toStructural(union), {
    description: 'd',
    type: 'string',
    enum: ['a', 'b'],
    default: 'a',
    maxLength: 1,
  });
  t.same(toStructural(Type.Literal(3)), { type: 'number', enum: [3] });
  t.same(toStructural(Type.Enum([1, 2])), { type: 'integer', enum: [1, 2] });
  t.same(toStructural(Type.Record(Type.String(), Type.Integer(), { maxProperties: 2 })), {
    type: 'object',
    maxProperties: 2,
    additionalProperties: { type: 'integer' },
  });
  t.same(toStructural(Type.Object({ a: Type.Optional(Type.String()) }, { additionalProperties: false })), {
    type: 'object',
    properties: { a: { type: 'string' } },
  });
  t.throws(() => toStructural(Type.Union([Type.String(), Type.Number()])), StructuralSchemaError);
  t.throws(() => toStructural({ $ref: '#/x' }), StructuralSchemaError);
  t.throws(() => toStructural({ description: 'no type' }), StructuralSchemaError);
  t.throws(() => toStructural(Type.Enum(['a', 1])), StructuralSchemaError);
  t.throws(() => toStructural('nope'), StructuralSchemaError);
  t.throws(() =>
    toStructural({ type: 'object', patternProperties: { a: { type: 'string' }, b: { type: 'string' } } }),
  );
});
