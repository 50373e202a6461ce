// A scheduled backup of a master that serves REST over TLS with client certificates: the backup Job
// presents the client certificate the operator issued (mounted from its Secret) and writes a backup that
// holds the master policy, checked against status.backup and the .sha256 file beside it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import t from 'tap';
import { runLayout } from '../../../controlplane/src/paths.js';
import { clusterEnv, getJson, testNamespace, waitUntil } from '../../../helpers/cluster.js';
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
import { createBackupClaim } from '../../../helpers/ledger-backup.js';

t.setTimeout(600_000);

const NAME = 'master';
const CLAIM = 'tls-backups';

t.test('the backup Job reads a master that serves REST over TLS', async (t) => {
  const ns = await testNamespace(t, 'alm-baktls');
  await ensureCrd();
  await startOperator(t, ns);
  await createBackupClaim(ns, CLAIM);
  const cr = sample('anylogmaster-embedded.yaml', NAME, ns) as { spec: Record<string, unknown> };
  cr.spec['rest'] = { tls: { enabled: true } };
  cr.spec['backup'] = { schedule: '* * * * *', claimName: CLAIM };
  await applyObject(cr);
  let ready;
  try {
    ready = await waitReady(ns, NAME, 240_000);
  } catch (err) {
    t.comment(await describe(ns, NAME));
    throw err;
  }
  const masterId = ready.status.policyId as string;
  const cronJob = await getJson(['-n', ns, 'cronjob', `${NAME}-backup`]);
  const pod = cronJob.spec.jobTemplate.spec.template.spec;
  t.match(pod.containers[0].command, ['anylog-backup', 'backup', '--url', /^https:\/\//]);
  t.same(
    pod.volumes.find((v: { name: string }) => v.name === 'rest-tls')?.secret?.secretName,
    `${NAME}-rest-client`,
    'the issued client certificate Secret is mounted',
  );

  const backedUp = await waitUntil(
    'a successful backup over TLS that holds the master policy',
    async () => {
      const now = await getCr(ns, NAME);
      return (now.status?.backup?.policyCount ?? 0) >= 1 ? now : undefined;
    },
    200_000,
    1000,
  ).catch(async (err: unknown) => {
    t.comment(await describe(ns, NAME));
    t.comment(runnerLog(`${NAME}-backup`));
    throw err;
  });
  t.equal(condition(backedUp, 'BackupHealthy')?.status, 'True', 'BackupHealthy is True');
  const backup = backedUp.status.backup as { file: string; checksum: string; policyCount: number };
  const archive = readFileSync(join(runLayout.pvs(clusterEnv().runDir), `${ns}_${CLAIM}`, backup.file));
  t.equal(createHash('sha256').update(archive).digest('hex'), backup.checksum, 'the checksum matches');
  const policies = JSON.parse(gunzipSync(archive).toString('utf8')) as Record<string, { id?: string }>[];
  t.equal(backup.policyCount, policies.length);
  t.ok(
    policies.some((p) => p['master']?.id === masterId),
    'the backup holds the master policy read over TLS',
  );
});
