// The operator's health endpoints are what the kubelet acts on, on the real node: the chart's
// Deployment points its readiness and liveness probes at the health port the operator serves
// (HEALTH_PROBE_BIND_ADDRESS), both answer 200 on the pod IP from the node, and the kubelet uses them:
//  - readiness: with the probe pointed at a path the health server answers 404 (a test-only change of the
//    Deployment's probe, the operator is untouched), the new pod's container runs but the pod never turns
//    Ready (kubelet Event "Readiness probe failed"), so Ready follows the probe passing; restored, the
//    rollout completes;
//  - liveness: with the liveness probe pointed there, the pod turns Ready (readiness still passes) and the
//    kubelet restarts the container (restartCount rises; Events Unhealthy "Liveness probe failed" and
//    Killing "failed liveness probe"); restored, a pod is Ready again without restarts.
import t, { type Test } from 'tap';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  getJson,
  kubectl,
  kubectlOk,
  testNamespace,
  waitUntil,
  type KubeObject,
} from '../helpers/cluster.js';
import {
  chartDir,
  containerLogs,
  eventsFor,
  getFromHost,
  installOperator,
  isPodReady,
  restartCount,
  waitPodReady,
  type KubeEvent,
} from '../helpers/node-cluster.js';

// An operator install and four rollouts, one of them waiting for three failed liveness probes (20 s
// apart), on a contended 2-core machine.
t.setTimeout(1_500_000);

const CONTAINER = 'operator';
const NOT_A_PROBE = '/not-a-probe';

/** The pods of the Deployment's current ReplicaSet (the one its revision annotation names). */
async function currentPods(ns: string, deployment: string): Promise<KubeObject[]> {
  const dep = await getJson(['-n', ns, 'deployment', deployment]);
  if ((dep.status?.observedGeneration ?? 0) < dep.metadata.generation)
    throw new Error('change not observed yet');
  const revision = dep.metadata.annotations?.['deployment.kubernetes.io/revision'];
  const sets = (await getJson(['-n', ns, 'replicasets'])).items as KubeObject[];
  const rs = sets.find(
    (s) =>
      (s.metadata.ownerReferences ?? []).some((o: KubeObject) => o.uid === dep.metadata.uid) &&
      s.metadata.annotations?.['deployment.kubernetes.io/revision'] === revision,
  );
  if (rs === undefined) throw new Error(`no ReplicaSet of revision ${revision}`);
  const hash = rs.metadata.labels['pod-template-hash'];
  const pods = (await getJson(['-n', ns, 'pods', '-l', `pod-template-hash=${hash}`])).items as KubeObject[];
  return pods.filter((p) => p.metadata.deletionTimestamp === undefined);
}

/** The single pod of the current rollout, once it exists. */
async function rolloutPod(ns: string, deployment: string): Promise<string> {
  return waitUntil(
    `the pod of deployment/${deployment}'s current ReplicaSet`,
    async () => {
      const pods = await currentPods(ns, deployment);
      if (pods.length !== 1)
        throw new Error(`pods: ${pods.map((p) => p.metadata.name).join(', ') || 'none'}`);
      return String(pods[0].metadata.name);
    },
    120_000,
    1000,
  );
}

/** Replaces one probe's path (JSON patch guarded by a test of the current value). */
async function setProbePath(
  ns: string,
  deployment: string,
  probe: string,
  from: string,
  to: string,
): Promise<void> {
  const path = `/spec/template/spec/containers/0/${probe}/httpGet/path`;
  await kubectlOk([
    '-n',
    ns,
    'patch',
    'deployment',
    deployment,
    '--type=json',
    '-p',
    JSON.stringify([
      { op: 'test', path, value: from },
      { op: 'replace', path, value: to },
    ]),
  ]);
}

async function rolloutComplete(t: Test, ns: string, deployment: string): Promise<void> {
  const r = await kubectl(['-n', ns, 'rollout', 'status', `deployment/${deployment}`, '--timeout=300s'], {
    timeoutMs: 330_000,
  });
  t.equal(r.code, 0, `rollout status deployment/${deployment}: ${r.stdout}${r.stderr}`);
}

/** Waits for a kubelet Event about `pod` whose reason and message match. */
async function waitEvent(
  ns: string,
  pod: string,
  reason: string,
  message: RegExp,
  timeoutMs: number,
): Promise<KubeEvent> {
  return waitUntil(
    `a ${reason} Event for ${pod} matching ${message}`,
    async () => {
      const events = await eventsFor(ns, pod);
      const e = events.find((x) => x.reason === reason && message.test(x.message));
      if (e !== undefined) return e;
      throw new Error(`events: ${events.map((x) => `${x.reason}: ${x.message}`).join(' | ') || 'none'}`);
    },
    timeoutMs,
    1000,
  );
}

