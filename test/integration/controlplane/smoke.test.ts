// Smoke test of the real control plane: readiness,
// version, the runner's node, RBAC enforcement, a CRD with schema validation and a status subresource,
// garbage collection of owned objects, and Pod Security admission in a restricted namespace.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { binaries, readVersions } from '../../controlplane/src/paths.js';
import {
  getJson,
  kubectl,
  kubectlOk,
  testNamespace,
  waitCrdEstablished,
  waitUntil,
} from '../../helpers/cluster.js';
import type { KubeObject } from '../../helpers/cluster.js';

// Waits for real controllers and processes: more than tap's default per-file timeout.
t.setTimeout(300_000);

const version = readVersions().k8sVersion;

t.test('apiserver is ready and reports the built version', async (t) => {
  t.equal((await kubectlOk(['get', '--raw', '/readyz'])).trim(), 'ok');
  const v = JSON.parse(await kubectlOk(['get', '--raw', '/version']));
  t.equal(v.gitVersion, version, '/version reports the version of versions.env');
  t.equal(execFileSync(binaries().apiserver, ['--version']).toString().trim(), `Kubernetes ${version}`);
});

t.test('the runner node is Ready with the apiserver version', async (t) => {
  const node = await getJson(['node', 'local-node-0']);
  const ready = node.status.conditions.find((c: KubeObject) => c.type === 'Ready');
  t.equal(ready?.status, 'True');
  t.equal(node.status.nodeInfo.kubeletVersion, version);
});

t.test('RBAC: a ServiceAccount without a Role is denied, with one it is allowed', async (t) => {
  const ns = await testNamespace(t, 'rbac');
  await kubectlOk(['-n', ns, 'create', 'serviceaccount', 'nobody']);
  const token = (await kubectlOk(['-n', ns, 'create', 'token', 'nobody'])).trim();
  const asSa = (args: string[]) => kubectl(['--token', token, ...args]);
  const denied = await asSa(['-n', ns, 'get', 'configmaps']);
  t.not(denied.code, 0, 'listing configmaps without a Role fails');
  t.match(denied.stderr, /forbidden/i);
  await kubectlOk(['-n', ns, 'create', 'role', 'cm-reader', '--verb=get,list', '--resource=configmaps']);
  await kubectlOk([
    '-n',
    ns,
    'create',
    'rolebinding',
    'cm-reader',
    '--role=cm-reader',
    `--serviceaccount=${ns}:nobody`,
  ]);
  const allowed = await waitUntil(
    'RBAC to allow the bound ServiceAccount',
    async () => {
      const r = await asSa(['-n', ns, 'get', 'configmaps', '-o', 'name']);
      return r.code === 0 ? r : undefined;
    },
    20_000,
  );
  t.match(allowed.stdout, /configmap\/kube-root-ca.crt/);
  const stillDenied = await asSa(['-n', ns, 'delete', 'configmap', 'kube-root-ca.crt']);
  t.not(stillDenied.code, 0, 'verbs outside the Role stay forbidden');
});

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.cptest.anylog.test' },
  spec: {
    group: 'cptest.anylog.test',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['size'],
                properties: { size: { type: 'integer', minimum: 1, maximum: 10 } },
              },
              status: { type: 'object', properties: { phase: { type: 'string' } } },
            },
          },
        },
      },
    ],
  },
};

t.test('CRD: schema validation, status subresource and garbage collection', async (t) => {
  const ns = await testNamespace(t, 'crd');
  await kubectlOk(['apply', '--server-side', '-f', '-'], { input: JSON.stringify(crd) });
  t.teardown(() => kubectl(['delete', 'crd', crd.metadata.name, '--wait=false']));
  await waitCrdEstablished(crd.metadata.name);
  const widget = (name: string, size: unknown) =>
    JSON.stringify({
      apiVersion: 'cptest.anylog.test/v1',
      kind: 'Widget',
      metadata: { name, namespace: ns },
      spec: { size },
    });
  const bad = await kubectl(['apply', '-f', '-'], { input: widget('bad', 99) });
  t.not(bad.code, 0, 'size 99 violates the schema');
  t.match(bad.stderr, /spec\.size/);
  await waitUntil(
    'the Widget kind to be served',
    async () => (await kubectl(['apply', '-f', '-'], { input: widget('w1', 3) })).code === 0,
    30_000,
  );
  await kubectlOk([
    '-n',
    ns,
    'patch',
    'widget',
    'w1',
    '--subresource=status',
    '--type=merge',
    '-p',
    '{"status":{"phase":"Ready"}}',
  ]);
  const w1 = await getJson(['-n', ns, 'widget', 'w1']);
  t.equal(w1.status.phase, 'Ready', 'status written through the status subresource');
  await kubectlOk([
    '-n',
    ns,
    'patch',
    'widget',
    'w1',
    '--type=merge',
    '-p',
    '{"status":{"phase":"Ignored"},"spec":{"size":4}}',
  ]);
  const w1b = await getJson(['-n', ns, 'widget', 'w1']);
  t.equal(w1b.status.phase, 'Ready', 'the main resource ignores status changes');
  t.equal(w1b.spec.size, 4);

  // An owned ConfigMap goes with its owner.
  await kubectlOk(['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'owned',
        namespace: ns,
        ownerReferences: [
          { apiVersion: 'cptest.anylog.test/v1', kind: 'Widget', name: 'w1', uid: w1.metadata.uid },
        ],
      },
      data: { a: 'b' },
    }),
  });
  await kubectlOk(['-n', ns, 'delete', 'widget', 'w1']);
  await waitUntil(
    'the garbage collector to delete the owned ConfigMap',
    async () => (await kubectl(['-n', ns, 'get', 'configmap', 'owned'])).code !== 0,
    60_000,
    500,
  );
  t.pass('owned ConfigMap garbage-collected');
});

t.test('Pod Security admission: a restricted namespace rejects a privileged pod', async (t) => {
  const ns = await testNamespace(t, 'psa', { 'pod-security.kubernetes.io/enforce': 'restricted' });
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'priv', namespace: ns },
    spec: {
      containers: [
        {
          name: 'c',
          image: 'example.invalid/x',
          command: ['sleep', '60'],
          securityContext: { privileged: true },
        },
      ],
    },
  };
  const r = await kubectl(['apply', '-f', '-'], { input: JSON.stringify(pod) });
  t.not(r.code, 0);
  t.match(r.stderr, /violates PodSecurity "restricted/);
});
