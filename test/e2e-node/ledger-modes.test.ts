// The three ledger modes on the local cluster's REAL node (kubelet + containerd, kube-proxy, CoreDNS, the
// local-path provisioner), with the operator installed by helm and running with the chart's default
// LEDGER_ADDRESSING=service (never pod-ip):
//   - embedded: SQLite on the node's PVC;
//   - external: the host's PostgreSQL, reached from the pod at ANYLOG_TEST_NODE_IP (role, database and
//     credentials Secret prepared here as scripts/demo/external-ledger.ts does);
//   - managed: a PostgreSQL StatefulSet the operator creates from ANYLOG_TEST_POSTGRES_IMAGE, its PVC from
//     the default StorageClass, reached by the node through the ledger Service's DNS name.
// For each: the AnyLogMaster reaches Ready; the master policy read over REST (curl-equivalent GET with
// `User-Agent: AnyLog/1.23` and `command: blockchain get master`, from the host to the client Service's
// ClusterIP) is exactly one policy advertising that ClusterIP (compared with `kubectl get svc`); then two
// query-type anylog-node pods (restricted security context, configured by environment and a boot script)
// sync the ledger from the master, one through the Service ClusterIP and one through the Service DNS name
// `<svc>.<ns>.svc.cluster.local`, and must hold the master's policies (same ids). This is what a real
// AnyLog network does with an operator-run master, so it fails when the advertised address, the Service,
// the ledger wiring of a mode, or the sync path between pods breaks.
import t, { type Test } from 'tap';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../controlplane/src/paths.js';
import {
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
  installOperator,
  nodeEnv,
  podLogs,
  policies,
  restGet,
  waitPodReady,
  type Policy,
  waitMasterReady,
} from '../helpers/node-cluster.js';
import { adminUrl, createOwnedDatabase } from '../helpers/pg.js';

// Three masters, a PostgreSQL StatefulSet and six node pods, one after the other on a contended node.
t.setTimeout(3_600_000);

const restricted = { 'pod-security.kubernetes.io/enforce': 'restricted' };
const QUERY_TCP_PORT = 32348;
const QUERY_REST_PORT = 32349;
const QUERY_SCRIPT_CM = 'query-node-script';
const COMPANY = 'New Company';

/** Boot script of a query node: servers, then the synchronizer pulling the ledger from LEDGER_CONN. */
const QUERY_SCRIPT = `# query node started by test/e2e-node/ledger-modes.test.ts: sync the ledger from the master
node_name = $NODE_NAME
anylog_server_port = $ANYLOG_SERVER_PORT
anylog_rest_port = $ANYLOG_REST_PORT
ledger_conn = $LEDGER_CONN
blockchain_sync = $BLOCKCHAIN_SYNC
<run tcp server where external_ip = !external_ip and external_port = !anylog_server_port and
    internal_ip = !internal_ip and internal_port = !anylog_server_port and bind = false and threads = 2>
<run rest server where external_ip = !external_ip and external_port = !anylog_rest_port and
    internal_ip = !internal_ip and internal_port = !anylog_rest_port and bind = false and threads = 2 and timeout = 30>
run scheduler 1
run blockchain sync where source = master and time = !blockchain_sync and dest = file and connection = !ledger_conn
`;

function inner(p: Policy): Record<string, unknown> {
  const v = Object.values(p)[0];
  if (v === undefined) throw new Error(`empty policy ${JSON.stringify(p)}`);
  return v;
}

const idOf = (p: Policy): string => String(inner(p)['id']);
const sortedIds = (ps: readonly Policy[]): string[] => ps.map(idOf).sort();

/** A sample of manifests/samples with name, namespace and node name set. */
function sample(file: string, ns: string, name: string, nodeName: string): KubeObject {
  const doc = parse(readFileSync(join(repoRoot, 'manifests', 'samples', file), 'utf8'));
  doc.metadata = { ...doc.metadata, name, namespace: ns };
  doc.spec.nodeName = nodeName;
  doc.spec.company = COMPANY;
  doc.spec.syncIntervalSeconds = 10;
  return doc;
}

async function apply(object: unknown): Promise<void> {
  await kubectlOk(['apply', '--server-side', '--field-manager=e2e-node', '--force-conflicts', '-f', '-'], {
    input: JSON.stringify(object),
  });
}

