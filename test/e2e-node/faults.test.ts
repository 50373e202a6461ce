// Faults on the local cluster's REAL node (kubelet + containerd) under one embedded AnyLogMaster that is
// Ready, with the operator installed by helm (LEDGER_ADDRESSING=service, the chart default). In turn:
//   (a) the node container's main process ends, first by SIGTERM from inside the container
//       (`kubectl exec … sh -c 'kill 1'`; a SIGKILL from inside is ignored for a namespace's PID 1), then
//       by SIGKILL from the host (the crash case) → the kubelet restarts the container, restartCount rises;
//   (b) the pod is deleted → the StatefulSet recreates it with the SAME PVC (claimName, claim uid and PV
//       unchanged) and the ledger intact;
//   (c) the kubelet and containerd are stopped and started again (stopComponent/startComponent) → the node
//       reports Ready again, the pods are Running/Ready, the CR is Ready.
// After each step, without anyone touching the CR (same generation): the CR is Ready again, the ledger read
// over REST at the Service ClusterIP holds exactly ONE master policy with the id it had at the start, and
// the same policies as before, including a marker policy inserted at the start (the operator would re-post
// a lost master policy with the same id, so only the marker shows that the ledger itself survived).
// These are the failures a master meets on a real node; the operator must recover from each on its own.
import t, { type Test } from 'tap';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import {
  condition,
  describeMaster,
  getJson,
  kubectl,
  kubectlOk,
  testNamespace,
  waitUntil,
  type KubeObject,
} from '../helpers/cluster.js';
import {
  containerLogs,
  execIn,
  installOperator,
  nodeEnv,
  pod,
  podLogs,
  restartCount,
  startComponent,
  stopComponent,
  waitPodReady,
  getFromHost,
  policies,
  restGet,
  type Policy,
  waitMasterReady,
} from '../helpers/node-cluster.js';
import { createHttpNodeClient } from '../../src/nodeclient/index.js';
import { processAlive, readPidFiles } from '../controlplane/src/procs.js';

// Several container restarts, a pod re-creation and a kubelet/containerd restart on a contended node.
t.setTimeout(3_600_000);

const restricted = { 'pod-security.kubernetes.io/enforce': 'restricted' };
const NAME = 'm';
const POD = `${NAME}-0`;
const CONTAINER = 'anylog-node';
const COMPANY = 'New Company';
const READY_MS = 600_000;

const idOf = (p: Policy): string => String(Object.values(p)[0]?.['id']);
const sortedIds = (ps: readonly Policy[]): string[] => ps.map(idOf).sort();

interface Baseline {
  readonly generation: number;
  readonly policyId: string;
  readonly markerId: string;
  readonly ids: readonly string[];
  readonly clusterIp: string;
  readonly restPort: number;
  readonly claimName: string;
  readonly claimUid: string;
  readonly volumeName: string;
}

/** The claim of the pod's `data` volume, its uid and its PV. */
async function storageOf(
  ns: string,
  p: KubeObject,
): Promise<{ claimName: string; claimUid: string; volumeName: string }> {
  const vol = (p.spec.volumes as KubeObject[]).find((v: KubeObject) => v.persistentVolumeClaim !== undefined);
  const claimName = String(vol?.persistentVolumeClaim?.claimName);
  const pvc = await getJson(['-n', ns, 'pvc', claimName]);
  return { claimName, claimUid: pvc.metadata.uid as string, volumeName: pvc.spec.volumeName as string };
}

let release = '';

