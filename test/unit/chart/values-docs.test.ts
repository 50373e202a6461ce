// The chart's values and their documentation agree: values.yaml holds exactly the defaults of the values
// schema (src/operator/chart-values.ts), the README's values table and Chart.yaml's Artifact Hub
// annotations are what the generators make of the committed files, and the table generator refuses a
// value without a description.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { chartValuesJsonSchema } from '../../../src/operator/chart-values.js';
import { renderChartYaml } from '../../../scripts/chart/annotations.js';
import { BEGIN, END, renderChartReadme, valuesTable } from '../../../scripts/chart/readme.js';
import { repoRoot } from '../../controlplane/src/paths.js';
import { chartDir } from '../../helpers/chart-render.js';

type Node = Record<string, unknown>;

const read = (...p: string[]): string => readFileSync(join(...p), 'utf8');
const schema = chartValuesJsonSchema() as Node;

/** The values tree the schema's defaults describe (objects without a default are built from their properties). */
function defaults(node: Node): unknown {
  if ('default' in node) return node['default'];
  const props = node['properties'] as Record<string, Node> | undefined;
  if (props === undefined) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, child] of Object.entries(props)) {
    const v = defaults(child);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

t.test('values.yaml holds the defaults of the values schema', async (t) => {
  t.same(parse(read(chartDir, 'values.yaml')), defaults(schema));
});

t.test('the README values table is generated from the schema', async (t) => {
  const readme = read(chartDir, 'README.md');
  t.equal(renderChartReadme(readme, schema), readme, 'README.md is current (npm run gen:manifests)');
  const table = valuesTable(schema);
  for (const key of [
    'crds.install',
    'crds.keep',
    'podDisruptionBudget.minAvailable',
    'networkPolicy.apiServer.cidrs',
  ])
    t.match(table, `| \`${key}\``, `a row for ${key}`);
  t.match(
    table,
    /\| `image.pullPolicy` +\| `string` +\| `"IfNotPresent"` +\| .*; one of `Always`, `IfNotPresent`, `Never` /,
  );
  t.match(table, /\| `podDisruptionBudget.maxUnavailable` +\| `integer or string` +\| +\|/);
});

t.test('the table generator needs a description for every value and both markers', async (t) => {
  const bare = {
    type: 'object',
    properties: { a: { type: 'object', properties: { b: { type: 'string' } } } },
  };
  t.throws(() => valuesTable(bare), /chart value a\.b has no description/);
  t.throws(() => renderChartReadme(`${END}\n${BEGIN}\n`, schema), /needs the markers/);
  t.throws(() => renderChartReadme('# no markers\n', schema), /needs the markers/);
});

t.test("Chart.yaml's Artifact Hub annotations follow the chart, the CRD and the sample", async (t) => {
  const chartYaml = read(chartDir, 'Chart.yaml');
  const inputs = {
    chartYaml,
    valuesYaml: read(chartDir, 'values.yaml'),
    crdYaml: read(repoRoot, 'crds', 'anylogmaster.yaml'),
    exampleYaml: read(repoRoot, 'manifests', 'samples', 'anylogmaster-embedded.yaml'),
  };
  t.equal(renderChartYaml(inputs), chartYaml, 'Chart.yaml is current (npm run gen:manifests)');
  const chart = parse(chartYaml);
  const values = parse(inputs.valuesYaml);
  const a = chart.annotations as Record<string, string>;
  t.equal(a['artifacthub.io/license'], 'Apache-2.0');
  t.equal(a['artifacthub.io/operator'], 'true');
  t.same(parse(a['artifacthub.io/images']!), [
    { name: 'anylog-operator', image: `${values.image.repository}:${chart.appVersion}` },
    { name: 'ledger', image: values.ledgerImage },
  ]);
  const crd = parse(inputs.crdYaml);
  t.match(parse(a['artifacthub.io/crds']!), [
    { kind: 'AnyLogMaster', version: crd.spec.versions[0].name, name: crd.metadata.name },
  ]);
  t.same(parse(a['artifacthub.io/crdsExamples']!), [parse(inputs.exampleYaml)]);
  for (const link of parse(a['artifacthub.io/links']!)) t.match(link, { name: String, url: /^https:\/\// });
  const other = { ...inputs, chartYaml: `${chartYaml.slice(0, chartYaml.indexOf('#'))}annotations: {}\n` };
  t.throws(() => renderChartYaml(other), /annotations outside the generated block/);
});