/** A query-type anylog-node pod syncing from `ledgerConn`, under the restricted Pod Security profile. */
function queryPod(ns: string, name: string, image: string, ledgerConn: string): KubeObject {
  const podIp = { valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: { 'app.kubernetes.io/name': 'e2e-query-node' } },
    spec: {
      restartPolicy: 'Never',
      enableServiceLinks: false,
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: 5,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 10001,
        runAsGroup: 10001,
        fsGroup: 10001,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [
        {
          name: 'anylog-node',
          image,
          imagePullPolicy: 'Never',
          command: ['anylog-node', '/etc/anylog/query/query.al'],
          env: [
            { name: 'NODE_TYPE', value: 'query' },
            { name: 'NODE_NAME', value: name },
            { name: 'COMPANY_NAME', value: COMPANY },
            { name: 'ANYLOG_SERVER_PORT', value: String(QUERY_TCP_PORT) },
            { name: 'ANYLOG_REST_PORT', value: String(QUERY_REST_PORT) },
            { name: 'POD_IP', ...podIp },
            { name: 'INTERNAL_IP', ...podIp },
            { name: 'EXTERNAL_IP', ...podIp },
            { name: 'LEDGER_CONN', value: ledgerConn },
            { name: 'BLOCKCHAIN_SYNC', value: '5 seconds' },
            { name: 'ANYLOG_PATH', value: '/app' },
          ],
          ports: [
            { name: 'tcp', containerPort: QUERY_TCP_PORT, protocol: 'TCP' },
            { name: 'rest', containerPort: QUERY_REST_PORT, protocol: 'TCP' },
          ],
          readinessProbe: {
            httpGet: {
              path: '/',
              port: 'rest',
              httpHeaders: [
                { name: 'User-Agent', value: 'AnyLog/1.23' },
                { name: 'command', value: 'get status' },
              ],
            },
            periodSeconds: 3,
          },
          resources: { requests: { cpu: '50m', memory: '96Mi' }, limits: { memory: '256Mi' } },
          securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            capabilities: { drop: ['ALL'] },
          },
          volumeMounts: [
            { name: 'script', mountPath: '/etc/anylog/query', readOnly: true },
            { name: 'home', mountPath: '/app/AnyLog-Network' },
            { name: 'tmp', mountPath: '/tmp' },
          ],
        },
      ],
      volumes: [
        { name: 'script', configMap: { name: QUERY_SCRIPT_CM, defaultMode: 0o444 } },
        { name: 'home', emptyDir: {} },
        { name: 'tmp', emptyDir: {} },
      ],
    },
  };
}

interface MasterView {
  readonly clusterIp: string;
  readonly svcDns: string;
  readonly tcpPort: number;
  readonly restPort: number;
  readonly policyId: string;
}

/** The client Service as kubectl shows it, and the master policy over REST at its ClusterIP. */
async function checkAdvertised(t: Test, ns: string, name: string, cr: KubeObject): Promise<MasterView> {
  const svc = await getJson(['-n', ns, 'svc', name]);
  const clusterIp = svc.spec.clusterIP as string;
  const port = (n: string): number =>
    Number((svc.spec.ports as KubeObject[]).find((p: KubeObject) => p.name === n)?.port);
  const restPort = port('rest');
  const tcpPort = port('tcp');
  t.match(clusterIp, /^\d+\.\d+\.\d+\.\d+$/, `svc/${name} has a ClusterIP`);
  t.equal(cr.status.advertisedAddress, clusterIp, 'status.advertisedAddress is the Service ClusterIP');
  const masters = await waitUntil(
    `blockchain get master at ${clusterIp}:${restPort} (the Service, from the host)`,
    async () => {
      const ps = await policies(clusterIp, restPort, 'blockchain get master');
      return ps.length > 0 ? ps : undefined;
    },
    120_000,
    2000,
  );
  t.equal(masters.length, 1, `exactly one master policy: ${JSON.stringify(masters)}`);
  const m = inner(masters[0]!);
  t.equal(m['ip'], clusterIp, 'the master policy advertises the Service ClusterIP (ip)');
  t.equal(m['local_ip'], clusterIp, 'and local_ip');
  t.equal(Number(m['port']), tcpPort, 'and the Service TCP port');
  t.equal(Number(m['rest_port']), restPort, 'and the Service REST port');
  t.equal(m['name'], cr.spec.nodeName);
  t.equal(m['company'], COMPANY);
  t.equal(idOf(masters[0]!), cr.status.policyId, 'the policy on the node is status.policyId');
  return {
    clusterIp,
    svcDns: `${name}.${ns}.svc.cluster.local`,
    tcpPort,
    restPort,
    policyId: idOf(masters[0]!),
  };
}