/** Reconcile passes of the anylogmaster controller so far, from the operator pod's /metrics. */
async function reconcilePasses(ns: string): Promise<number> {
  const pods = await getJson(['-n', ns, 'pods', '-l', `app.kubernetes.io/instance=${release}`]);
  const op = (pods.items as KubeObject[]).find((x: KubeObject) => condition(x, 'Ready')?.status === 'True');
  if (op === undefined) throw new Error('no ready operator pod');
  const res = await getFromHost(op.status.podIP as string, 8080, '/metrics');
  let n = 0;
  for (const line of res.body.split('\n')) {
    if (
      line.startsWith('controller_runtime_reconcile_total{') &&
      line.includes('controller="anylogmaster"')
    ) {
      n += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return n;
}

/**
 * After a fault, with nobody touching the CR: the node pod Ready, the CR Ready for the same generation
 * and policy id, and the ledger at the Service ClusterIP the same as at the start, with one master policy.
 */
async function steady(t: Test, ns: string, base: Baseline, what: string): Promise<KubeObject> {
  const p = await waitPodReady(ns, POD, READY_MS);
  // A Ready condition written before the fault would pass too: wait for two more reconcile passes, so
  // the Ready read below is the operator's verdict on the node as it is now.
  const passes = await reconcilePasses(ns);
  await waitUntil(
    `${what}: two reconcile passes after the node pod is Ready again (from ${passes})`,
    async () => (await reconcilePasses(ns)) >= passes + 2,
    180_000,
    2000,
  );
  const cr = await waitMasterReady(ns, NAME, READY_MS, what);
  t.equal(cr.metadata.generation, base.generation, `${what}: nobody touched the CR (same generation)`);
  t.equal(cr.status.policyId, base.policyId, `${what}: status.policyId unchanged`);
  t.equal(cr.status.advertisedAddress, base.clusterIp, `${what}: still advertising the Service ClusterIP`);
  const ids = await waitUntil(
    `${what}: the ledger at ${base.clusterIp}:${base.restPort} to hold the policies of the start`,
    async () => {
      const now = sortedIds(await policies(base.clusterIp, base.restPort, 'blockchain get *'));
      if (JSON.stringify(now) !== JSON.stringify(base.ids)) {
        throw new Error(`ledger ids ${JSON.stringify(now)}, at the start ${JSON.stringify(base.ids)}`);
      }
      return now;
    },
    180_000,
    2000,
  );
  t.ok(ids.includes(base.markerId), `${what}: the marker policy survived`);
  const masters = await policies(base.clusterIp, base.restPort, 'blockchain get master');
  t.equal(masters.length, 1, `${what}: exactly one master policy: ${JSON.stringify(masters)}`);
  t.equal(idOf(masters[0]!), base.policyId, `${what}: the master policy id of the start`);
  const storage = await storageOf(ns, p);
  t.same(
    storage,
    { claimName: base.claimName, claimUid: base.claimUid, volumeName: base.volumeName },
    `${what}: the same PVC and PV`,
  );
  return p;
}

/** PID (on this machine) of a container's init process, from runc's state or the cgroup of /proc entries. */
function hostPidOf(containerId: string): number {
  const runc = join(nodeEnv().runDir, 'containerd', 'runc');
  if (existsSync(runc)) {
    for (const nsDir of readdirSync(runc)) {
      const state = join(runc, nsDir, containerId, 'state.json');
      if (existsSync(state)) {
        const pid = Number(
          (JSON.parse(readFileSync(state, 'utf8')) as { init_process_pid?: number }).init_process_pid,
        );
        if (pid > 0) return pid;
      }
    }
  }
  const members = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      if (!readFileSync(`/proc/${entry}/cgroup`, 'utf8').includes(containerId)) continue;
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1]);
      members.set(Number(entry), ppid);
    } catch {
      // the process is gone
    }
  }
  const init = [...members].find(([, ppid]) => !members.has(ppid));
  if (init === undefined) throw new Error(`no process of container ${containerId} found on this machine`);
  return init[0];
}

/** True once a unix socket accepts a connection (bounded). */
async function socketAccepts(path: string, timeoutMs: number): Promise<boolean> {
  const once = (): Promise<boolean> =>
    new Promise((resolve) => {
      const c = connect({ path });
      c.once('connect', () => {
        c.destroy();
        resolve(true);
      });
      c.once('error', () => {
        resolve(false);
      });
    });
  return waitUntil(`${path} to accept connections`, once, timeoutMs, 200).catch(() => false);
}

