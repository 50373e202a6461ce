// The chart's lifecycle on the local cluster's real node, from the previous release to this one:
//  - `helm install` of chart 0.1.0 (test/fixtures/charts/anylog-operator-0.1.0.tgz, CRD in its crds/
//    directory) and an AnyLogMaster that reaches Ready;
//  - `helm upgrade` to charts/anylog-operator stops on the CRD's missing Helm ownership and changes
//    nothing; after the one-time adoption commands of docs/upgrade.md (run as the guide prints them) the
//    guide's `helm upgrade` succeeds, the API server serves the new CRD (whose schema differs from
//    0.1.0's), and the AnyLogMaster stays Ready with the same uid, master policy and node pod;
//  - `helm test` passes, and fails while no operator replica is ready;
//  - `helm uninstall` removes the operator and keeps the CRD and the AnyLogMaster;
//  - the 0.1.0 guide's other path (CRD applied with `kubectl apply --server-side`, chart installed with
//    --skip-crds) upgrades after the same adoption with `--force-conflicts`, as the guide says.
// The CRD is cluster-wide: this suite deletes it first to start like a fresh cluster, so it relies on the
// real-node run taking one file at a time (`--jobs=1`) and on the suites before it having removed their
// AnyLogMasters; it fails, and deletes nothing, when one is left.
import t, { type Test } from 'tap';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { OPERATOR_RULES } from '../../src/api/rbac.js';
import { repoRoot } from '../controlplane/src/paths.js';
import {
  condition,
  getJson,
  helm,
  kubectl,
  kubectlOk,
  testNamespace,
  waitCrdEstablished,
  waitUntil,
  type KubeObject,
  type RunResult,
} from '../helpers/cluster.js';
import {
  applyMasterAndWaitReady,
  chartDir,
  containerLogs,
  getFromHost,
  imageParts,
  nodeEnv,
  operatorPods,
  waitMasterReady,
} from '../helpers/node-cluster.js';

// Two installs of 0.1.0, two upgrades, a node pod and three `helm test` runs on a 2-core machine.
t.setTimeout(1_800_000);

const env = nodeEnv();
const CRD = 'anylogmasters.anylog.co';
const oldChart = join(repoRoot, 'test', 'fixtures', 'charts', 'anylog-operator-0.1.0.tgz');
const newCrd: KubeObject = parse(readFileSync(join(repoRoot, 'crds', 'anylogmaster.yaml'), 'utf8'));
const restricted = { 'pod-security.kubernetes.io/enforce': 'restricted' };
const img = imageParts(env.image);
// The chart's default metrics port.
const METRICS_PORT = 8080;

/** The values every release here gets: the local images (never pulled), the namespace it watches. */
const localValues = (ns: string): string[] =>
  [
    `image.repository=${img.repository}`,
    `image.tag=${img.tag}`,
    'image.pullPolicy=Never',
    `ledgerImage=${env.postgresImage}`,
    `watchNamespaces={${ns}}`,
  ].flatMap((s) => ['--set', s]);

const show = (r: RunResult): string => `${r.stdout}${r.stderr}`.trim();

/** Asserts a command succeeded; its output goes to a comment only when it did not. */
function succeeded(t: Test, r: RunResult, what: string): void {
  if (r.code !== 0) t.comment(`${what}:\n${show(r)}`);
  t.equal(r.code, 0, what);
}

/**
 * How often the current operator replicas (those of the new pod template, which has anti-affinity)
 * reconciled AnyLogMasters, from their metrics ports.
 */
async function newReconciles(ns: string, release: string): Promise<number> {
  let sum = 0;
  for (const p of await operatorPods(ns, release)) {
    if (p.metadata.deletionTimestamp !== undefined || p.spec.affinity?.podAntiAffinity === undefined)
      continue;
    if (p.status?.podIP === undefined) continue;
    const r = await getFromHost(String(p.status.podIP), METRICS_PORT, '/metrics');
    for (const m of r.body.matchAll(/^controller_runtime_reconcile_total\{([^}]*)\} (\d+)/gm)) {
      if (m[1]?.includes('controller="anylogmaster"') === true) sum += Number(m[2]);
    }
  }
  return sum;
}

/**
 * What the API server serves of a CRD, comparable with the file: it leaves out empty `properties` maps
 * and `priority: 0` of printer columns, which the file spells out.
 */
function servedShape(spec: KubeObject): KubeObject {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (typeof v !== 'object' || v === null) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const empty = typeof x === 'object' && x !== null && !Array.isArray(x) && Object.keys(x).length === 0;
      if ((k === 'properties' && empty) || (k === 'priority' && x === 0)) continue;
      out[k] = strip(x);
    }
    return out;
  };
  return strip({ group: spec.group, names: spec.names, scope: spec.scope, versions: spec.versions });
}

