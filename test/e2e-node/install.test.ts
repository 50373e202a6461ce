// The two documented install paths (docs: helm chart, manifests/install.yaml) on the local cluster's real
// node (kubelet + containerd), with two operator replicas and leader election as shipped:
//  - `helm install` of the chart: both replicas run as containerd containers with addresses from the
//    node's pod range and turn Ready; exactly one holds the operator's Lease (its holderIdentity names one
//    of the two pods and only that pod reports leader_election_master_status 1); the embedded sample,
//    renamed into the watched namespace and otherwise unchanged, reaches Ready; deleting the leader pod
//    hands the Lease to the other replica.
//  - `kubectl apply --server-side -f manifests/install.yaml`, renamed into test namespaces (see the
//    comment on installYamlCopy for the minimal changes and why): both replicas Ready, one leads.
// This is what a user of a real cluster runs; the process-based suite (test/e2e/install.test.ts) cannot
// show real containers, pod networking, the kubelet's readiness or the failover of a deleted pod.
import t, { type Test } from 'tap';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { repoRoot } from '../controlplane/src/paths.js';
import {
  applyCrd,
  getJson,
  kubectl,
  kubectlOk,
  testNamespace,
  waitUntil,
  type KubeObject,
} from '../helpers/cluster.js';
import {
  applyMasterAndWaitReady,
  containerLogs,
  getFromHost,
  holderPod,
  installOperator,
  ipv4InCidr,
  isPodReady,
  leases,
  nodeEnv,
  operatorPods,
} from '../helpers/node-cluster.js';

// Two operator installs, a node pod and a failover on a contended 2-core machine.
t.setTimeout(1_800_000);

const env = nodeEnv();
const NODE = 'local-node-0';
// The metrics port of the chart's values and of install.yaml (METRICS_BIND_ADDRESS ":8080").
const METRICS_PORT = 8080;
const installYaml = join(repoRoot, 'manifests', 'install.yaml');
const restricted = { 'pod-security.kubernetes.io/enforce': 'restricted' };

const suffix = (): string => randomBytes(3).toString('hex');

async function podCidr(): Promise<string> {
  const cidr = (await kubectlOk(['get', 'node', NODE, '-o', 'jsonpath={.spec.podCIDR}'])).trim();
  if (cidr === '') throw new Error(`node ${NODE} has no spec.podCIDR`);
  return cidr;
}

/** Comments the operator's container logs when the test failed (registered after the install). */
function logsOnFailure(t: Test, ns: string): void {
  t.teardown(async () => {
    if (!t.passing()) t.comment(`operator containers of ${ns}:\n${await containerLogs(ns)}`);
  });
}

/**
 * Waits until the release has exactly two Ready pods, then checks each is a containerd container on the
 * node with an address from the pod range. Returns the pod names.
 */
