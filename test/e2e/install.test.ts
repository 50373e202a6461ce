// End-to-end install paths against the real control plane:
// helm lint, the CRD server-side, server dry runs of the chart and manifests/install.yaml, Pod Security
// "restricted" admission of the operator and node pods, `helm install --wait` running the operator under
// the chart's ServiceAccount (the runner gives it a TokenRequest kubeconfig, so the chart's RBAC is what
// the operator gets), an embedded sample to Ready, `helm uninstall`, then the same with install.yaml.
import t, { type Test } from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { repoRoot } from '../controlplane/src/paths.js';
import {
  condition,
  describeMaster,
  getJson,
  helm,
  kubectl,
  kubectlOk,
  namespaceLogs,
  testNamespace,
  waitUntil,
  type KubeObject,
} from '../helpers/cluster.js';

// Real processes, real controllers and two operator installs: well beyond tap's default timeout.
t.setTimeout(900_000);

const chart = join(repoRoot, 'charts', 'anylog-operator');
const testValues = join(repoRoot, 'test', 'fixtures', 'values', 'e2e.yaml');
const installYaml = join(repoRoot, 'manifests', 'install.yaml');
const restricted = { 'pod-security.kubernetes.io/enforce': 'restricted' };
const release = 'anylog-operator';

/** The embedded sample in `ns`, binding its pod IP (several nodes share the host's loopback). */
function embeddedSample(ns: string, name: string): string {
  const doc = parse(
    readFileSync(join(repoRoot, 'manifests', 'samples', 'anylogmaster-embedded.yaml'), 'utf8'),
  );
  doc.metadata = { ...doc.metadata, name, namespace: ns };
  doc.spec.network = { ...(doc.spec.network ?? {}), tcpBind: true, restBind: true };
  return JSON.stringify(doc);
}

/** Applies the embedded sample, waits with `kubectl wait` for Ready, and checks the node pod. */
async function sampleReady(t: Test, ns: string, name: string, timeout: string): Promise<void> {
  await kubectlOk(['apply', '--server-side', '-f', '-'], { input: embeddedSample(ns, name) });
  const wait = await kubectl(
    ['-n', ns, 'wait', '--for=condition=Ready', `anylogmaster/${name}`, `--timeout=${timeout}`],
    { timeoutMs: 300_000 },
  );
  if (wait.code !== 0)
    t.comment(`${ns}/${name} not Ready:\n${await describeMaster(ns, name)}\n${namespaceLogs(ns, 40)}`);
  t.equal(wait.code, 0, `kubectl wait --for=condition=Ready alm/${name}: ${wait.stderr}`);
  const cr = await getJson(['-n', ns, 'anylogmaster', name]);
  t.equal(condition(cr, 'Ready')?.status, 'True');
  t.equal(cr.status?.observedGeneration, cr.metadata.generation);
  const pod = await getJson(['-n', ns, 'pod', `${name}-0`]);
  t.equal(pod.status.phase, 'Running', 'the node pod was admitted and runs');
}

/** Deletes the CR and waits until the operator has removed its finalizer and the object is gone. */
async function deleteSample(t: Test, ns: string, name: string): Promise<void> {
  const del = await kubectl(['-n', ns, 'delete', 'anylogmaster', name, '--wait=true', '--timeout=120s'], {
    timeoutMs: 150_000,
  });
  t.equal(del.code, 0, `the operator finished the deletion: ${del.stderr}`);
}

/** The operator Deployment's pod template as a Pod in `ns`, for an admission dry run. */
function operatorPod(renderedYaml: string, ns: string): string {
  const dep = parseAllDocuments(renderedYaml)
    .map((d) => d.toJS())
    .find((o) => o?.kind === 'Deployment');
  if (dep === undefined) throw new Error('no Deployment in the rendered chart');
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'operator-admission-check', namespace: ns },
    spec: dep.spec.template.spec,
  });
}

t.test('helm lint --strict with default and test values', async (t) => {
  const def = await helm(['lint', '--strict', chart]);
  t.equal(def.code, 0, `default values: ${def.stdout}${def.stderr}`);
  const tv = await helm(['lint', '--strict', chart, '-f', testValues]);
  t.equal(tv.code, 0, `test values: ${tv.stdout}${tv.stderr}`);
  const bad = await helm(['lint', '--strict', chart, '--set', 'replicaCount=-1']);
  t.not(bad.code, 0, 'the values schema rejects a negative replicaCount');
});