/** Last lines of a node component's log in the run directory. */
function logTail(name: string, lines: number): string {
  const file = join(nodeEnv().runDir, 'logs', `${name}.log`);
  return existsSync(file)
    ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
    : `(no ${file})`;
}

function containerIdOf(p: KubeObject): string {
  const s = ((p.status?.containerStatuses ?? []) as KubeObject[]).find(
    (c: KubeObject) => c.name === CONTAINER,
  );
  const id = String(s?.containerID ?? '');
  const at = id.indexOf('://');
  if (at < 0) throw new Error(`container ${CONTAINER} has no containerID: ${JSON.stringify(s)}`);
  return id.slice(at + 3);
}

function lastTermination(p: KubeObject): KubeObject {
  const s = ((p.status?.containerStatuses ?? []) as KubeObject[]).find(
    (c: KubeObject) => c.name === CONTAINER,
  );
  return s?.lastState?.terminated;
}

async function waitRestarted(ns: string, before: number, what: string): Promise<KubeObject> {
  return waitUntil(
    `${what}: the kubelet to restart ${CONTAINER} (restartCount above ${before})`,
    async () => {
      const p = await pod(ns, POD);
      return restartCount(p, CONTAINER) > before ? p : undefined;
    },
    300_000,
    1000,
  );
}

nodeEnv(); // fails at once when not run on the real node
const ns = await testNamespace(t, 'e2n-faults', restricted);
release = `alm-op-${randomBytes(3).toString('hex')}`;
await installOperator(t, { release, namespace: ns, watch: [ns], replicas: 1 });
t.teardown(async () => {
  if (!t.passing()) {
    t.comment(`${ns}/${NAME}: ${await describeMaster(ns, NAME)}`);
    t.comment(await containerLogs(ns));
    t.comment(`previous ${POD}:\n${await podLogs(ns, POD, CONTAINER, true)}`);
  }
  // deletionPolicy Retain: no finalizer, the namespace deletion needs no operator.
  await kubectl(['-n', ns, 'delete', 'anylogmaster', NAME, '--wait=false']);
});

let base: Baseline | undefined;

t.test('an embedded AnyLogMaster is Ready; a marker policy is in its ledger', async (t) => {
  const cr = {
    apiVersion: 'anylog.co/v1alpha1',
    kind: 'AnyLogMaster',
    metadata: { name: NAME, namespace: ns },
    spec: {
      nodeName: 'anylog-master-faults',
      company: COMPANY,
      ledger: { embedded: {} },
      syncIntervalSeconds: 5,
      deletionPolicy: 'Retain',
    },
  };
  await kubectlOk(['apply', '--server-side', '--field-manager=e2e-node', '-f', '-'], {
    input: JSON.stringify(cr),
  });
  const ready = await waitMasterReady(ns, NAME, READY_MS, 'start');
  const svc = await getJson(['-n', ns, 'svc', NAME]);
  const clusterIp = svc.spec.clusterIP as string;
  const restPort = Number((svc.spec.ports as KubeObject[]).find((p: KubeObject) => p.name === 'rest')?.port);
  t.equal(ready.status.advertisedAddress, clusterIp, 'the master advertises its Service ClusterIP');
  const masters = await waitUntil(
    'the master policy at the ClusterIP',
    async () => {
      const ps = await policies(clusterIp, restPort, 'blockchain get master');
      return ps.length > 0 ? ps : undefined;
    },
    120_000,
    2000,
  );
  t.equal(masters.length, 1, 'one master policy');
  const policyId = idOf(masters[0]!);
  t.equal(policyId, ready.status.policyId, 'the node holds status.policyId');

  const client = createHttpNodeClient({ host: clusterIp, port: restPort });
  const nonce = randomBytes(6).toString('hex');
  t.equal(
    await client.insertPolicy({ marker: { name: 'e2e-faults', company: COMPANY, nonce } }),
    'inserted',
    'a marker policy is inserted through the master',
  );
  const all = await waitUntil(
    'the marker policy in the master ledger',
    async () => {
      const ps = await policies(clusterIp, restPort, 'blockchain get *');
      return ps.some((p) => p['marker']?.['nonce'] === nonce) ? ps : undefined;
    },
    120_000,
    2000,
  );
  const marker = all.find((p) => p['marker']?.['nonce'] === nonce)!;
  const p = await pod(ns, POD);
  const storage = await storageOf(ns, p);
  t.equal(storage.claimName, `data-${POD}`, 'the node pod mounts its claim data-m-0');
  t.ok(storage.volumeName, 'the claim is bound to a PV');
  base = {
    generation: ready.metadata.generation as number,
    policyId,
    markerId: idOf(marker),
    ids: sortedIds(all),
    clusterIp,
    restPort,
    ...storage,
  };
  t.comment(
    `baseline: policy ${policyId}, ${all.length} policies, PVC ${storage.claimName} on ${storage.volumeName}`,
  );
});