async function servedCrd(): Promise<KubeObject> {
  return getJson(['crd', CRD]);
}

/** The CRD of chart 0.1.0, as `helm show crds` prints it from the packaged chart. */
async function oldCrd(): Promise<KubeObject> {
  const r = await helm(['show', 'crds', oldChart]);
  if (r.code !== 0) throw new Error(`helm show crds: ${show(r)}`);
  return parse(r.stdout);
}

/**
 * The adoption commands and the upgrade command of docs/upgrade.md's 0.1.0 section, with the release and
 * namespace filled in: [label, annotate] as kubectl arguments, and the helm upgrade as helm arguments.
 */
function guide(release: string, ns: string): { adopt: string[][]; upgrade: string[] } {
  const doc = readFileSync(join(repoRoot, 'docs', 'upgrade.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## From 0.1.0'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const words = (line: string): string[] =>
    line
      .replaceAll('"$RELEASE"', release)
      .replaceAll('"$NAMESPACE"', ns)
      .replaceAll('charts/anylog-operator', chartDir)
      .split(/\s+/)
      .filter((w) => w !== '');
  const lines = block.split('\n');
  const adopt = lines.filter((l) => /^kubectl (label|annotate) crd /.test(l)).map((l) => words(l).slice(1));
  const upgrade = words(lines.find((l) => l.startsWith('helm upgrade ')) ?? '').slice(1);
  return { adopt, upgrade };
}

/**
 * Chart 0.1.0 runs this project's image (its own image cannot be pulled here), which watches kinds 0.1.0's
 * RBAC predates (the node's NetworkPolicy, the backup CronJob and restore Job). This Role grants the
 * operator rules of this chart (`OPERATOR_RULES`, from which the chart's RBAC is generated) in the watched
 * namespace, so the old chart's operator starts as its own image would, whatever kinds the image adds.
 */
async function grantCurrentRules(release: string, ns: string): Promise<void> {
  const name = `${release}-current-rules`;
  const objects = [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name, namespace: ns },
      rules: OPERATOR_RULES,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name, namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name: `${release}-anylog-operator`, namespace: ns }],
    },
  ];
  await kubectlOk(['apply', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }),
  });
}

/** Runs `helm install` of chart 0.1.0 and registers an uninstall for a failed run. */
async function installOld(t: Test, release: string, ns: string, extra: string[] = []): Promise<void> {
  await grantCurrentRules(release, ns);
  const r = await helm(
    ['install', release, oldChart, '-n', ns, ...localValues(ns), ...extra, '--wait', '--timeout', '5m'],
    { timeoutMs: 330_000 },
  );
  if (r.code !== 0) t.comment(await containerLogs(ns));
  succeeded(t, r, 'helm install of chart 0.1.0');
  t.teardown(async () => {
    await helm(['uninstall', release, '-n', ns, '--wait', '--timeout', '2m', '--ignore-not-found'], {
      timeoutMs: 150_000,
    });
  });
}

/** Adopts the CRD with the guide's commands, then runs the guide's `helm upgrade` (plus `extra`). */
async function adoptAndUpgrade(t: Test, release: string, ns: string, extra: string[] = []): Promise<void> {
  const { adopt, upgrade } = guide(release, ns);
  t.equal(adopt.length, 2, 'docs/upgrade.md has the label and the annotate command');
  for (const args of adopt) succeeded(t, await kubectl(args), `kubectl ${args.join(' ')}`);
  t.ok(upgrade.includes('--reset-then-reuse-values'), 'the guide upgrades with --reset-then-reuse-values');
  const r = await helm([...upgrade, ...extra, '--timeout', '5m'], { timeoutMs: 330_000 });
  if (r.code !== 0) t.comment(await containerLogs(ns));
  succeeded(t, r, `helm ${[...upgrade, ...extra].join(' ').replace(chartDir, 'charts/anylog-operator')}`);
}

/** Deletes the CRD when it exists; fails (deleting nothing) while any AnyLogMaster is left in the cluster. */
async function startWithoutCrd(t: Test): Promise<void> {
  if ((await kubectl(['get', 'crd', CRD])).code !== 0) return;
  const left = await kubectlOk(['get', 'anylogmasters', '-A', '-o', 'name']);
  if (left.trim() !== '')
    throw new Error(`AnyLogMasters left by other suites, not deleting the CRD:\n${left}`);
  await kubectlOk(['delete', 'crd', CRD, '--wait=true', '--timeout=120s'], { timeoutMs: 150_000 });
  t.pass('the CRD of earlier suites is gone');
}