/** The permissions the operator needs, no more (group/resource: verbs). */
const rbacTable: Record<string, string> = {
  'anylog.co/anylogmasters': 'get,list,patch,watch',
  'anylog.co/anylogmasters/status': 'get,patch,update',
  'anylog.co/anylogmasters/finalizers': 'update',
  'apps/statefulsets': 'create,get,list,patch,watch',
  'batch/cronjobs': 'create,get,list,patch,watch',
  'batch/jobs': 'create,get,list,patch,watch',
  'core/services': 'create,get,list,patch,watch',
  'core/configmaps': 'create,get,list,patch,watch',
  'core/secrets': 'create,get,list,patch,watch',
  'core/pods': 'get,list,watch',
  'core/persistentvolumeclaims': 'get,list,watch',
  'events.k8s.io/events': 'create,patch',
  'networking.k8s.io/networkpolicies': 'create,delete,get,list,patch,watch',
};

function flattenRules(rules: KubeObject[]): Record<string, string> {
  const out: Record<string, Set<string>> = {};
  for (const r of rules) {
    for (const g of r.apiGroups as string[]) {
      for (const res of r.resources as string[]) {
        const key = `${g === '' ? 'core' : g}/${res}`;
        out[key] ??= new Set();
        for (const v of r.verbs as string[]) out[key].add(v);
      }
    }
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v].sort().join(',')]));
}

t.test('rendered RBAC is exactly the operator RBAC table of docs/design/operator.md', async (t) => {
  for (const extra of [[], ['--set', 'watchNamespaces={team-a,team-b}']]) {
    const tpl = await helm(['template', release, chart, '-n', 'anylog-system', ...extra]);
    t.equal(tpl.code, 0, tpl.stderr);
    const all = parseAllDocuments(tpl.stdout)
      .map((d) => d.toJS())
      .filter((o) => o !== null);
    // The `helm test` hook brings its own Role: listing AnyLogMasters in the release namespace, no more.
    const isHook = (o: KubeObject): boolean => o.metadata.annotations?.['helm.sh/hook'] !== undefined;
    const hookRoles = all.filter((o) => isHook(o) && o.kind.endsWith('Role'));
    t.same(
      hookRoles.map((o) => [o.kind, o.metadata.namespace, flattenRules(o.rules)]),
      [['Role', 'anylog-system', { 'anylog.co/anylogmasters': 'list' }]],
      'the test hook Role lists AnyLogMasters only',
    );
    const objs = all.filter((o) => !isHook(o));
    const roles = objs.filter(
      (o) =>
        (o.kind === 'ClusterRole' || o.kind === 'Role') &&
        !String(o.metadata.name).endsWith('-leader-election'),
    );
    t.equal(
      roles.length,
      extra.length === 0 ? 1 : 2,
      `one role per scope (${extra.join(' ') || 'all namespaces'})`,
    );
    for (const role of roles)
      t.same(flattenRules(role.rules), rbacTable, `${role.kind} ${role.metadata.namespace ?? ''}`);
    const lease = objs.find((o) => o.kind === 'Role' && String(o.metadata.name).endsWith('-leader-election'));
    t.same(flattenRules(lease?.rules ?? []), { 'coordination.k8s.io/leases': 'create,get,update' });
    t.equal(lease?.metadata.namespace, 'anylog-system', 'the Lease Role lives in the operator namespace');
    // A master whose NetworkPolicy is switched off loses it at once; nothing else is ever deleted.
    const deletable = objs
      .filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role')
      .flatMap((o) => Object.entries(flattenRules(o.rules)))
      .filter(([, verbs]) => verbs.split(',').includes('delete'))
      .map(([resource]) => resource);
    t.same([...new Set(deletable)], ['networking.k8s.io/networkpolicies'], 'delete on NetworkPolicies only');
  }
});

t.test('CRD applied server-side becomes Established', async (t) => {
  await kubectlOk(['apply', '--server-side', '-f', join(repoRoot, 'crds', 'anylogmaster.yaml')]);
  // `kubectl wait` fails at once while a just-created CRD has no conditions yet; retry until it can wait.
  const w = await waitUntil(
    'crd/anylogmasters.anylog.co Established',
    async () => {
      const res = await kubectl([
        'wait',
        '--for=condition=Established',
        'crd/anylogmasters.anylog.co',
        '--timeout=30s',
      ]);
      return res.code === 0 ? res : undefined;
    },
    60_000,
    500,
  );
  t.equal(w.code, 0, w.stderr);
});