function baseline(): Baseline {
  if (base === undefined) throw new Error('the first subtest did not bring the master to Ready');
  return base;
}

t.test('(a) the main process ends: SIGTERM from inside, then SIGKILL from the host', async (t) => {
  const b = baseline();
  let before = restartCount(await pod(ns, POD), CONTAINER);
  let k = await execIn(ns, POD, CONTAINER, ['sh', '-c', 'kill 1']);
  if (k.code === 126 || k.code === 127 || /not found|executable file/.test(k.stderr)) {
    k = await execIn(ns, POD, CONTAINER, ['node', '-e', "process.kill(1, 'SIGTERM')"]);
  }
  t.comment(`kubectl exec kill 1: code ${k.code} ${k.stderr.trim()}`);
  let p = await waitRestarted(ns, before, 'SIGTERM');
  t.ok(restartCount(p, CONTAINER) > before, `restartCount rose to ${restartCount(p, CONTAINER)}`);
  t.equal(lastTermination(p)?.exitCode, 0, 'anylog-node shut down cleanly on SIGTERM (exit code 0)');
  await steady(t, ns, b, 'after SIGTERM of PID 1');

  p = await pod(ns, POD);
  before = restartCount(p, CONTAINER);
  const id = containerIdOf(p);
  const pid = hostPidOf(id);
  const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  t.match(cmdline, /anylog-node/, `host PID ${pid} is the container's anylog-node (${cmdline.trim()})`);
  process.kill(pid, 'SIGKILL');
  p = await waitRestarted(ns, before, 'SIGKILL');
  t.ok(restartCount(p, CONTAINER) > before, `restartCount rose to ${restartCount(p, CONTAINER)}`);
  t.equal(lastTermination(p)?.exitCode, 137, 'the previous instance ended by SIGKILL (exit code 137)');
  t.not(containerIdOf(p), id, 'a new container runs');
  await steady(t, ns, b, 'after SIGKILL of the main process');
});

t.test('(b) the pod is deleted: recreated on the same PVC, ledger intact', async (t) => {
  const b = baseline();
  const old = await pod(ns, POD);
  const oldUid = old.metadata.uid as string;
  await kubectlOk(['-n', ns, 'delete', 'pod', POD, '--wait=false']);
  await waitUntil(
    `a new ${POD} (uid other than ${oldUid})`,
    async () => {
      const r = await kubectl(['-n', ns, 'get', 'pod', POD, '-o', 'json']);
      return r.code === 0 && JSON.parse(r.stdout).metadata.uid !== oldUid;
    },
    300_000,
    1000,
  );
  const p = await steady(t, ns, b, 'after the pod deletion');
  t.not(p.metadata.uid, oldUid, 'the StatefulSet created a new pod');
});