/** Starts a query node syncing through `conn` and checks it holds the master's policies. */
async function checkQueryNode(
  t: Test,
  ns: string,
  podName: string,
  conn: string,
  master: MasterView,
): Promise<void> {
  const env = nodeEnv();
  await apply(queryPod(ns, podName, env.image, conn));
  let ok = false;
  t.teardown(async () => {
    if (!ok) t.comment(`logs of ${podName}:\n${await podLogs(ns, podName, 'anylog-node')}`);
    await kubectl(['-n', ns, 'delete', 'pod', podName, '--wait=false']);
  });
  const p = await waitPodReady(ns, podName, 300_000);
  const ip = p.status.podIP as string;
  const got = await waitUntil(
    `query node ${podName} (connection ${conn}) to receive the master policy ${master.policyId}`,
    async () => {
      const ps = await policies(ip, QUERY_REST_PORT, 'blockchain get master');
      return ps.some((x) => idOf(x) === master.policyId) ? ps : undefined;
    },
    180_000,
    2000,
  );
  t.equal(got.length, 1, `${podName}: one master policy`);
  t.equal(idOf(got[0]!), master.policyId, `${podName}: the master's policy id`);
  t.equal(inner(got[0]!)['ip'], master.clusterIp, `${podName}: the policy names the ClusterIP`);
  // The whole ledger: the query node's copy equals the master's (the master is read again each time,
  // since its own file follows its table on the sync period).
  const same = await waitUntil(
    `${podName}: the same policy ids as the master`,
    async () => {
      const mine = sortedIds(await policies(ip, QUERY_REST_PORT, 'blockchain get *'));
      const theirs = sortedIds(await policies(master.clusterIp, master.restPort, 'blockchain get *'));
      return JSON.stringify(mine) === JSON.stringify(theirs) ? mine : undefined;
    },
    120_000,
    2000,
  );
  t.ok(same.includes(master.policyId), `${podName} holds ${same.length} policies, as the master does`);
  const status = await restGet(ip, QUERY_REST_PORT, 'get status');
  t.equal(status.status, 200, `${podName} answers get status`);
  ok = true;
}

/** Deletes the CR (waiting for the operator's finalizer, if any) at the end of a mode's subtest. */
function deleteAtEnd(t: Test, ns: string, name: string): void {
  t.teardown(async () => {
    if (!t.passing()) {
      t.comment(`${ns}/${name}: ${await describeMaster(ns, name)}`);
      t.comment(await containerLogs(ns));
    }
    const r = await kubectl(['-n', ns, 'delete', 'anylogmaster', name, '--wait=true', '--timeout=180s'], {
      timeoutMs: 200_000,
    });
    if (r.code !== 0) t.comment(`delete alm/${name}: ${r.stderr}`);
  });
}

async function masterAndQueryNodes(
  t: Test,
  ns: string,
  cr: KubeObject,
  readyMs: number,
): Promise<MasterView> {
  const name = cr.metadata.name as string;
  deleteAtEnd(t, ns, name);
  await apply(cr);
  const ready = await waitMasterReady(ns, name, readyMs);
  t.pass(`alm/${name} Ready`);
  const master = await checkAdvertised(t, ns, name, ready);
  await checkQueryNode(t, ns, `${name}-q-ip`, `${master.clusterIp}:${master.tcpPort}`, master);
  await checkQueryNode(t, ns, `${name}-q-dns`, `${master.svcDns}:${master.tcpPort}`, master);
  return master;
}

const env = nodeEnv();
const ns = await testNamespace(t, 'e2n-ledger', restricted);
const release = `alm-op-${randomBytes(3).toString('hex')}`;
await installOperator(t, { release, namespace: ns, watch: [ns], replicas: 1 });
await apply({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: QUERY_SCRIPT_CM, namespace: ns },
  data: { 'query.al': QUERY_SCRIPT },
});