t.test('server dry runs with strict validation and restricted Pod Security', async (t) => {
  const ns = await testNamespace(t, 'e2e-dry', restricted);
  // Everything the chart can render: two replicas (PodDisruptionBudget), the NetworkPolicy with
  // addresses, and the `helm test` hooks; the CRD is left out, as the suites share the applied one.
  const everything = [
    'replicaCount=2',
    'networkPolicy.enabled=true',
    'networkPolicy.apiServer.cidrs={10.96.0.1/32}',
    'networkPolicy.ledger.cidrs={192.0.2.0/24}',
    'crds.install=false',
  ].flatMap((s) => ['--set', s]);
  const tpl = await helm(['template', release, chart, '-n', ns, '-f', testValues, ...everything]);
  t.equal(tpl.code, 0, tpl.stderr);
  const dry = await kubectl(['apply', '--dry-run=server', '--validate=strict', '-n', ns, '-f', '-'], {
    input: tpl.stdout,
  });
  t.equal(dry.code, 0, `helm template | kubectl apply --dry-run=server: ${dry.stderr}`);
  t.match(dry.stdout, /deployment\.apps\/anylog-operator created \(server dry run\)/);
  t.match(dry.stdout, /poddisruptionbudget\.policy\/anylog-operator created \(server dry run\)/);
  t.match(dry.stdout, /networkpolicy\.networking\.k8s\.io\/anylog-operator created \(server dry run\)/);
  t.match(
    dry.stdout,
    /pod\/anylog-operator-test created \(server dry run\)/,
    'restricted admits the test pod',
  );

  // install.yaml targets anylog-system; a dry run cannot create the namespace it then fills.
  await kubectlOk(['apply', '--server-side', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'anylog-system', labels: restricted },
    }),
  });
  const dryInstall = await kubectl([
    'apply',
    '--server-side',
    '--dry-run=server',
    '--validate=strict',
    '-f',
    installYaml,
  ]);
  t.equal(dryInstall.code, 0, `install.yaml --dry-run=server: ${dryInstall.stderr}`);
  t.match(dryInstall.stdout, /deployment\.apps\/anylog-operator serverside-applied \(server dry run\)/);

  const admitted = await kubectl(['apply', '--dry-run=server', '-f', '-'], {
    input: operatorPod(tpl.stdout, ns),
  });
  t.equal(admitted.code, 0, `restricted admits the operator pod: ${admitted.stderr}`);
  t.notMatch(admitted.stderr, /would violate PodSecurity/);
  const privileged = JSON.parse(operatorPod(tpl.stdout, ns));
  privileged.spec.securityContext = {};
  privileged.spec.containers[0].securityContext = { privileged: true };
  const rejected = await kubectl(['apply', '--dry-run=server', '-f', '-'], {
    input: JSON.stringify(privileged),
  });
  t.not(rejected.code, 0, 'restricted is enforced: a privileged pod is rejected');
  t.match(rejected.stderr, /violates PodSecurity "restricted/);
});

t.test('helm install --wait runs the operator under the chart RBAC; sample Ready; uninstall', async (t) => {
  const ns = await testNamespace(t, 'e2e-helm', restricted);
  const install = await helm(
    [
      // The CRD was applied server-side by kubectl above and other suites of the run share it, so this
      // release leaves it alone (crds.install=false), as a second release of the chart in a cluster would.
      'install',
      release,
      chart,
      '-n',
      ns,
      '-f',
      testValues,
      '--set',
      `watchNamespaces={${ns}}`,
      '--set',
      'crds.install=false',
      '--wait',
      '--timeout',
      '3m',
    ],
    { timeoutMs: 200_000 },
  );
  t.equal(install.code, 0, `helm install: ${install.stdout}${install.stderr}`);
  const pods = await getJson(['-n', ns, 'pods', '-l', `app.kubernetes.io/instance=${release}`]);
  t.equal(pods.items.length, 1, 'one operator pod');
  t.equal(pods.items[0]?.spec.serviceAccountName, release, 'it runs as the chart ServiceAccount');
  t.equal(pods.items[0]?.status.phase, 'Running');

  await sampleReady(t, ns, 'master', '240s');
  const sts = await getJson(['-n', ns, 'statefulset', 'master']);
  t.equal(sts.status.readyReplicas, 1, 'the node StatefulSet is ready in a restricted namespace');
  await deleteSample(t, ns, 'master');

  const un = await helm(['uninstall', release, '-n', ns, '--wait', '--timeout', '2m'], {
    timeoutMs: 150_000,
  });
  t.equal(un.code, 0, un.stderr);
  const sel = `app.kubernetes.io/instance=${release}`;
  const left = await kubectlOk([
    '-n',
    ns,
    'get',
    'deployments,replicasets,serviceaccounts,services,roles,rolebindings',
    '-l',
    sel,
    '-o',
    'name',
  ]);
  t.equal(left.trim(), '', 'helm uninstall left no namespaced operator object');
  const cluster = await kubectlOk(['get', 'clusterroles,clusterrolebindings', '-l', sel, '-o', 'name']);
  t.equal(cluster.trim(), '', 'no cluster-scoped operator object either');
  await waitUntil(
    'the operator pod to go',
    async () => (await kubectlOk(['-n', ns, 'get', 'pods', '-l', sel, '-o', 'name'])).trim() === '',
    60_000,
    500,
  );
  t.equal(
    (await kubectl(['get', 'crd', 'anylogmasters.anylog.co'])).code,
    0,
    'the CRD stays (this release does not own it)',
  );
});

