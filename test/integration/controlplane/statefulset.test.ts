// The local pod runner under a StatefulSet: the pod becomes
// Ready, its process listens on the loopback pod IP, a killed process restarts (restartCount grows),
// a deleted pod is re-created and its process starts, the claim's directory survives the re-creation,
// ConfigMap env and volumes are materialised, and scaling to 0 leaves no process.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { get } from '../../controlplane/src/http.js';
import { isListening } from '../../controlplane/src/ports.js';
import { processAlive } from '../../controlplane/src/procs.js';
import { getJson, kubectlOk, podDir, testNamespace, waitUntil } from '../../helpers/cluster.js';
import type { KubeObject } from '../../helpers/cluster.js';

// Waits for real controllers and processes: more than tap's default per-file timeout.
t.setTimeout(300_000);

const PORT = 18081;

function statefulSet(ns: string): unknown {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: ns },
    spec: {
      replicas: 1,
      serviceName: 'web',
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          terminationGracePeriodSeconds: 5,
          containers: [
            {
              name: 'server',
              image: 'example.invalid/test-http-server:1',
              command: ['test-http-server'],
              args: ['$(POD_IP)', String(PORT)],
              env: [
                { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
                { name: 'DATA_DIR', value: '/data' },
                { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'web-config', key: 'greeting' } } },
              ],
              ports: [{ name: 'http', containerPort: PORT }],
              readinessProbe: {
                httpGet: { path: '/healthz', port: 'http', httpHeaders: [{ name: 'X-Probe', value: '1' }] },
                periodSeconds: 2,
              },
              livenessProbe: { tcpSocket: { port: PORT }, periodSeconds: 5, failureThreshold: 3 },
              volumeMounts: [
                { name: 'data', mountPath: '/data' },
                { name: 'config', mountPath: '/etc/web' },
              ],
            },
          ],
          volumes: [{ name: 'config', configMap: { name: 'web-config' } }],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        },
      ],
    },
  };
}

async function readyPod(ns: string, notUid?: string): Promise<KubeObject> {
  return waitUntil(
    'web-0 to be Ready',
    async () => {
      const pod = await getJson(['-n', ns, 'pod', 'web-0']).catch(() => undefined);
      if (pod === undefined || pod.metadata.uid === notUid || pod.metadata.deletionTimestamp !== undefined)
        return undefined;
      const ready = pod.status?.conditions?.find((c: KubeObject) => c.type === 'Ready')?.status === 'True';
      return ready ? pod : undefined;
    },
    90_000,
  );
}

async function info(ip: string): Promise<{ pid: number; host: string; greeting: string }> {
  return JSON.parse((await get(`http://${ip}:${PORT}/`)).body);
}

t.test('StatefulSet pods run as local processes', async (t) => {
  const ns = await testNamespace(t, 'sts');
  await kubectlOk([
    '-n',
    ns,
    'create',
    'configmap',
    'web-config',
    '--from-literal=greeting=hi there',
    '--from-literal=app.conf=x=1',
  ]);
  await kubectlOk(['apply', '-f', '-'], { input: JSON.stringify(statefulSet(ns)) });

  const pod = await readyPod(ns);
  const ip: string = pod.status.podIP;
  t.match(ip, /^127\.0\.\d+\.\d+$/, 'the pod IP is a loopback address');
  t.equal(pod.status.podIPs[0].ip, ip);
  t.equal(pod.status.hostIP, '127.0.0.1');
  t.equal(pod.spec.nodeName, 'local-node-0');
  const first = await info(ip);
  t.equal(first.host, ip, 'the process listens on the pod IP');
  t.equal(first.greeting, 'hi there', 'configMapKeyRef env is materialised');
  t.ok(processAlive(first.pid));
  const dir = podDir(ns, 'web-0', pod.metadata.uid);
  t.equal(
    readFileSync(join(dir, 'root', 'etc', 'web', 'app.conf'), 'utf8'),
    'x=1',
    'configMap volume mounted under the pod root',
  );
  t.equal(
    readFileSync(join(dir, 'root', 'data', 'starts.log'), 'utf8'),
    `${first.pid}\n`,
    'path rewriting sends /data to the claim',
  );
  const pvc = await getJson(['-n', ns, 'pvc', 'data-web-0']);
  t.equal(pvc.status.phase, 'Bound', 'the claim is bound to an emulated volume');

  // Killing the process restarts it.
  process.kill(first.pid, 'SIGKILL');
  const restarted = await waitUntil(
    'the container to restart',
    async () => {
      const p = await getJson(['-n', ns, 'pod', 'web-0']);
      const cs = p.status.containerStatuses?.[0];
      if (cs?.restartCount < 1 || cs?.ready !== true) return undefined;
      return p;
    },
    60_000,
  );
  const cs = restarted.status.containerStatuses[0];
  t.equal(cs.restartCount, 1, 'restartCount grows');
  t.equal(cs.lastState.terminated.exitCode, 137, 'lastState carries the exit code');
  const second = await info(ip);
  t.not(second.pid, first.pid, 'a new process serves');
  t.notOk(processAlive(first.pid));

  // Deleting the pod makes the StatefulSet controller create a new one whose process starts.
  await kubectlOk(['-n', ns, 'delete', 'pod', 'web-0', '--wait=false']);
  const recreated = await readyPod(ns, pod.metadata.uid);
  t.not(recreated.metadata.uid, pod.metadata.uid, 'a new pod object');
  const third = await info(recreated.status.podIP);
  t.ok(processAlive(third.pid));
  t.notOk(processAlive(second.pid), 'the old process is gone');
  const starts = (await get(`http://${recreated.status.podIP}:${PORT}/starts`)).body.trim().split('\n');
  t.same(
    starts.map(Number),
    [first.pid, second.pid, third.pid],
    'the claim directory survives pod re-creation',
  );

  // Scaling to 0 leaves no process.
  await kubectlOk(['-n', ns, 'scale', 'statefulset', 'web', '--replicas=0']);
  await waitUntil(
    'web-0 to be deleted',
    async () => await getJson(['-n', ns, 'pods']).then((l) => l.items.length === 0),
    60_000,
  );
  await waitUntil('the process to exit', async () => !processAlive(third.pid), 15_000);
  t.notOk(processAlive(third.pid), 'no process after scale to 0');
  t.notOk(await isListening(PORT, recreated.status.podIP), 'nothing listens on the old pod address');
});
