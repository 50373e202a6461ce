// The CRD as a chart template: rendered from crds/anylogmaster.yaml unchanged in everything but the chart's
// labels and the keep annotation, switched by crds.install and crds.keep, and never also shipped in the
// chart's install-only crds/ directory (Helm would then apply two copies of it).
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../../controlplane/src/paths.js';
import { renderCrdTemplate } from '../../../scripts/chart/crd-template.js';
import { chartDir, only, render } from '../../helpers/chart-render.js';

const crdFile = readFileSync(join(repoRoot, 'crds', 'anylogmaster.yaml'), 'utf8');
const crd = parse(crdFile);

t.test('the default render carries the CRD with the keep annotation', async (t) => {
  const objs = await render();
  const rendered = only(objs, 'CustomResourceDefinition');
  t.same(rendered.spec, crd.spec, 'spec equals crds/anylogmaster.yaml');
  t.equal(rendered.metadata.name, crd.metadata.name);
  t.match(rendered.metadata.labels, crd.metadata.labels, "the CRD's own labels stay");
  t.equal(rendered.metadata.labels['app.kubernetes.io/managed-by'], 'Helm');
  t.same(rendered.metadata.annotations, { 'helm.sh/resource-policy': 'keep' });
});

t.test('crds.keep=false drops the annotation, crds.install=false the CRD', async (t) => {
  const loose = only(await render(['crds.keep=false']), 'CustomResourceDefinition');
  t.equal(loose.metadata.annotations, undefined, 'no keep annotation');
  t.same(loose.spec, crd.spec);
  const none = await render(['crds.install=false']);
  t.equal(none.filter((o) => o.kind === 'CustomResourceDefinition').length, 0, 'no CRD');
  t.ok(
    none.some((o) => o.kind === 'Deployment'),
    'the rest of the chart renders',
  );
});

t.test('the chart has no crds/ directory', async (t) => {
  t.notOk(existsSync(join(chartDir, 'crds')), 'charts/anylog-operator/crds does not exist');
});

t.test('the committed template is the generator output', async (t) => {
  const committed = readFileSync(join(chartDir, 'templates', 'crd-anylogmaster.yaml'), 'utf8');
  t.equal(committed, renderCrdTemplate(crdFile), 'npm run gen:manifests is current');
});

t.test('template delimiters inside the CRD are refused', async (t) => {
  const braces = crdFile.replace('description: ledger mode', 'description: "{{ .Values.x }}"');
  t.not(braces, crdFile, 'the test changed a description');
  t.throws(() => renderCrdTemplate(braces), /would evaluate/);
  t.throws(() => renderCrdTemplate('apiVersion: v1\nkind: ConfigMap\n'), /not a CRD/);
});
