// Ledger backup and restore on the real control plane with real anylog-node and anylog-backup processes:
// an embedded master with `spec.backup` every minute gets marker policies, its CronJob writes a backup
// that holds them (checked against its .sha256, status.backup and the ledger read over REST); then the
// master and its volume are deleted and a new one started with `ledger.restoreFrom` holds the same
// policies with the same ids and dates, and exactly one master policy: the one the first master posted.
//
// The master policy id is computed from the policy content, which includes the advertised address. A
// ClusterIP Service gets a new IP when it is recreated, so the address would change; Overlay mode binds
// the node's TCP server to the overlay address, which must be a non-loopback address no pod of the local
// runtime owns. The test therefore advertises in LoadBalancer mode and plays the load balancer itself:
// both Services get the same ingress IP (an unused loopback address, so nothing leaves the machine).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import t from 'tap';
import { createHttpNodeClient } from '../../../../src/nodeclient/index.js';
import { runLayout } from '../../../controlplane/src/paths.js';
import {
  clusterEnv,
  getJson,
  kubectlOk,
  testNamespace,
  waitUntil,
  type KubeObject,
} from '../../../helpers/cluster.js';
import {
  applyObject,
  condition,
  describe,
  ensureCrd,
  getCr,
  runnerLog,
  sample,
  startOperator,
  waitReady,
} from './harness.js';
import {
  byId,
  createBackupClaim,
  idOf,
  provideIngress,
  typeOf,
  waitGone,
  type Policy,
} from '../../../helpers/ledger-backup.js';

t.setTimeout(900_000);

const NAME = 'master';
const CLAIM = 'ledger-backups';
const REST_PORT = 32049;
/** Outside the pod address blocks (127.0.100–199.x), so no pod listens there. */
const LB_IP = '127.0.250.7';
const MARKERS = ['alpha', 'beta', 'gamma'];

function masterSpec(ns: string, extra: Record<string, unknown>): Record<string, unknown> {
  const cr = sample('anylogmaster-embedded.yaml', NAME, ns) as { spec: Record<string, unknown> };
  const network = cr.spec['network'] as Record<string, unknown>;
  return {
    ...cr,
    spec: {
      ...cr.spec,
      // A short sync period: `blockchain get` answers from the node's copy of the ledger, refreshed by sync.
      syncIntervalSeconds: 2,
      network: { ...network, advertise: { mode: 'LoadBalancer' } },
      service: { type: 'LoadBalancer' },
      ...extra,
    },
  };
}

async function nodeClient(ns: string) {
  const pod = await getJson(['-n', ns, 'pod', `${NAME}-0`]);
  return createHttpNodeClient({ host: pod.status.podIP as string, port: REST_PORT });
}

async function readLedger(ns: string): Promise<Policy[]> {
  return [...(await (await nodeClient(ns)).readLedger())] as Policy[];
}