async function twoReadyReplicasOnNode(t: Test, ns: string, release: string, cidr: string): Promise<string[]> {
  const pods = await waitUntil(
    `two Ready operator pods of ${release} in ${ns}`,
    async () => {
      const ps = await operatorPods(ns, release);
      const state = ps.map((p) => `${p.metadata.name}:${p.status?.phase}:ready=${isPodReady(p)}`).join(' ');
      if (ps.length !== 2 || !ps.every(isPodReady)) throw new Error(`pods: ${state || 'none'}`);
      return ps;
    },
    300_000,
    1000,
  );
  for (const p of pods) {
    const name = String(p.metadata.name);
    t.equal(p.spec.nodeName, NODE, `${name} runs on ${NODE}`);
    t.equal(p.status.phase, 'Running', `${name} Running`);
    for (const cs of p.status.containerStatuses as KubeObject[]) {
      t.ok(cs.ready, `${name}/${cs.name} ready`);
      t.ok(cs.state?.running, `${name}/${cs.name} running`);
      t.match(cs.containerID, /^containerd:\/\//, `${name}/${cs.name} is a containerd container`);
    }
    const ip = String(p.status.podIP ?? '');
    t.ok(ip !== '' && ipv4InCidr(ip, cidr), `${name} IP ${ip} inside the pod range ${cidr}`);
    t.not(ip, env.nodeIp, `${name} has its own address, not the node's`);
  }
  t.not(pods[0].status.podIP, pods[1].status.podIP, 'the replicas have distinct addresses');
  return pods.map((p) => String(p.metadata.name));
}

/** The operator's leader_election_master_status for `lease` from a pod's metrics port (absent = 0). */
async function leaderGauge(ns: string, pod: string, lease: string): Promise<number> {
  const p = await getJson(['-n', ns, 'pod', pod]);
  const r = await getFromHost(String(p.status.podIP), METRICS_PORT, '/metrics');
  if (r.status !== 200) throw new Error(`metrics of ${pod}: ${r.status} ${r.body}`);
  const m = new RegExp(`^leader_election_master_status\\{name="${lease}"\\} (\\d+)`, 'm').exec(r.body);
  return m === null ? 0 : Number(m[1]);
}

/**
 * The single Lease of the operator namespace held by one of `pods`, and exactly that pod reporting
 * itself the leader on its metrics port while the other reports standby.
 */
async function oneLeader(
  t: Test,
  ns: string,
  pods: readonly string[],
): Promise<{ lease: string; leader: string }> {
  const held = await waitUntil(
    `the operator Lease in ${ns} held by one of ${pods.join(', ')}`,
    async () => {
      const ls = await leases(ns);
      if (ls.length !== 1) throw new Error(`Leases in ${ns}: ${ls.map((l) => l.name).join(', ') || 'none'}`);
      const l = ls[0]!;
      const leader = holderPod(l.holder, pods);
      if (leader === undefined) throw new Error(`Lease ${l.name} holderIdentity ${JSON.stringify(l.holder)}`);
      return { lease: l.name, leader };
    },
    90_000,
    500,
  );
  t.pass(`Lease ${held.lease} held by ${held.leader}`);
  const gauges = await waitUntil(
    `only ${held.leader} to report leader_election_master_status 1`,
    async () => {
      const g = await Promise.all(pods.map((p) => leaderGauge(ns, p, held.lease)));
      const ok = pods.every((p, i) => g[i] === (p === held.leader ? 1 : 0));
      if (!ok) throw new Error(`gauges: ${pods.map((p, i) => `${p}=${g[i]}`).join(' ')}`);
      return g;
    },
    30_000,
    1000,
  );
  t.equal(gauges.filter((g) => g === 1).length, 1, 'exactly one replica leads');
  return held;
}

t.test(
  'helm install: two replicas with leader election, a sample Ready, failover to another replica',
  async (t) => {
    const cidr = await podCidr();
    const watch = await testNamespace(t, 'inst-w');
    const opNs = await testNamespace(t, 'inst-op');
    const release = `alo-${suffix()}`;
    await installOperator(t, { release, namespace: opNs, watch: [watch], replicas: 2 });
    logsOnFailure(t, opNs);

    const pods = await twoReadyReplicasOnNode(t, opNs, release, cidr);
    const { lease, leader } = await oneLeader(t, opNs, pods);

    // The sample as shipped, only renamed into the watched namespace: no bind or pod-ip settings.
    const wait = await applyMasterAndWaitReady(t, watch, 'master', opNs);
    t.equal(wait.code, 0, `kubectl wait --for=condition=Ready anylogmaster/master: ${wait.stderr}`);
    const nodePod = await getJson(['-n', watch, 'pod', 'master-0']);
    t.equal(nodePod.status.phase, 'Running', 'the node pod runs');
    t.match(
      nodePod.status.containerStatuses?.[0]?.containerID,
      /^containerd:\/\//,
      'as a containerd container',
    );
    t.ok(
      ipv4InCidr(String(nodePod.status.podIP), cidr),
      `node pod IP ${nodePod.status.podIP} inside ${cidr}`,
    );

    // The standby or the Deployment's replacement for the deleted pod may win the election: either is a
    // correct failover, as long as the Lease leaves the deleted leader for a pod that runs.
    const deleted = Date.now();
    await kubectlOk(['-n', opNs, 'delete', 'pod', leader, '--wait=false']);
    const holder = await waitUntil(
      `another operator pod to take Lease ${lease} after the leader ${leader} was deleted`,
      async () => {
        const l = (await leases(opNs)).find((x) => x.name === lease);
        const name = l?.holder.slice(0, l.holder.lastIndexOf('_')) ?? '';
        if (name !== '' && name !== leader) {
          const p = await kubectl(['-n', opNs, 'get', 'pod', name, '-o', 'name']);
          if (p.code === 0) return name;
        }
        throw new Error(`holderIdentity ${JSON.stringify(l?.holder)}`);
      },
      60_000,
      500,
    );
    t.comment(
      `${holder} took the Lease ${Math.round((Date.now() - deleted) / 1000)} s after the leader was deleted`,
    );
    t.not(holder, leader, `Lease ${lease} now held by ${holder}, not the deleted leader`);
    await waitUntil(
      `${holder} to report leader_election_master_status 1`,
      async () => (await leaderGauge(opNs, holder, lease)) === 1,
      30_000,
      1000,
    );
    t.pass(`${holder} leads`);
    const cr = await getJson(['-n', watch, 'anylogmaster', 'master']);
    const ready = (cr.status?.conditions ?? []).find((c: KubeObject) => c.type === 'Ready');
    t.equal(ready?.status, 'True', 'the sample stays Ready across the failover');
  },
);

/**
 * manifests/install.yaml with the minimal changes that let it run next to other suites on the shared
 * cluster and with the locally built image:
 *  - the namespace `anylog-system` (the Namespace object, every namespaced object and the bindings'
 *    ServiceAccount subjects) becomes `opNs`, so concurrent runs do not share one install;
 *  - the ClusterRole/ClusterRoleBinding get a unique name (deleted in teardown);
 *  - the Deployment's image is ANYLOG_TEST_IMAGE with pull policy Never (no registry), and
 *    WATCH_NAMESPACES is `watch` so this operator does not reconcile other suites' AnyLogMasters;
 *  - the CRD is left out: it is cluster-scoped and shared, so it is applied as installOperator applies it
 *    (crds/anylogmaster.yaml, server-side, --force-conflicts); the test checks both are the same object.
 * Replicas (2), leader election, RBAC rules, probes and security contexts stay as shipped.
 */
function installYamlCopy(docs: KubeObject[], opNs: string, watch: string, clusterName: string): KubeObject[] {
  const out = structuredClone(docs).filter((d) => d.kind !== 'CustomResourceDefinition');
  for (const d of out) {
    if (d.kind === 'Namespace') d.metadata.name = opNs;
    if (d.metadata.namespace === 'anylog-system') d.metadata.namespace = opNs;
    if (d.kind === 'ClusterRole' || d.kind === 'ClusterRoleBinding') d.metadata.name = clusterName;
    if (d.kind === 'ClusterRoleBinding') d.roleRef.name = clusterName;
    for (const s of (d.subjects ?? []) as KubeObject[]) {
      if (s.namespace === 'anylog-system') s.namespace = opNs;
    }
    if (d.kind === 'Deployment') {
      const c = d.spec.template.spec.containers[0];
      c.image = env.image;
      c.imagePullPolicy = 'Never';
      c.env.find((e: KubeObject) => e.name === 'WATCH_NAMESPACES').value = watch;
    }
  }
  return out;
}

t.test('kubectl apply --server-side -f manifests/install.yaml: two Ready replicas, one leader', async (t) => {
  const docs: KubeObject[] = parseAllDocuments(readFileSync(installYaml, 'utf8'))
    .map((d) => d.toJS())
    .filter((d) => d !== null);
  // As shipped: everything in anylog-system, two replicas with leader election, the released image.
  t.equal(docs.find((d) => d.kind === 'Namespace')?.metadata.name, 'anylog-system', 'installs anylog-system');
  const namespaced = docs.filter((d) => !['Namespace', 'CustomResourceDefinition'].includes(d.kind));
  for (const d of namespaced.filter((x) => !x.kind.startsWith('Cluster')))
    t.equal(d.metadata.namespace, 'anylog-system', `${d.kind}/${d.metadata.name} in anylog-system`);
  const dep = docs.find((d) => d.kind === 'Deployment');
  t.equal(dep?.spec.replicas, 2, 'two replicas');
  const container = dep?.spec.template.spec.containers[0];
  const version = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version;
  t.equal(
    container?.image,
    `ghcr.io/anylog-operator/anylog-operator:${version}`,
    'the published image of the project version',
  );
  t.equal(
    container?.env.find((e: KubeObject) => e.name === 'LEADER_ELECTION')?.value,
    'true',
    'leader election on',
  );
  const shippedCrd = docs.find((d) => d.kind === 'CustomResourceDefinition');
  const repoCrd = parseAllDocuments(readFileSync(join(repoRoot, 'crds', 'anylogmaster.yaml'), 'utf8'))
    .map((d) => d.toJS())
    .find((d) => d?.kind === 'CustomResourceDefinition');
  t.same(shippedCrd, repoCrd, 'install.yaml carries crds/anylogmaster.yaml unchanged');

  const cidr = await podCidr();
  const watch = await testNamespace(t, 'inst-yw');
  const opNs = await testNamespace(t, 'inst-ys', restricted);
  const clusterName = `anylog-operator-${suffix()}`;
  t.teardown(async () => {
    await kubectl([
      'delete',
      'clusterrolebinding,clusterrole',
      clusterName,
      '--ignore-not-found',
      '--wait=false',
    ]);
  });
  await applyCrd();
  const copy = installYamlCopy(docs, opNs, watch, clusterName);
  t.notMatch(JSON.stringify(copy), /anylog-system/, 'nothing in the copy refers to anylog-system');
  const apply = await kubectl(['apply', '--server-side', '-f', '-'], {
    input: copy.map((d) => stringify(d)).join('---\n'),
  });
  t.equal(apply.code, 0, `kubectl apply --server-side: ${apply.stderr}`);
  logsOnFailure(t, opNs);
  const rollout = await kubectl(
    ['-n', opNs, 'rollout', 'status', `deployment/${String(dep?.metadata.name)}`, '--timeout=300s'],
    { timeoutMs: 330_000 },
  );
  t.equal(rollout.code, 0, `rollout status: ${rollout.stdout}${rollout.stderr}`);
  const release = String(dep?.spec.selector.matchLabels['app.kubernetes.io/instance']);
  const pods = await twoReadyReplicasOnNode(t, opNs, release, cidr);
  for (const p of await operatorPods(opNs, release)) {
    t.equal(
      p.spec.serviceAccountName,
      'anylog-operator',
      `${p.metadata.name} runs as install.yaml's ServiceAccount`,
    );
  }
  await oneLeader(t, opNs, pods);
});