t.test('(c) kubelet and containerd stop and start again', async (t) => {
  const b = baseline();
  const before = await pod(ns, POD);
  const nodeName = before.spec.nodeName as string;
  const restartsBefore = restartCount(before, CONTAINER);
  const pidDir = join(nodeEnv().runDir, 'pids');
  const pidOf = (name: string): number | undefined => readPidFiles(pidDir).find((r) => r.name === name)?.pid;
  const old = { kubelet: pidOf('kubelet'), containerd: pidOf('containerd') };
  t.ok(old.kubelet !== undefined && old.containerd !== undefined, `recorded PIDs ${JSON.stringify(old)}`);
  let restartedAt = 0;
  try {
    await stopComponent('kubelet');
    await stopComponent('containerd');
    t.notOk(processAlive(old.kubelet ?? 0), 'the kubelet process is gone');
    t.notOk(processAlive(old.containerd ?? 0), 'the containerd process is gone');
    // Containers run on under their shims: the master should still answer through the Service.
    const during = await restGet(b.clusterIp, b.restPort, 'get status', 5000).then(
      (a) => `HTTP ${a.status}`,
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
    t.comment(`while kubelet and containerd were stopped, get status at the ClusterIP: ${during}`);
  } finally {
    restartedAt = Date.now();
    try {
      startComponent('containerd');
      // The kubelet checks the CRI endpoint once at start-up and exits when it cannot connect, and nothing
      // on this node restarts it (no systemd): start it once containerd accepts connections, as a unit
      // ordered After=containerd would be.
      const ok = await socketAccepts(join(nodeEnv().runDir, 'containerd', 'containerd.sock'), 60_000);
      t.ok(ok, 'containerd accepts connections on its socket again');
    } finally {
      startComponent('kubelet');
    }
  }
  t.teardown(() => {
    // Never leave the shared node without a kubelet: restart one that died, and say so.
    if (!processAlive(pidOf('kubelet') ?? 0)) {
      t.comment(`the kubelet is not running: starting it again\n${logTail('kubelet', 15)}`);
      startComponent('kubelet');
    }
  });
  const node = await waitUntil(
    `node ${nodeName} Ready with a heartbeat after the restart (or the kubelet exiting)`,
    async () => {
      if (!processAlive(pidOf('kubelet') ?? 0)) return { dead: true as const, n: undefined };
      const n = await getJson(['node', nodeName]);
      const ready = condition(n, 'Ready');
      const beat = Date.parse(String(ready?.lastHeartbeatTime ?? ''));
      return ready?.status === 'True' && beat >= restartedAt - 1000 ? { dead: false as const, n } : undefined;
    },
    300_000,
    2000,
  ).then((r) => {
    if (r.dead) throw new Error(`the restarted kubelet exited:\n${logTail('kubelet', 15)}`);
    return r.n;
  });
  t.equal(condition(node, 'Ready')?.status, 'True', `node ${nodeName} Ready`);
  for (const name of ['kubelet', 'containerd'] as const) {
    const now = pidOf(name);
    t.ok(now !== undefined && now !== old[name] && processAlive(now), `${name} runs again (PID ${now})`);
  }
  const pods = await waitUntil(
    `every pod of ${ns} Running and Ready`,
    async () => {
      const list = await getJson(['-n', ns, 'pods']);
      const items = list.items as KubeObject[];
      const notReady = items.filter(
        (x: KubeObject) => x.status?.phase !== 'Running' || condition(x, 'Ready')?.status !== 'True',
      );
      if (notReady.length > 0)
        throw new Error(`not ready: ${notReady.map((x: KubeObject) => x.metadata.name).join(', ')}`);
      return items;
    },
    READY_MS,
    2000,
  );
  t.ok(pods.length >= 2, `${pods.length} pods Running/Ready (operator and node)`);
  const p = await steady(t, ns, b, 'after the kubelet/containerd restart');
  // exec goes apiserver → kubelet → containerd (CRI) → runc: both restarted components serve the pod.
  const ex = await execIn(ns, POD, CONTAINER, ['sh', '-c', 'echo alive']);
  t.equal(ex.stdout.trim(), 'alive', `kubectl exec into ${POD} works again: ${ex.stderr}`);
  t.comment(
    `${CONTAINER} restarts across the kubelet/containerd restart: ${restartCount(p, CONTAINER) - restartsBefore}`,
  );
});
