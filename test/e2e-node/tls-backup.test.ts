// REST over TLS and a ledger backup restored into a new master, on the local cluster's REAL node (kubelet +
// containerd, the operator installed by helm, the node, the backup CronJob and the restore Job as
// containers of the project image). The master serves REST only to clients with a certificate from the
// CA the operator issued: curl without one is refused, with the issued one `get status` answers and
// `get processes` shows `SSL: True`. Marker policies pushed over mutual TLS reach a scheduled backup on a
// local-path volume (checked against its .sha256 and status.backup); the master and its data volume are
// deleted, and a new master with `ledger.restoreFrom` holds the same policies with the same ids and one
// master policy, the one the first master posted.
//
// The master policy id covers the advertised address, and a recreated ClusterIP Service gets a new IP, so
// both masters advertise in LoadBalancer mode and the test plays the load balancer: it gives both client
// Services the same ingress IP, a loopback address nothing connects to.
import t, { type Test } from 'tap';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { createHttpNodeClient, type NodeClient } from '../../src/nodeclient/index.js';
import { repoRoot } from '../controlplane/src/paths.js';
import {
  condition,
  describeMaster,
  getJson,
  kubectl,
  kubectlOk,
  run,
  testNamespace,
  waitUntil,
  type KubeObject,
} from '../helpers/cluster.js';
import {
  byId,
  createBackupClaim,
  idOf,
  provideIngress,
  typeOf,
  waitGone,
  type Policy,
} from '../helpers/ledger-backup.js';
import { containerLogs, eventsFor, installOperator, waitMasterReady } from '../helpers/node-cluster.js';
import { clientFiles, clientPemsOf, podHost, podIP, REST_PORT, restCurl } from '../helpers/rest-tls.js';

// An operator install, two masters, a backup and a restore Job on a contended 2-core machine.
t.setTimeout(1_800_000);

const NAME = 'master';
const CLAIM = 'ledger-backups';
const LB_IP = '127.0.250.9';
const MARKERS = ['alpha', 'beta', 'gamma'];

function master(ns: string, extra: Record<string, unknown>): string {
  const doc = parse(
    readFileSync(join(repoRoot, 'manifests', 'samples', 'anylogmaster-embedded.yaml'), 'utf8'),
  );
  doc.metadata = { ...doc.metadata, name: NAME, namespace: ns };
  doc.spec = {
    ...doc.spec,
    // `blockchain get` answers from the node's copy of the ledger, refreshed by sync.
    syncIntervalSeconds: 2,
    network: { ...doc.spec.network, advertise: { mode: 'LoadBalancer' } },
    service: { type: 'LoadBalancer' },
    rest: { tls: { enabled: true } },
    ...extra,
  };
  return JSON.stringify(doc);
}

async function waitReady(t: Test, ns: string, opNs: string, what: string): Promise<KubeObject> {
  try {
    return await waitMasterReady(ns, NAME, 600_000, what);
  } catch (err) {
    t.comment(`containers of ${ns}:\n${await containerLogs(ns)}`);
    t.comment(`operator containers of ${opNs}:\n${await containerLogs(opNs)}`);
    throw err;
  }
}

