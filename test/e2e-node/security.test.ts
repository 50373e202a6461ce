// Pod Security on the real node: in namespaces labelled `pod-security.kubernetes.io/enforce: restricted`
// the operator (chart) and an embedded AnyLogMaster's node pod are admitted and run, and inside their
// running containers (kubectl exec, so what containerd and runc actually applied, not what the spec asks
// for) the process runs as uid 10001, the root file system is read-only (EROFS, not a permission error)
// and every capability set is empty. A root, privileged pod is rejected by admission in that namespace
// and admitted in an unlabelled one, so the admission of the project's pods means something.
import t, { type Test } from 'tap';
import { randomBytes } from 'node:crypto';
import { getJson, kubectl, testNamespace, type KubeObject } from '../helpers/cluster.js';
import {
  applyMasterAndWaitReady,
  containerLogs,
  execIn,
  installOperator,
  nodeEnv,
  operatorPods,
} from '../helpers/node-cluster.js';

// An operator install and a node pod on a contended 2-core machine.
t.setTimeout(1_200_000);

const env = nodeEnv();
const restricted = { 'pod-security.kubernetes.io/enforce': 'restricted' };
const ZERO_CAPS = '0000000000000000';

/** A pod that violates restricted twice over: root and privileged. */
function rootPrivilegedPod(ns: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'root-privileged', namespace: ns },
    spec: {
      containers: [
        {
          name: 'c',
          image: env.image,
          imagePullPolicy: 'Never',
          command: ['sleep', '3600'],
          securityContext: { runAsUser: 0, privileged: true },
        },
      ],
    },
  });
}

/** uid, read-only root file system and capability sets inside one running container. */
async function checkConfined(t: Test, ns: string, pod: string, container: string): Promise<void> {
  const id = await execIn(ns, pod, container, ['id', '-u']);
  t.equal(id.code, 0, `id -u: ${id.stderr}`);
  t.equal(id.stdout.trim(), '10001', 'runs as uid 10001');

  const touch = await execIn(ns, pod, container, ['touch', '/x']);
  t.not(touch.code, 0, 'touch /x fails');
  t.match(touch.stderr, /Read-only file system/, 'because the root file system is read-only');

  const caps = await execIn(ns, pod, container, ['grep', 'Cap', '/proc/self/status']);
  t.equal(caps.code, 0, `grep Cap /proc/self/status: ${caps.stderr}`);
  const sets = Object.fromEntries(
    caps.stdout
      .split('\n')
      .map((l) => /^(Cap\w+):\s*([0-9a-f]+)$/.exec(l.trim()))
      .filter((m) => m !== null)
      .map((m) => [m[1], m[2]]),
  );
  for (const set of ['CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb']) {
    t.equal(sets[set], ZERO_CAPS, `${set} is empty`);
  }
}

t.test('restricted namespaces: operator and node pods admitted and confined at run time', async (t) => {
  const watch = await testNamespace(t, 'sec-w', restricted);
  const opNs = await testNamespace(t, 'sec-op', restricted);
  const open = await testNamespace(t, 'sec-open');
  const release = `als-${randomBytes(3).toString('hex')}`;
  // helm install --wait: the operator pod had to pass restricted admission in opNs to turn Ready.
  await installOperator(t, { release, namespace: opNs, watch: [watch], replicas: 1 });
  t.teardown(async () => {
    if (!t.passing()) t.comment(`operator containers of ${opNs}:\n${await containerLogs(opNs)}`);
  });

  for (const ns of [watch, opNs]) {
    const labels = (await getJson(['namespace', ns])).metadata.labels ?? {};
    t.equal(labels['pod-security.kubernetes.io/enforce'], 'restricted', `${ns} enforces restricted`);
  }

  await t.test('admission rejects a root privileged pod in the restricted namespace', async (t) => {
    const rejected = await kubectl(['create', '-f', '-'], { input: rootPrivilegedPod(watch) });
    t.not(rejected.code, 0, 'kubectl create fails');
    t.match(rejected.stderr, /violates PodSecurity "restricted:/, 'rejected by Pod Security admission');
    t.match(rejected.stderr, /privileged/, 'for being privileged');
    t.match(rejected.stderr, /runAsNonRoot|runAsUser=0/, 'and for running as root');
    const absent = await kubectl(['-n', watch, 'get', 'pod', 'root-privileged']);
    t.not(absent.code, 0, 'no such pod was created');
    // The same pod where nothing is enforced passes admission (server dry run, nothing is created): the
    // rejection above comes from the namespace label.
    const admitted = await kubectl(['create', '--dry-run=server', '-f', '-'], {
      input: rootPrivilegedPod(open),
    });
    t.equal(admitted.code, 0, `admitted without the label: ${admitted.stderr}`);
  });

  const wait = await applyMasterAndWaitReady(t, watch, 'master', opNs);
  t.equal(wait.code, 0, `kubectl wait --for=condition=Ready anylogmaster/master: ${wait.stderr}`);
  if (wait.code !== 0) return;
  const nodePod = await getJson(['-n', watch, 'pod', 'master-0']);
  t.equal(nodePod.status.phase, 'Running', 'the node pod was admitted in the restricted namespace and runs');
  const [opPod] = await operatorPods(opNs, release);
  t.ok(opPod, 'an operator pod');
  if (opPod === undefined) return;

  const targets: [string, KubeObject][] = [
    [watch, nodePod],
    [opNs, opPod],
  ];
  for (const [ns, p] of targets) {
    for (const c of p.spec.containers as KubeObject[]) {
      const name = `${String(p.metadata.name)}/${String(c.name)}`;
      await t.test(`${name}: uid 10001, read-only root, no capabilities`, (t) =>
        checkConfined(t, ns, String(p.metadata.name), String(c.name)),
      );
    }
  }
});