t.test('the kubelet uses the operator readiness and liveness probes', async (t) => {
  const watch = await testNamespace(t, 'prb-w');
  const opNs = await testNamespace(t, 'prb-op');
  const release = `alp-${randomBytes(3).toString('hex')}`;
  const deployment = `${release}-anylog-operator`;
  await installOperator(t, { release, namespace: opNs, watch: [watch], replicas: 1 });
  t.teardown(async () => {
    if (!t.passing()) t.comment(`operator containers of ${opNs}:\n${await containerLogs(opNs)}`);
  });

  const values = parse(readFileSync(join(chartDir, 'values.yaml'), 'utf8'));
  const healthPort = Number(values.healthProbePort);
  const dep = await getJson(['-n', opNs, 'deployment', deployment]);
  const c = (dep.spec.template.spec.containers as KubeObject[]).find((x) => x.name === CONTAINER);
  t.equal(
    c?.ports?.find((p: KubeObject) => p.name === 'health')?.containerPort,
    healthPort,
    `the health port is healthProbePort ${healthPort}`,
  );
  t.equal(
    c?.env?.find((e: KubeObject) => e.name === 'HEALTH_PROBE_BIND_ADDRESS')?.value,
    `:${healthPort}`,
    'the operator serves its probes on that port',
  );
  t.match(
    c?.readinessProbe?.httpGet,
    { path: '/readyz', port: 'health' },
    'readinessProbe: GET /readyz on health',
  );
  t.match(
    c?.livenessProbe?.httpGet,
    { path: '/livez', port: 'health' },
    'livenessProbe: GET /livez on health',
  );

  const first = await rolloutPod(opNs, deployment);
  const ready = await waitPodReady(opNs, first);
  t.ok(isPodReady(ready), `${first} Ready`);
  // What the kubelet's HTTP probes see: a GET of the pod IP's health port from the node.
  const get = (path: string) => getFromHost(String(ready.status.podIP), healthPort, path);
  t.same(await get('/readyz'), { status: 200, body: 'ok\n' }, '/readyz answers 200');
  t.same(await get('/livez'), { status: 200, body: 'ok\n' }, '/livez answers 200');
  t.equal((await get(NOT_A_PROBE)).status, 404, `${NOT_A_PROBE} answers 404 (the failing probe path)`);

  await t.test('a pod turns Ready only when its readiness probe passes', async (t) => {
    await setProbePath(opNs, deployment, 'readinessProbe', '/readyz', NOT_A_PROBE);
    const pod = await rolloutPod(opNs, deployment);
    t.not(pod, first, 'a new pod for the changed probe');
    const failed = await waitEvent(
      opNs,
      pod,
      'Unhealthy',
      /^Readiness probe failed: HTTP probe failed with statuscode: 404/,
      180_000,
    );
    t.pass(`kubelet: ${failed.message}`);
    const p = await getJson(['-n', opNs, 'pod', pod]);
    const cs = (p.status.containerStatuses as KubeObject[]).find((x) => x.name === CONTAINER);
    t.ok(cs?.state?.running, 'its container runs');
    t.equal(cs?.ready, false, 'but is not ready');
    t.notOk(isPodReady(p), 'and the pod is not Ready');
    const old = await getJson(['-n', opNs, 'pod', first]);
    t.ok(isPodReady(old), `the rollout holds: ${first} stays Ready`);

    await setProbePath(opNs, deployment, 'readinessProbe', NOT_A_PROBE, '/readyz');
    await rolloutComplete(t, opNs, deployment);
  });

  await t.test('a failing liveness probe makes the kubelet restart the container', async (t) => {
    await setProbePath(opNs, deployment, 'livenessProbe', '/livez', NOT_A_PROBE);
    const pod = await rolloutPod(opNs, deployment);
    await waitPodReady(opNs, pod, 240_000);
    t.pass(`${pod} turns Ready: its readiness probe passes`);
    // periodSeconds 20 and failureThreshold 3: the kubelet kills the container after about a minute.
    const restarted = await waitUntil(
      `the kubelet to restart ${pod}/${CONTAINER}`,
      async () => {
        const p = await getJson(['-n', opNs, 'pod', pod]);
        const n = restartCount(p, CONTAINER);
        if (n < 1) throw new Error(`restartCount ${n}`);
        return p;
      },
      300_000,
      2000,
    );
    t.ok(restartCount(restarted, CONTAINER) >= 1, `restartCount ${restartCount(restarted, CONTAINER)}`);
    const unhealthy = await waitEvent(
      opNs,
      pod,
      'Unhealthy',
      /^Liveness probe failed: HTTP probe failed with statuscode: 404/,
      30_000,
    );
    t.pass(`kubelet: ${unhealthy.message}`);
    const killing = await waitEvent(opNs, pod, 'Killing', /failed liveness probe, will be restarted/, 30_000);
    t.pass(`kubelet: ${killing.message}`);

    await setProbePath(opNs, deployment, 'livenessProbe', NOT_A_PROBE, '/livez');
    await rolloutComplete(t, opNs, deployment);
    const healed = await rolloutPod(opNs, deployment);
    t.not(healed, pod, 'the restored probe rolls out a new pod');
    const p = await waitPodReady(opNs, healed);
    t.ok(isPodReady(p), `${healed} Ready again`);
    t.equal(restartCount(p, CONTAINER), 0, 'without restarts');
    const events = await eventsFor(opNs, healed);
    t.notOk(
      events.some((e) => e.reason === 'Unhealthy' && e.message.startsWith('Liveness')),
      'and no liveness failure',
    );
  });
});