t.test('from chart 0.1.0 to this chart, helm test, helm uninstall', async (t) => {
  const ns = await testNamespace(t, 'helm-lc', restricted);
  const release = `alo-${randomBytes(3).toString('hex')}`;
  t.teardown(async () => {
    if (!t.passing()) t.comment(`containers of ${ns}:\n${await containerLogs(ns)}`);
  });
  const before = await oldCrd();
  t.notSame(
    servedShape(before.spec),
    servedShape(newCrd.spec),
    "precondition: 0.1.0's CRD differs from this one",
  );

  await startWithoutCrd(t);
  await installOld(t, release, ns);
  const installed = await servedCrd();
  t.same(servedShape(installed.spec), servedShape(before.spec), 'chart 0.1.0 installed its own CRD');
  t.notOk(installed.metadata.annotations?.['meta.helm.sh/release-name'], 'without Helm ownership metadata');

  const wait = await applyMasterAndWaitReady(t, ns, 'master', ns);
  t.equal(wait.code, 0, `kubectl wait --for=condition=Ready anylogmaster/master: ${wait.stderr}`);
  const master = await getJson(['-n', ns, 'anylogmaster', 'master']);
  const nodePod = await getJson(['-n', ns, 'pod', 'master-0']);
  t.ok(master.status?.policyId, `master policy ${master.status?.policyId}`);

  await t.test('helm upgrade without the adoption stops before changing anything', async (t) => {
    const r = await helm(
      ['upgrade', release, chartDir, '-n', ns, '--reset-then-reuse-values', '--wait', '--timeout', '5m'],
      { timeoutMs: 330_000 },
    );
    t.not(r.code, 0, 'the upgrade fails');
    t.match(r.stderr, `CustomResourceDefinition "${CRD}"`);
    t.match(r.stderr, /invalid ownership metadata/);
    t.match(r.stderr, /meta\.helm\.sh\/release-name/);
    const history = JSON.parse(
      (await helm(['history', release, '-n', ns, '-o', 'json'])).stdout || '[]',
    ) as KubeObject[];
    t.same(
      history.map((h) => [h.revision, h.status]),
      [[1, 'deployed']],
      'no new revision',
    );
    const crd = await servedCrd();
    t.equal(crd.metadata.resourceVersion, installed.metadata.resourceVersion, 'the CRD is untouched');
  });

  await t.test("the guide's adoption, then its helm upgrade", async (t) => {
    await adoptAndUpgrade(t, release, ns, ['--set', 'tests.timeoutSeconds=20']);
    const crd = await servedCrd();
    t.same(servedShape(crd.spec), servedShape(newCrd.spec), 'the API server serves the new CRD');
    const policy = (c: KubeObject): string =>
      c.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.deletionPolicy.description;
    t.not(policy(crd), policy(before), `e.g. spec.deletionPolicy: ${policy(crd)}`);
    t.equal(crd.metadata.uid, installed.metadata.uid, 'updated in place, not created again');
    t.equal(crd.metadata.annotations?.['helm.sh/resource-policy'], 'keep');
    t.equal(crd.metadata.annotations?.['meta.helm.sh/release-name'], release);
    t.equal(crd.metadata.labels?.['app.kubernetes.io/managed-by'], 'Helm');
    await waitCrdEstablished(CRD);

    const pdb = await getJson(['-n', ns, 'poddisruptionbudget', `${release}-anylog-operator`]);
    t.equal(pdb.spec.minAvailable, 1, 'the two replicas now have a PodDisruptionBudget');
    const pods = await operatorPods(ns, release);
    t.ok(
      pods.every((p) => p.spec.affinity?.podAntiAffinity !== undefined),
      'operator pods of the new chart have anti-affinity',
    );

    // The master must stay Ready through the new replicas' first reconcile, without being recreated.
    const reconciled = await waitUntil(
      'a replica of the new chart to reconcile the AnyLogMaster',
      async () => {
        const n = await newReconciles(ns, release);
        return n > 0 ? n : undefined;
      },
      120_000,
      1000,
    );
    t.pass(`the new replicas reconciled ${reconciled} time(s)`);
    const after = await waitMasterReady(ns, 'master', 120_000, 'after the upgrade');
    t.equal(
      condition(after, 'Ready')?.lastTransitionTime,
      condition(master, 'Ready')?.lastTransitionTime,
      'Ready never changed',
    );
    t.equal(after.metadata.uid, master.metadata.uid, 'the same AnyLogMaster object');
    t.equal(after.status.policyId, master.status.policyId, 'the same master policy');
    const podAfter = await getJson(['-n', ns, 'pod', 'master-0']);
    t.equal(podAfter.metadata.uid, nodePod.metadata.uid, 'the node pod kept running');
  });

  await t.test('helm test passes, and fails while no operator replica is ready', async (t) => {
    const pass = await helm(['test', release, '-n', ns, '--timeout', '3m', '--logs'], { timeoutMs: 200_000 });
    succeeded(t, pass, 'helm test');
    t.match(pass.stdout, /PASS the operator is ready/);
    t.match(pass.stdout, /PASS the API server serves AnyLogMasters/);
    const leftovers = await kubectlOk([
      '-n',
      ns,
      'get',
      'pods,services,configmaps,serviceaccounts,roles,rolebindings',
      '-l',
      'app.kubernetes.io/component=test',
      '-o',
      'name',
    ]);
    t.equal(leftovers.trim(), '', 'the passed test left no hook object behind');

    const deployment = `deployment/${release}-anylog-operator`;
    await kubectlOk(['-n', ns, 'scale', deployment, '--replicas=0']);
    await waitUntil(
      'no operator pod',
      async () => (await operatorPods(ns, release)).length === 0,
      120_000,
      1000,
    );
    const fail = await helm(['test', release, '-n', ns, '--timeout', '3m'], { timeoutMs: 200_000 });
    t.not(fail.code, 0, 'helm test fails without a ready operator');
    t.match(fail.stderr, /failed/, 'helm reports the failed test pod');
    const logs = await kubectl(['-n', ns, 'logs', `${release}-anylog-operator-test`]);
    t.match(
      logs.stdout,
      /FAIL the operator is ready/,
      'the failed pod stays for inspection and names the check',
    );
    t.match(logs.stdout, /PASS the API server serves AnyLogMasters/);

    await kubectlOk(['-n', ns, 'scale', deployment, '--replicas=2']);
    const rollout = await kubectl(['-n', ns, 'rollout', 'status', deployment, '--timeout=300s'], {
      timeoutMs: 330_000,
    });
    succeeded(t, rollout, 'the operator is back');
    const again = await helm(['test', release, '-n', ns, '--timeout', '3m'], { timeoutMs: 200_000 });
    succeeded(t, again, 'helm test passes again (the failed pod is replaced)');
  });

  await t.test('helm uninstall keeps the CRD and the AnyLogMaster', async (t) => {
    const r = await helm(['uninstall', release, '-n', ns, '--wait', '--timeout', '2m'], {
      timeoutMs: 150_000,
    });
    succeeded(t, r, 'helm uninstall');
    const left = await kubectlOk([
      '-n',
      ns,
      'get',
      'deployments',
      '-l',
      `app.kubernetes.io/instance=${release}`,
      '-o',
      'name',
    ]);
    t.equal(left.trim(), '', 'the operator is gone');
    const crd = await servedCrd();
    t.equal(crd.metadata.uid, installed.metadata.uid, 'the CRD stays');
    const cr = await getJson(['-n', ns, 'anylogmaster', 'master']);
    t.equal(cr.metadata.uid, master.metadata.uid, 'the AnyLogMaster stays');
    // No operator is left to act on it; deletionPolicy Retain means no finalizer holds the deletion.
    await kubectlOk(['-n', ns, 'delete', 'anylogmaster', 'master', '--wait=true', '--timeout=60s']);
  });
});

