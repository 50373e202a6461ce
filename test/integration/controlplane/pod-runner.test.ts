// Pod runner behaviours beyond StatefulSets: run-to-completion pods end
// Succeeded or Failed, init containers run first, unknown images fail with ImageNotMapped, pods get a
// service-account kubeconfig with a bound token, the postgres shim honours the image's contract, and a
// status written for a deleted pod never lands on a new pod of the same name.
import t from 'tap';
import pg from 'pg';
import { KubeConfig } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { get } from '../../controlplane/src/http.js';
import { ApiError, createApi } from '../../controlplane/src/pod-runner/api.js';
import { applyStatus } from '../../controlplane/src/pod-runner/status.js';
import {
  clusterEnv,
  getJson,
  kubectl,
  kubectlOk,
  podDir,
  testNamespace,
  waitUntil,
} from '../../helpers/cluster.js';
import type { KubeObject } from '../../helpers/cluster.js';

// Waits for real controllers and processes: more than tap's default per-file timeout.
t.setTimeout(300_000);

async function apply(obj: unknown): Promise<void> {
  await kubectlOk(['apply', '-f', '-'], { input: JSON.stringify(obj) });
}

async function podWhere(
  ns: string,
  name: string,
  pred: (p: KubeObject) => boolean,
  timeoutMs = 60_000,
): Promise<KubeObject> {
  return waitUntil(
    `pod ${ns}/${name}`,
    async () => {
      const p = await getJson(['-n', ns, 'pod', name]).catch(() => undefined);
      return p !== undefined && pred(p) ? p : undefined;
    },
    timeoutMs,
  );
}

const pod = (ns: string, name: string, spec: object): object => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns },
  spec,
});

t.test('run-to-completion pods, init containers and unmapped images', async (t) => {
  const ns = await testNamespace(t, 'runner');
  await apply(
    pod(ns, 'ok', {
      restartPolicy: 'Never',
      initContainers: [{ name: 'init', image: 'x', command: ['sh', '-c', 'echo init-ran'] }],
      containers: [{ name: 'c', image: 'x', command: ['true'] }],
    }),
  );
  await apply(
    pod(ns, 'bad', {
      restartPolicy: 'Never',
      containers: [{ name: 'c', image: 'x', command: ['sh', '-c', 'exit 7'] }],
    }),
  );
  await apply(
    pod(ns, 'unmapped', {
      restartPolicy: 'Never',
      containers: [{ name: 'c', image: 'docker.io/library/nginx:1.27' }],
    }),
  );
  const ok = await podWhere(ns, 'ok', (p) => p.status?.phase === 'Succeeded');
  t.equal(ok.status.containerStatuses[0].state.terminated.exitCode, 0);
  t.equal(
    ok.status.initContainerStatuses[0].state.terminated.exitCode,
    0,
    'the init container ran to completion',
  );
  t.match(
    readFileSync(join(podDir(ns, 'ok', ok.metadata.uid), 'logs', 'init.log'), 'utf8'),
    /init-ran/,
    'container output goes to logs/<container>.log',
  );
  const bad = await podWhere(ns, 'bad', (p) => p.status?.phase === 'Failed');
  t.equal(bad.status.containerStatuses[0].state.terminated.exitCode, 7);
  const unmapped = await podWhere(ns, 'unmapped', (p) => p.status?.phase === 'Failed');
  t.equal(unmapped.status.reason, 'ImageNotMapped');
});

