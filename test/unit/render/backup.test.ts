import t from 'tap';
import { renderBackupCronJob, renderRestoreJob, RESULT_PATH } from '../../../src/render/backup.js';
import { crFromSample } from './helpers.js';

const inputs = {
  operatorVersion: '1.0.0',
  image: 'anylog-operator:1.0.0',
  nodeUrl: 'http://10.0.0.5:32049/',
};

t.test('no CronJob or Job without spec.backup and restoreFrom', async (t) => {
  const cr = crFromSample('embedded');
  t.equal(renderBackupCronJob(cr, inputs), undefined);
  t.equal(renderRestoreJob(cr, inputs), undefined);
});

t.test('the CronJob runs anylog-backup on the schedule against the claim', async (t) => {
  const base = crFromSample('embedded');
  const cr = { ...base, spec: { ...base.spec, backup: { schedule: '*/5 * * * *', claimName: 'backups' } } };
  const cj = renderBackupCronJob(cr, inputs);
  t.ok(cj);
  t.equal(cj?.metadata.name, `${cr.metadata.name}-backup`);
  t.equal(cj?.metadata.ownerReferences?.[0]?.uid, cr.metadata.uid);
  t.match(cj?.spec, {
    schedule: '*/5 * * * *',
    concurrencyPolicy: 'Forbid',
    jobTemplate: {
      spec: {
        backoffLimit: 0,
        template: {
          metadata: { labels: { 'app.kubernetes.io/component': 'backup' } },
          spec: {
            restartPolicy: 'Never',
            volumes: [{ persistentVolumeClaim: { claimName: 'backups', readOnly: false } }],
            containers: [
              {
                image: 'anylog-operator:1.0.0',
                terminationMessagePath: RESULT_PATH,
                command: [
                  'anylog-backup',
                  'backup',
                  '--url',
                  'http://10.0.0.5:32049/',
                  '--dir',
                  '/backup',
                  '--name',
                  cr.metadata.name,
                  '--retention',
                  '7',
                  '--result',
                  RESULT_PATH,
                ],
              },
            ],
          },
        },
      },
    },
  });
});

t.test('the restore Job mounts the claim read-only and names the file', async (t) => {
  const base = crFromSample('embedded');
  const cr = {
    ...base,
    spec: {
      ...base.spec,
      ledger: { embedded: {}, restoreFrom: { claimName: 'backups', file: 'm-20260101T000000Z.json.gz' } },
    },
  };
  const job = renderRestoreJob(cr, inputs);
  t.equal(job?.kind, 'Job');
  t.match(job?.spec, {
    backoffLimit: 0,
    template: {
      metadata: { labels: { 'app.kubernetes.io/component': 'restore' } },
      spec: {
        volumes: [{ persistentVolumeClaim: { claimName: 'backups', readOnly: true } }],
        containers: [
          {
            command: [
              'anylog-backup',
              'restore',
              '--url',
              'http://10.0.0.5:32049/',
              '--dir',
              '/backup',
              '--file',
              'm-20260101T000000Z.json.gz',
              '--result',
              RESULT_PATH,
            ],
          },
        ],
      },
    },
  });
});

t.test('with REST TLS both Jobs mount the client certificate Secret and name the server', async (t) => {
  const base = crFromSample('embedded');
  const cr = {
    ...base,
    spec: {
      ...base.spec,
      backup: { schedule: '0 * * * *', claimName: 'backups' },
      ledger: { embedded: {}, restoreFrom: { claimName: 'backups', file: 'm-20260101T000000Z.json.gz' } },
    },
  };
  const tlsInputs = {
    ...inputs,
    nodeUrl: 'https://10.0.0.5:32049/',
    tls: { secretName: 'master-rest-client', servername: 'master-0.master-headless.ns.svc' },
  };
  const cronJob = renderBackupCronJob(cr, tlsInputs)?.spec['jobTemplate'] as { spec: { template: unknown } };
  const restore = renderRestoreJob(cr, tlsInputs)?.spec as { template: unknown };
  for (const [what, template] of [
    ['backup', cronJob.spec.template],
    ['restore', restore.template],
  ] as const) {
    t.match(
      template,
      {
        spec: {
          volumes: [
            { name: 'backup' },
            { name: 'rest-tls', secret: { secretName: 'master-rest-client', defaultMode: 0o440 } },
          ],
          containers: [
            {
              volumeMounts: [
                { name: 'backup', mountPath: '/backup' },
                { name: 'rest-tls', mountPath: '/anylog-tls', readOnly: true },
              ],
            },
          ],
        },
      },
      `${what}: the client Secret is mounted read-only`,
    );
    const command = (template as { spec: { containers: { command: string[] }[] } }).spec.containers[0]
      ?.command;
    const at = command?.indexOf('--tls-dir') ?? -1;
    t.same(
      command?.slice(at, at + 4),
      ['--tls-dir', '/anylog-tls', '--servername', 'master-0.master-headless.ns.svc'],
      `${what}: anylog-backup is told where the certificates are and which name the server has`,
    );
    t.ok(command?.includes('https://10.0.0.5:32049/'), `${what}: the URL is https`);
  }
  const plain = renderBackupCronJob(cr, inputs)?.spec['jobTemplate'] as {
    spec: { template: { spec: { volumes: unknown[]; containers: { command: string[] }[] } } };
  };
  t.equal(plain.spec.template.spec.volumes.length, 1, 'without TLS only the claim is mounted');
  t.notOk(plain.spec.template.spec.containers[0]?.command.includes('--tls-dir'));
});