t.test('a scheduled backup restores into a new master with the same policies and ids', async (t) => {
  const ns = await testNamespace(t, 'alm-bak');
  await ensureCrd();
  await startOperator(t, ns);
  await createBackupClaim(ns, CLAIM);

  await applyObject(masterSpec(ns, { backup: { schedule: '* * * * *', retention: 3, claimName: CLAIM } }));
  await provideIngress(ns, NAME, LB_IP);
  let first: KubeObject;
  try {
    first = await waitReady(ns, NAME, 240_000);
  } catch (err) {
    t.comment(await describe(ns, NAME));
    throw err;
  }
  t.equal(first.status.advertisedAddress, LB_IP, 'the master advertises the load-balancer IP');
  const masterId = first.status.policyId as string;
  t.match(masterId, /^[0-9a-f]{32}$/, 'the master policy is posted');
  const cronJob = await getJson(['-n', ns, 'cronjob', `${NAME}-backup`]);
  t.equal(cronJob.spec.schedule, '* * * * *', 'the backup CronJob carries the schedule');
  t.equal(cronJob.metadata.ownerReferences?.[0]?.uid, first.metadata.uid, 'the CronJob is owned by the CR');

  // Marker policies, pushed straight to the master's ledger, so the backup holds more than the master policy.
  const client = await nodeClient(ns);
  for (const name of MARKERS) await client.pushPolicy({ marker: { name, company: 'New Company' } });
  const before = await waitUntil(
    'the marker policies in the ledger the node answers from',
    async () => {
      const ledger = await readLedger(ns);
      const names = ledger.filter((p) => typeOf(p) === 'marker').map((p) => p['marker']?.['name']);
      return MARKERS.every((m) => names.includes(m)) ? ledger : undefined;
    },
    60_000,
    500,
  );
  const visibleAt = Date.now();
  t.equal(before.length, MARKERS.length + 1, 'the ledger holds the master policy and the markers');

  // A run that started after the markers were visible: its backup must hold them.
  const backedUp = await waitUntil(
    'a backup taken after the markers were visible',
    async () => {
      const cr = await getCr(ns, NAME);
      const at = Date.parse(cr.status?.backup?.lastSuccessTime ?? '');
      return at > visibleAt ? cr : undefined;
    },
    240_000,
    1000,
  ).catch(async (err: unknown) => {
    t.comment(await describe(ns, NAME));
    t.comment(runnerLog(`${NAME}-backup`));
    throw err;
  });
  const backup = backedUp.status.backup as {
    file: string;
    checksum: string;
    policyCount: number;
    lastSuccessTime: string;
  };
  t.equal(condition(backedUp, 'BackupHealthy')?.status, 'True', 'BackupHealthy is True');
  t.equal(condition(backedUp, 'BackupHealthy')?.reason, 'BackupSucceeded');
  t.match(backup.file, new RegExp(`^${NAME}-\\d{8}T\\d{6}Z\\.json\\.gz$`), 'status.backup names the file');
  t.equal(condition(backedUp, 'Ready')?.status, 'True', 'the master stays Ready');

  const dir = join(runLayout.pvs(clusterEnv().runDir), `${ns}_${CLAIM}`);
  const archivePath = join(dir, backup.file);
  t.ok(existsSync(archivePath), `the backup is on the claim (${archivePath})`);
  const archive = readFileSync(archivePath);
  const sum = createHash('sha256').update(archive).digest('hex');
  t.equal(
    readFileSync(`${archivePath}.sha256`, 'utf8'),
    `${sum}  ${backup.file}\n`,
    'the .sha256 file is the archive checksum in sha256sum format',
  );
  t.equal(backup.checksum, sum, 'status.backup.checksum is the archive checksum');
  const archived = JSON.parse(gunzipSync(archive).toString('utf8')) as Policy[];
  t.equal(backup.policyCount, archived.length, 'status.backup.policyCount counts the archived policies');
  const ledgerNow = await readLedger(ns);
  t.same(byId(archived), byId(ledgerNow), 'the archive holds the ledger as read over REST');
  t.same(byId(archived), byId(before), 'the ledger did not change since the markers');
  const archivedMasters = archived.filter((p) => typeOf(p) === 'master');
  t.equal(archivedMasters.length, 1, 'one master policy archived');
  t.equal(idOf(archivedMasters[0] ?? {}), masterId, 'the archived master policy is the posted one');

  // Lose the master: the CR (its CronJob and StatefulSet go with it) and its data volume.
  await kubectlOk(['-n', ns, 'delete', 'anylogmaster', NAME, '--wait=true', '--timeout=120s']);
  await waitGone(ns, 'pod', `${NAME}-0`);
  await kubectlOk(['-n', ns, 'delete', 'pvc', `data-${NAME}-0`, '--wait=true', '--timeout=120s']);
  await waitGone(ns, 'pvc', `data-${NAME}-0`);
  await waitGone(ns, 'service', NAME);
  await waitGone(ns, 'cronjob', `${NAME}-backup`);

  await applyObject(
    masterSpec(ns, {
      ledger: { embedded: {}, restoreFrom: { claimName: CLAIM, file: backup.file } },
    }),
  );
  await provideIngress(ns, NAME, LB_IP);
  let restored: KubeObject;
  try {
    restored = await waitReady(ns, NAME, 300_000);
  } catch (err) {
    t.comment(await describe(ns, NAME));
    t.comment(runnerLog(`${NAME}-restore`));
    throw err;
  }
  t.not(restored.metadata.uid, first.metadata.uid, 'a new AnyLogMaster');
  t.same(
    restored.status.restore,
    {
      file: backup.file,
      policyCount: archived.length,
      completionTime: restored.status.restore?.completionTime,
    },
    'status.restore records the file and the policy count',
  );
  t.match(restored.status.restore?.completionTime, /^\d{4}-\d\d-\d\dT/, 'status.restore has a time');
  // The operator goes by the restore Pod; the Job controller records the success in the Job a little later.
  const job = await waitUntil(
    'the restore Job to record its success',
    async () => {
      const j = await getJson(['-n', ns, 'job', `${NAME}-restore`]);
      return j.status?.succeeded === 1 || j.status?.failed !== undefined ? j : undefined;
    },
    60_000,
    500,
  );
  t.equal(job.status?.succeeded, 1, 'the restore Job succeeded');
  t.equal(job.status?.failed, undefined, 'the restore Job has no failed Pod');
  t.equal(restored.status.policyId, masterId, 'the restored master policy keeps its id');

  // The node answers from its copy of the ledger, refreshed by sync: wait until it holds every restored id.
  const wanted = archived.map(idOf).sort();
  const after = await waitUntil(
    'the restored policies in the ledger the node answers from',
    async () => {
      const ledger = await readLedger(ns);
      const ids = ledger.map(idOf).sort();
      return JSON.stringify(ids) === JSON.stringify(wanted) ? ledger : undefined;
    },
    60_000,
    500,
  ).catch(async (err: unknown) => {
    t.comment(JSON.stringify(await readLedger(ns)));
    throw err;
  });
  t.same(byId(after), byId(archived), 'every policy is restored with its id, date and content');
  const masters = after.filter((p) => typeOf(p) === 'master');
  t.equal(masters.length, 1, 'exactly one master policy');
  t.equal(idOf(masters[0] ?? {}), masterId, 'the master policy is the one the first master posted');
  const events = await getJson(['-n', ns, 'events.events.k8s.io']);
  const reasons = (events.items as { reason: string; regarding?: { uid?: string } }[])
    .filter((e) => e.regarding?.uid === restored.metadata.uid)
    .map((e) => e.reason);
  t.ok(reasons.includes('RestoringLedger'), `RestoringLedger event (${reasons.join(', ')})`);
  t.notOk(reasons.includes('PolicyReplaced'), 'the restored master policy is not replaced');
});