t.test('the operator runs with LEDGER_ADDRESSING=service (the chart default), not pod-ip', async (t) => {
  const deps = await getJson(['-n', ns, 'deployments', '-l', `app.kubernetes.io/instance=${release}`]);
  t.equal(deps.items.length, 1, 'one operator Deployment');
  const c = deps.items[0]?.spec.template.spec.containers[0];
  const addressing = (c?.env as KubeObject[] | undefined)?.find(
    (e: KubeObject) => e.name === 'LEDGER_ADDRESSING',
  );
  t.equal(addressing?.value, 'service');
  t.equal(deps.items[0]?.status.readyReplicas, 1, 'the operator replica is ready');
});

t.test('embedded ledger (SQLite on the PVC)', async (t) => {
  const cr = sample('anylogmaster-embedded.yaml', ns, 'm-emb', 'anylog-master-emb');
  await masterAndQueryNodes(t, ns, cr, 600_000);
  const cm = await getJson(['-n', ns, 'configmap', 'm-emb-config']);
  t.equal(cm.data.DB_TYPE, 'sqlite');
  const pvc = await getJson(['-n', ns, 'pvc', 'data-m-emb-0']);
  t.equal(pvc.status.phase, 'Bound', 'the node PVC is bound');
});

t.test('external ledger (the host PostgreSQL at the node IP)', async (t) => {
  const admin = new URL(adminUrl());
  const { role, password, database } = await createOwnedDatabase(admin.href, 'e2n', t);
  await kubectlOk([
    '-n',
    ns,
    'create',
    'secret',
    'generic',
    'm-ext-ledger',
    `--from-literal=username=${role}`,
    `--from-literal=password=${password}`,
  ]);
  const cr = sample('anylogmaster-external.yaml', ns, 'm-ext', 'anylog-master-ext');
  const external = cr.spec.ledger.external;
  delete external.adminCredentialsSecretRef;
  cr.spec.ledger.external = {
    ...external,
    host: env.nodeIp,
    port: Number(admin.port === '' ? '5432' : admin.port),
    database,
    sslMode: 'disable',
    credentialsSecretRef: { ...external.credentialsSecretRef, name: 'm-ext-ledger' },
  };
  await masterAndQueryNodes(t, ns, cr, 600_000);
  const cm = await getJson(['-n', ns, 'configmap', 'm-ext-config']);
  t.equal(cm.data.DB_TYPE, 'psql');
  t.equal(cm.data.DB_IP, env.nodeIp, 'the node reaches PostgreSQL at the node IP');
});

t.test('managed ledger (a PostgreSQL StatefulSet from ANYLOG_TEST_POSTGRES_IMAGE)', async (t) => {
  const cr = sample('anylogmaster-managed.yaml', ns, 'm-mgd', 'anylog-master-managed');
  await masterAndQueryNodes(t, ns, cr, 900_000);
  const sts = await getJson(['-n', ns, 'statefulset', 'm-mgd-ledger']);
  t.equal(sts.spec.template.spec.containers[0].image, env.postgresImage, 'the ledger runs the local image');
  t.equal(sts.status.readyReplicas, 1, 'the ledger StatefulSet is ready');
  const pvc = await getJson(['-n', ns, 'pvc', 'pgdata-m-mgd-ledger-0']);
  t.equal(pvc.status.phase, 'Bound', 'the ledger PVC is bound');
  const classes = await getJson(['storageclass']);
  const dflt = (classes.items as KubeObject[]).find(
    (c: KubeObject) => c.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true',
  );
  t.ok(dflt, 'the cluster has a default StorageClass');
  t.equal(pvc.spec.storageClassName, dflt?.metadata.name, 'the ledger PVC got the default StorageClass');
  const cm = await getJson(['-n', ns, 'configmap', 'm-mgd-config']);
  t.equal(cm.data.DB_TYPE, 'psql');
  t.match(
    cm.data.DB_IP,
    new RegExp(`^m-mgd-ledger\\.${ns}\\.svc(\\.cluster\\.local)?$`),
    'service addressing: the node reaches the ledger by its Service DNS name, not a pod IP',
  );
});