t.test('a TLS master on the real node is backed up and restored with the same policies', async (t) => {
  const ns = await testNamespace(t, 'tb-w', { 'pod-security.kubernetes.io/enforce': 'restricted' });
  const opNs = await testNamespace(t, 'tb-op');
  const release = `tb-${randomBytes(3).toString('hex')}`;
  await installOperator(t, { release, namespace: opNs, watch: [ns], replicas: 1 });
  t.teardown(async () => {
    await kubectl(['-n', ns, 'delete', 'anylogmaster', NAME, '--ignore-not-found', '--timeout=120s'], {
      timeoutMs: 150_000,
    });
  });
  await createBackupClaim(ns, CLAIM);

  await kubectlOk(['apply', '-f', '-'], {
    input: master(ns, { backup: { schedule: '* * * * *', retention: 3, claimName: CLAIM } }),
  });
  await provideIngress(ns, NAME, LB_IP);
  const first = await waitReady(t, ns, opNs, 'the first master');
  t.equal(first.status.advertisedAddress, LB_IP, 'the master advertises the load-balancer IP');
  const masterId = first.status.policyId as string;
  t.match(masterId, /^[0-9a-f]{32}$/, 'the master policy is posted');

  // --- REST over mutual TLS, from the host to the pod as any client in the cluster would reach it.
  let pems = clientPemsOf(await getJson(['-n', ns, 'secret', `${NAME}-rest-client`]));
  const files = clientFiles(t, pems);
  const curl = (withCert: boolean, command: string) => restCurl(ns, NAME, files, command, withCert);
  const refused = await curl(false, 'get status');
  t.not(refused.code, 0, `curl without a client certificate is refused (${refused.stderr.trim()})`);
  const plain = await run('curl', [
    '-sS',
    '--max-time',
    '10',
    '-H',
    'User-Agent: AnyLog/1.23',
    '-H',
    'command: get status',
    `http://${await podIP(ns, NAME)}:${REST_PORT}/`,
  ]);
  t.not(plain.code, 0, `plain HTTP is refused (${plain.stderr.trim()})`);
  t.notMatch(plain.stdout, /running/i, 'plain HTTP gets no answer from the node');
  const status = await curl(true, 'get status');
  t.equal(status.code, 0, `curl with the issued client certificate succeeds (${status.stderr.trim()})`);
  t.match(status.stdout, /running/i, 'get status answers');
  const processes = await curl(true, 'get processes');
  t.match(processes.stdout, /SSL: True/, 'get processes shows SSL: True');
  for (const name of [`${NAME}-config`]) {
    const cm = await getJson(['-n', ns, 'configmap', name]);
    t.notMatch(JSON.stringify(cm.data), /PRIVATE KEY|BEGIN CERTIFICATE/, `no certificate or key in ${name}`);
  }
  t.notMatch(JSON.stringify(first.status), /PRIVATE KEY/, 'no key in status');

  const client = async (): Promise<NodeClient> =>
    createHttpNodeClient({
      host: await podIP(ns, NAME),
      port: REST_PORT,
      tls: { ...pems, servername: podHost(ns, NAME) },
    });
  const readLedger = async (): Promise<Policy[]> => [...(await (await client()).readLedger())] as Policy[];

  // --- Marker policies over mutual TLS, then a backup taken after they were visible.
  const writer = await client();
  for (const name of MARKERS) await writer.pushPolicy({ marker: { name, company: 'New Company' } });
  const before = await waitUntil(
    'the marker policies in the ledger the node answers from',
    async () => {
      const ledger = await readLedger();
      const names = ledger.filter((p) => typeOf(p) === 'marker').map((p) => p['marker']?.['name']);
      return MARKERS.every((m) => names.includes(m)) ? ledger : undefined;
    },
    120_000,
    1000,
  );
  const visibleAt = Date.now();
  t.equal(before.length, MARKERS.length + 1, 'the ledger holds the master policy and the markers');

  const backedUp = await waitUntil(
    'a backup taken after the markers were visible',
    async () => {
      const cr = await getJson(['-n', ns, 'anylogmaster', NAME]);
      return Date.parse(cr.status?.backup?.lastSuccessTime ?? '') > visibleAt ? cr : undefined;
    },
    300_000,
    2000,
  ).catch(async (err: unknown) => {
    t.comment(await describeMaster(ns, NAME));
    t.comment(await containerLogs(ns));
    throw err;
  });
  const backup = backedUp.status.backup as { file: string; checksum: string; policyCount: number };
  t.equal(condition(backedUp, 'BackupHealthy')?.status, 'True', 'BackupHealthy is True');
  t.equal(condition(backedUp, 'Ready')?.status, 'True', 'the master stays Ready');

  // The archive on the volume: the local-path provisioner keeps each claim in a directory of this host.
  const claim = await getJson(['-n', ns, 'pvc', CLAIM]);
  const pv = await getJson(['pv', claim.spec.volumeName as string]);
  const archivePath = join(pv.spec.local.path as string, backup.file);
  const archive = readFileSync(archivePath);
  const sum = createHash('sha256').update(archive).digest('hex');
  t.equal(readFileSync(`${archivePath}.sha256`, 'utf8'), `${sum}  ${backup.file}\n`, 'the .sha256 file');
  t.equal(backup.checksum, sum, 'status.backup.checksum is the archive checksum');
  const archived = JSON.parse(gunzipSync(archive).toString('utf8')) as Policy[];
  t.equal(backup.policyCount, archived.length, 'status.backup.policyCount counts the archived policies');
  t.same(byId(archived), byId(before), 'the archive holds the ledger as read over TLS');

  // --- Lose the master and its data volume; a new master restores from the backup.
  await kubectlOk(['-n', ns, 'delete', 'anylogmaster', NAME, '--wait=true', '--timeout=180s'], {
    timeoutMs: 200_000,
  });
  await waitGone(ns, 'pod', `${NAME}-0`, 240_000);
  await kubectlOk(['-n', ns, 'delete', 'pvc', `data-${NAME}-0`, '--wait=true', '--timeout=120s'], {
    timeoutMs: 150_000,
  });
  await waitGone(ns, 'service', NAME);
  await waitGone(ns, 'cronjob', `${NAME}-backup`);

  await kubectlOk(['apply', '-f', '-'], {
    input: master(ns, { ledger: { embedded: {}, restoreFrom: { claimName: CLAIM, file: backup.file } } }),
  });
  await provideIngress(ns, NAME, LB_IP);
  const restored = await waitReady(t, ns, opNs, 'the restored master');
  t.not(restored.metadata.uid, first.metadata.uid, 'a new AnyLogMaster');
  t.equal(restored.status.restore?.file, backup.file, 'status.restore names the file');
  t.equal(restored.status.restore?.policyCount, archived.length, 'status.restore counts the policies');
  t.equal(restored.status.policyId, masterId, 'the restored master policy keeps its id');

  // The new master has a new CA and client certificate: read its ledger with those.
  pems = clientPemsOf(await getJson(['-n', ns, 'secret', `${NAME}-rest-client`]));
  const wanted = archived.map(idOf).sort();
  const after = await waitUntil(
    'the restored policies in the ledger the node answers from',
    async () => {
      const ledger = await readLedger().catch(() => []);
      return JSON.stringify(ledger.map(idOf).sort()) === JSON.stringify(wanted) ? ledger : undefined;
    },
    120_000,
    1000,
  );
  t.same(byId(after), byId(archived), 'every policy is restored with its id, date and content');
  const masters = after.filter((p) => typeOf(p) === 'master');
  t.equal(masters.length, 1, 'exactly one master policy');
  t.equal(idOf(masters[0] ?? {}), masterId, 'the master policy is the one the first master posted');
  const reasons = (await eventsFor(ns, NAME)).map((e) => e.reason);
  t.ok(reasons.includes('RestoringLedger'), `RestoringLedger event (${reasons.join(', ')})`);
  t.notOk(reasons.includes('PolicyReplaced'), 'the restored master policy is not replaced');
});