t.test('kubectl apply --server-side -f manifests/install.yaml installs the same operator', async (t) => {
  const ns = await testNamespace(t, 'e2e-manifests', restricted);
  t.teardown(async () => {
    if (!t.passing()) t.comment(`anylog-system logs:\n${namespaceLogs('anylog-system', 40)}`);
    // Everything install.yaml created except the CRD, which other test files of the run still use.
    const objects = parseAllDocuments(readFileSync(installYaml, 'utf8'))
      .map((d) => d.toJS())
      .filter((o) => o !== null && o.kind !== 'CustomResourceDefinition');
    await kubectl(['delete', '--ignore-not-found', '--wait=false', '-f', '-'], {
      input: objects.map((o) => stringify(o)).join('---\n'),
    });
  });
  // Unchanged except WATCH_NAMESPACES: the suite shares the control plane with other test files, whose
  // in-process operators own their namespaces. Everything else (2 replicas, leader election) is as shipped.
  const docs = parseAllDocuments(readFileSync(installYaml, 'utf8')).map((d) => d.toJS());
  const dep = docs.find((d) => d?.kind === 'Deployment');
  const watch = dep.spec.template.spec.containers[0].env.find(
    (e: KubeObject) => e.name === 'WATCH_NAMESPACES',
  );
  t.equal(watch?.value, '', 'install.yaml watches all namespaces by default');
  watch.value = ns;
  t.equal(dep.spec.replicas, 2, 'install.yaml runs two replicas');
  const apply = await kubectl(['apply', '--server-side', '-f', '-'], {
    input: docs
      .filter((d) => d !== null)
      .map((d) => stringify(d))
      .join('---\n'),
  });
  t.equal(apply.code, 0, `install.yaml: ${apply.stderr}`);
  const started = Date.now();
  await waitUntil(
    'an operator replica to be ready',
    async () => {
      const d = await getJson(['-n', 'anylog-system', 'deployment', release]);
      return (d.status?.readyReplicas ?? 0) >= 1;
    },
    180_000,
    1000,
  );
  await sampleReady(t, ns, 'master', '240s');
  const replicas = await getJson([
    '-n',
    'anylog-system',
    'pods',
    '-l',
    `app.kubernetes.io/instance=${release}`,
  ]);
  for (const p of replicas.items as KubeObject[]) {
    const cs = p.status.containerStatuses?.[0];
    t.comment(`install.yaml replica ${p.metadata.name}: ready=${cs?.ready} restarts=${cs?.restartCount}`);
  }
  t.comment(`install.yaml: sample Ready ${Math.round((Date.now() - started) / 1000)} s after apply`);
  const lease = await kubectl(['-n', 'anylog-system', 'get', 'leases', '-o', 'name']);
  t.match(lease.stdout, /lease/, 'leader election holds a Lease in anylog-system');
  await deleteSample(t, ns, 'master');
});

t.test('troubleshooting.md: a stuck finalizer is removed with the documented JSON patch', async (t) => {
  // No operator watches this namespace: the finalizer can only go through the manual patch.
  const ns = await testNamespace(t, 'e2e-finalizer');
  const cr = JSON.parse(embeddedSample(ns, 'stuck'));
  cr.metadata.finalizers = ['anylog.co/cleanup'];
  cr.spec.deletionPolicy = 'Delete';
  await kubectlOk(['apply', '--server-side', '-f', '-'], { input: JSON.stringify(cr) });
  await kubectlOk(['-n', ns, 'delete', 'alm', 'stuck', '--wait=false']);
  const held = await getJson(['-n', ns, 'alm', 'stuck']);
  t.ok(held.metadata.deletionTimestamp, 'the deletion waits for the finalizer');
  const doc = readFileSync(join(repoRoot, 'docs', 'troubleshooting.md'), 'utf8');
  const patch = /-p '(\[\{"op":"test"[\s\S]*?\])'/.exec(doc)?.[1];
  t.ok(patch, 'troubleshooting.md has the JSON patch');
  const wrong = await kubectl([
    '-n',
    ns,
    'patch',
    'alm',
    'stuck',
    '--type=json',
    '-p',
    (patch ?? '').replaceAll('anylog.co/cleanup', 'example.com/other'),
  ]);
  t.not(wrong.code, 0, 'the test operation guards against removing another finalizer');
  const r = await kubectl(['-n', ns, 'patch', 'alm', 'stuck', '--type=json', '-p', patch ?? '']);
  t.equal(r.code, 0, r.stderr);
  await waitUntil(
    'the CR to go',
    async () => (await kubectl(['-n', ns, 'get', 'alm', 'stuck'])).code !== 0,
    30_000,
    500,
  );
});