t.test(
  'a CRD applied with kubectl (the 0.1.0 guide) upgrades after adoption with --force-conflicts',
  async (t) => {
    const ns = await testNamespace(t, 'helm-lk', restricted);
    const release = `alo-${randomBytes(3).toString('hex')}`;
    await startWithoutCrd(t);
    const before = await oldCrd();
    await kubectlOk(['apply', '--server-side', '-f', '-'], { input: JSON.stringify(before) });
    await waitCrdEstablished(CRD);
    await installOld(t, release, ns, [
      '--skip-crds',
      '--set',
      'replicaCount=1',
      '--set',
      'leaderElection=false',
    ]);

    const { adopt, upgrade } = guide(release, ns);
    for (const args of adopt) await kubectlOk(args);
    const conflict = await helm([...upgrade, '--timeout', '5m'], { timeoutMs: 330_000 });
    t.not(conflict.code, 0, 'without --force-conflicts the upgrade fails');
    t.match(conflict.stderr, /conflict with "kubectl"/, 'on the fields kubectl applied');
    t.same(servedShape((await servedCrd()).spec), servedShape(before.spec), 'the CRD is still the 0.1.0 one');

    await adoptAndUpgrade(t, release, ns, ['--force-conflicts']);
    t.same(
      servedShape((await servedCrd()).spec),
      servedShape(newCrd.spec),
      'the API server serves the new CRD',
    );
    const r = await helm(['uninstall', release, '-n', ns, '--wait', '--timeout', '2m'], {
      timeoutMs: 150_000,
    });
    succeeded(t, r, 'helm uninstall');
    t.equal((await kubectl(['get', 'crd', CRD])).code, 0, 'the CRD stays');
  },
);