t.test('pods run under their ServiceAccount with a bound token', async (t) => {
  const ns = await testNamespace(t, 'sa');
  await kubectlOk(['-n', ns, 'create', 'serviceaccount', 'reader']);
  await kubectlOk(['-n', ns, 'create', 'role', 'reader', '--verb=get', '--resource=configmaps']);
  await kubectlOk([
    '-n',
    ns,
    'create',
    'rolebinding',
    'reader',
    '--role=reader',
    `--serviceaccount=${ns}:reader`,
  ]);
  const port = 18082;
  await apply(
    pod(ns, 'web', {
      serviceAccountName: 'reader',
      containers: [
        {
          name: 'c',
          image: 'x',
          command: ['test-http-server', '$(POD_IP)', String(port)],
          env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
          readinessProbe: { httpGet: { path: '/healthz', port } },
        },
      ],
    }),
  );
  const p = await podWhere(ns, 'web', (x) => x.status?.containerStatuses?.[0]?.ready === true);
  const env = JSON.parse((await get(`http://${p.status.podIP}:${port}/`)).body);
  t.equal(
    env.kubeconfig,
    join(podDir(ns, 'web', p.metadata.uid), 'kubeconfig'),
    'KUBECONFIG points at the pod kubeconfig',
  );
  const asPod = ['--kubeconfig', env.kubeconfig];
  const r1 = await kubectl([...asPod, '-n', ns, 'get', 'configmap', 'kube-root-ca.crt', '-o', 'name'], {
    env: { KUBECONFIG: env.kubeconfig },
  });
  t.equal(r1.code, 0, r1.stderr);
  const r2 = await kubectl([...asPod, '-n', ns, 'get', 'secrets']);
  t.not(r2.code, 0, 'the pod is limited to the Role of its ServiceAccount');
  t.match(r2.stderr, new RegExp(`system:serviceaccount:${ns}:reader`));
});

t.test('the postgres shim follows the official image contract', async (t) => {
  const ns = await testNamespace(t, 'pgshim');
  await apply(
    pod(ns, 'db', {
      containers: [
        {
          name: 'postgres',
          image: 'docker.io/library/postgres:16',
          env: [
            { name: 'POSTGRES_USER', value: 'app' },
            { name: 'POSTGRES_PASSWORD', value: 's3cret' },
            { name: 'POSTGRES_DB', value: 'appdb' },
            { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
          ],
          ports: [{ containerPort: 5432 }],
          readinessProbe: { tcpSocket: { port: 5432 }, periodSeconds: 2 },
          volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }],
        },
      ],
      volumes: [{ name: 'data', emptyDir: {} }],
    }),
  );
  const p = await podWhere(ns, 'db', (x) => x.status?.containerStatuses?.[0]?.ready === true, 90_000);
  const rows = await waitUntil(
    'the database to accept queries',
    async () => {
      const c = new pg.Client({
        host: p.status.podIP,
        port: 5432,
        user: 'app',
        password: 's3cret',
        database: 'appdb',
      });
      await c.connect();
      try {
        return (await c.query('SELECT current_database() AS db, current_user AS u')).rows;
      } finally {
        await c.end();
      }
    },
    30_000,
  );
  t.same(rows, [{ db: 'appdb', u: 'app' }]);
});

t.test('a status written for a deleted pod does not land on its successor of the same name', async (t) => {
  const ns = await testNamespace(t, 'stale');
  // Bound to a node no runner serves, so only this test writes the pods' status.
  const spec = { nodeName: 'no-such-node', containers: [{ name: 'c', image: 'nginx:1.27' }] };
  await apply(pod(ns, 'web-0', spec));
  const old = await getJson(['-n', ns, 'pod', 'web-0']);
  await kubectlOk(['-n', ns, 'delete', 'pod', 'web-0', '--grace-period=0', '--force']);
  await apply(pod(ns, 'web-0', spec));
  const successor = await getJson(['-n', ns, 'pod', 'web-0']);
  t.not(successor.metadata.uid, old.metadata.uid, 'a new pod object under the old name');

  const kc = new KubeConfig();
  kc.loadFromFile(clusterEnv().kubeconfig);
  const api = createApi(kc);
  const err: unknown = await applyStatus(api, old, { phase: 'Failed', reason: 'Stale' }).catch(
    (e: unknown) => e,
  );
  t.ok(err instanceof ApiError, `the stale write is refused (${String(err)})`);
  if (err instanceof ApiError) {
    t.equal(err.status, 422, 'as an invalid change of the immutable uid');
    t.match(err.body, /metadata\.uid/);
  }
  const after = await getJson(['-n', ns, 'pod', 'web-0']);
  t.equal(after.metadata.uid, successor.metadata.uid);
  t.not(after.status?.phase, 'Failed', 'the successor is not made Failed');
  t.not(after.status?.reason, 'Stale');

  await applyStatus(api, successor, { phase: 'Running' });
  const own = await getJson(['-n', ns, 'pod', 'web-0']);
  t.equal(own.status.phase, 'Running', "the successor's own status is written");
});
