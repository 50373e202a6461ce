// The backup and restore steps (steps/backup.ts) on a FakeKube: the CronJob applied or suspended, the
// backup Pods of this CR folded into status.backup with BackupHealthy, its Warning Event and metrics, and
// the restore Job created once and holding the policy step; backup-health.test.ts covers the pure parts.
import t from 'tap';
import { LABEL_COMPONENT, LABEL_INSTANCE } from '../../../../src/api/labels.js';
import type { AnyLogMaster } from '../../../../src/api/types.js';
import { formatResult, type RunResult } from '../../../../src/backup/result.js';
import type { ConditionStatus } from '../../../../src/api/conditions.js';
import { KubeApiError, type KubeObject } from '../../../../src/operator/framework/kube.js';
import { FIELD_MANAGER, type PassEnv } from '../../../../src/operator/anylogmaster/deps.js';
import { EMPTY_STATUS, type ObservedStatus } from '../../../../src/operator/anylogmaster/observed-status.js';
import { CRONJOBS, JOBS, PODS } from '../../../../src/operator/anylogmaster/resources.js';
import { ResourceConflictError } from '../../../../src/operator/anylogmaster/steps/apply.js';
import {
  reconcileBackup,
  reconcileRestore,
  restoreProgress,
} from '../../../../src/operator/anylogmaster/steps/backup.js';
import { UTC_NOON } from '../../../helpers/fake-clock.js';
import { crFromFixture } from '../../render/helpers.js';
import { conflict, serverError } from './fixtures/fake-kube.js';
import { passFor, TEST_SETTINGS, type Pass, type PassOptions } from './fixtures/pass-env.js';

const base = crFromFixture('minimal.yaml');
const NS = 'anylog';
const POD_IP = '10.244.1.7';
const SERVICE_URL = 'http://minimal-0.minimal-headless.anylog.svc:32049/';
const SUM = 'c'.repeat(64);
const HOUR = 3_600_000;
const iso = (ms: number): string => new Date(ms).toISOString();

const withBackup: AnyLogMaster = {
  ...base,
  spec: { ...base.spec, backup: { schedule: '0 * * * *', claimName: 'backups' } },
};
const FROM = { claimName: 'backups', file: 'master-20260101T000000Z.json.gz' };
const withRestore: AnyLogMaster = {
  ...base,
  spec: { ...base.spec, ledger: { embedded: {}, restoreFrom: FROM } },
};

interface Recorded {
  readonly pass: Pass;
  readonly env: PassEnv;
  /** backupObserved and backupForget calls, in order. */
  readonly metrics: unknown[][];
}

/** A pass whose backup metrics calls are recorded. */
function pass(cr: AnyLogMaster, options: PassOptions = {}): Recorded {
  const p = passFor(cr, options);
  const metrics: unknown[][] = [];
  const env: PassEnv = {
    ...p.env,
    deps: {
      ...p.env.deps,
      domainMetrics: {
        ...p.env.deps.domainMetrics,
        backupObserved: (...args) => {
          metrics.push(['observed', ...args]);
        },
        backupForget: (...args) => {
          metrics.push(['forget', ...args]);
        },
      },
    },
  };
  return { pass: p, env, metrics };
}

interface PodOptions {
  readonly name?: string;
  readonly namespace?: string;
  readonly instance?: string;
  readonly component?: string;
  readonly phase: string;
  readonly result?: RunResult;
}

function jobPod(o: PodOptions): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: o.name ?? 'p',
      namespace: o.namespace ?? NS,
      labels: { [LABEL_INSTANCE]: o.instance ?? 'minimal', [LABEL_COMPONENT]: o.component ?? 'backup' },
    },
    status: {
      phase: o.phase,
      containerStatuses:
        o.result === undefined
          ? []
          : [{ name: 'backup', state: { terminated: { exitCode: 0, message: formatResult(o.result) } } }],
    },
  };
}

const okRun = (time: string, count = 5): RunResult => ({
  ok: true,
  time,
  count,
  file: 'minimal-1.json.gz',
  checksum: SUM,
});
const failedRun = (time: string): RunResult => ({ ok: false, time, reason: 'Error', error: 'unreachable' });

const healthy = (status: ConditionStatus, reason: string): ObservedStatus => ({
  conditions: [{ type: 'BackupHealthy', status, reason, message: 'before' }],
});

type Container = { command: string[]; image: string; volumeMounts: { name: string }[] };
type PodSpec = { containers: Container[]; volumes: { name: string; secret?: { secretName: string } }[] };

function cronPod(o: KubeObject | undefined): PodSpec | undefined {
  const spec = o?.['spec'] as { jobTemplate: { spec: { template: { spec: PodSpec } } } } | undefined;
  return spec?.jobTemplate.spec.template.spec;
}

function argAfter(command: readonly string[] | undefined, flag: string): string | undefined {
  const i = command?.indexOf(flag) ?? -1;
  return i === -1 ? undefined : command?.[i + 1];
}

t.test('no backup asked for: status cleared, metrics dropped, nothing written', async (t) => {
  const { pass: p, env, metrics } = pass(base);
  const result = await reconcileBackup(env, POD_IP);
  t.same(result, { status: null });
  t.same(metrics, [['forget', NS, 'minimal']]);
  t.same(
    p.kube.calls.filter((c) => c.verb !== 'get'),
    [],
  );
  t.same(p.events, []);
});

t.test('backup switched off: our CronJob is suspended, not deleted', async (t) => {
  const { pass: p, env } = pass(base);
  p.kube.seed(CRONJOBS, {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'minimal-backup', namespace: NS },
    spec: { schedule: '0 * * * *', suspend: false },
  });
  t.same(await reconcileBackup(env, POD_IP), { status: null });
  const patches = p.kube.callsOf('mergePatch', CRONJOBS);
  t.same(
    patches.map((c) => [c.ref, c.body, c.fieldManager]),
    [[{ namespace: NS, name: 'minimal-backup' }, { spec: { suspend: true } }, FIELD_MANAGER]],
  );
  t.equal(p.kube.callsOf('delete').length, 0);
  t.match(p.kube.stored(CRONJOBS, NS, 'minimal-backup'), { spec: { suspend: true } });

  const again = await reconcileBackup(env, POD_IP);
  t.same(again, { status: null });
  t.equal(p.kube.callsOf('mergePatch').length, 1, 'an already suspended CronJob is not patched again');
});

t.test('a cached CronJob without a spec is suspended too', async (t) => {
  const { pass: p, env } = pass(base);
  p.kube.seed(CRONJOBS, {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'minimal-backup', namespace: NS },
  });
  await reconcileBackup(env, POD_IP);
  t.equal(p.kube.callsOf('mergePatch', CRONJOBS).length, 1);
});

t.test('a CronJob outside the cache (not ours) is never patched', async (t) => {
  const { pass: p, env } = pass(base);
  p.kube.seed(
    CRONJOBS,
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'minimal-backup', namespace: NS },
      spec: {},
    },
    { cached: false },
  );
  await reconcileBackup(env, POD_IP);
  t.equal(p.kube.callsOf('mergePatch').length, 0);
});

t.test('a failed suspend is not swallowed', async (t) => {
  const { pass: p, env } = pass(base);
  p.kube.seed(CRONJOBS, {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'minimal-backup', namespace: NS },
    spec: { suspend: false },
  });
  p.kube.failNext('mergePatch', serverError(), CRONJOBS);
  await t.rejects(reconcileBackup(env, POD_IP), KubeApiError);
});

t.test('backup asked for: the CronJob is applied with the field manager and the REST URL', async (t) => {
  const { pass: p, env, metrics } = pass(withBackup);
  const result = await reconcileBackup(env, POD_IP);
  const applies = p.kube.callsOf('apply', CRONJOBS);
  t.same(
    applies.map((c) => [c.ref, c.fieldManager]),
    [[{ namespace: NS, name: 'minimal-backup' }, FIELD_MANAGER]],
  );
  const stored = p.kube.stored(CRONJOBS, NS, 'minimal-backup');
  t.match(stored, { spec: { schedule: '0 * * * *', suspend: false } });
  const container = cronPod(stored)?.containers[0];
  t.equal(container?.image, TEST_SETTINGS.defaultNodeImage);
  t.equal(argAfter(container?.command, '--url'), SERVICE_URL);
  t.equal(argAfter(container?.command, '--name'), 'minimal');
  t.notOk(container?.command.includes('--tls-dir'), 'no TLS arguments with REST TLS off');
  t.same(
    cronPod(stored)?.volumes.map((v) => v.name),
    ['backup'],
  );
  t.same(result, {
    status: {},
    outcome: { status: 'Unknown', reason: 'BackupPending', message: 'no backup yet; schedule 0 * * * *' },
  });
  t.same(metrics, [['observed', NS, 'minimal', undefined, false]]);
  t.same(p.events, []);

  const again = await reconcileBackup(env, POD_IP);
  t.same(again, result);
  t.equal(p.kube.callsOf('apply').length, 1, 'an unchanged CronJob is not applied again');
});

t.test('pod-ip addressing puts the pod IP in the URL', async (t) => {
  const { pass: p, env } = pass(withBackup, { settings: { ledgerAddressing: 'pod-ip' } });
  await reconcileBackup(env, POD_IP);
  const container = cronPod(p.kube.stored(CRONJOBS, NS, 'minimal-backup'))?.containers[0];
  t.equal(argAfter(container?.command, '--url'), `http://${POD_IP}:32049/`);
});

t.test('REST over TLS: https, the servername and the operator-issued client Secret', async (t) => {
  const tlsCr: AnyLogMaster = {
    ...withBackup,
    spec: { ...withBackup.spec, rest: { tls: { enabled: true } } },
  };
  const { pass: p, env } = pass(tlsCr);
  await reconcileBackup(env, POD_IP);
  const spec = cronPod(p.kube.stored(CRONJOBS, NS, 'minimal-backup'));
  const command = spec?.containers[0]?.command;
  t.equal(argAfter(command, '--url'), 'https://minimal-0.minimal-headless.anylog.svc:32049/');
  t.equal(argAfter(command, '--servername'), 'minimal-0.minimal-headless.anylog.svc');
  t.same(spec?.volumes.find((v) => v.name === 'rest-tls')?.secret?.secretName, 'minimal-rest-client');
});

t.test('REST over TLS with user Secrets: the user client Secret is mounted', async (t) => {
  const tlsCr: AnyLogMaster = {
    ...withBackup,
    spec: {
      ...withBackup.spec,
      rest: { tls: { enabled: true, secretName: 'node-tls', clientSecretName: 'node-client' } },
    },
  };
  const { pass: p, env } = pass(tlsCr);
  await reconcileBackup(env, POD_IP);
  const spec = cronPod(p.kube.stored(CRONJOBS, NS, 'minimal-backup'));
  t.equal(spec?.volumes.find((v) => v.name === 'rest-tls')?.secret?.secretName, 'node-client');
  t.equal(argAfter(spec?.containers[0]?.command, '--servername'), 'minimal-0.minimal-headless.anylog.svc');
});

t.test('a foreign CronJob of the same name is a conflict and is not written', async (t) => {
  const { pass: p, env } = pass(withBackup);
  p.kube.seed(
    CRONJOBS,
    { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'minimal-backup', namespace: NS } },
    { cached: false },
  );
  await t.rejects(reconcileBackup(env, POD_IP), ResourceConflictError);
  t.equal(p.kube.callsOf('apply').length, 0);
});

t.test('API errors of the apply are not swallowed', async (t) => {
  for (const error of [conflict(), serverError()]) {
    const { pass: p, env } = pass(withBackup);
    p.kube.failNext('apply', error, CRONJOBS);
    await t.rejects(reconcileBackup(env, POD_IP), error);
  }
});

t.test('the finished backup Pods of this CR are folded into status.backup', async (t) => {
  const {
    pass: p,
    env,
    metrics,
  } = pass(withBackup, {
    status: { conditions: [], backup: { lastFailureTime: '2026-11-26T09:00:00Z', lastError: 'old' } },
  });
  const at = iso(UTC_NOON - 20 * 60_000);
  p.kube.seed(PODS, jobPod({ name: 'ok', phase: 'Succeeded', result: okRun(at) }));
  p.kube.seed(PODS, jobPod({ name: 'running', phase: 'Running' }));
  const later = iso(UTC_NOON - 10 * 60_000);
  p.kube.seed(
    PODS,
    jobPod({ name: 'restore', component: 'restore', phase: 'Failed', result: failedRun(later) }),
  );
  p.kube.seed(PODS, jobPod({ name: 'other', instance: 'other', phase: 'Failed', result: failedRun(later) }));
  p.kube.seed(
    PODS,
    jobPod({ name: 'elsewhere', namespace: 'other-ns', phase: 'Failed', result: failedRun(later) }),
  );
  const result = await reconcileBackup(env, POD_IP);
  t.same(result.status, {
    lastFailureTime: '2026-11-26T09:00:00Z',
    lastSuccessTime: at,
    policyCount: 5,
    file: 'minimal-1.json.gz',
    checksum: SUM,
  });
  t.match(result.outcome, { status: 'True', reason: 'BackupSucceeded' });
  t.same(metrics, [['observed', NS, 'minimal', at, true]]);
  t.same(p.events, [], 'a healthy backup emits no Event');
});

t.test('a failed backup turns BackupHealthy False with one Warning Event', async (t) => {
  const time = iso(UTC_NOON - 5 * 60_000);
  const seedFailure = (p: Pass) => {
    p.kube.seed(PODS, jobPod({ phase: 'Failed', result: failedRun(time) }));
  };
  const first = pass(withBackup);
  seedFailure(first.pass);
  const result = await reconcileBackup(first.env, POD_IP);
  t.match(result.outcome, { status: 'False', reason: 'BackupFailed' });
  t.same(first.pass.events, [
    { type: 'Warning', reason: 'BackupFailed', note: result.outcome?.message ?? '' },
  ]);
  t.same(first.metrics, [['observed', NS, 'minimal', undefined, false]]);

  for (const [before, announced] of [
    [healthy('False', 'BackupFailed'), false],
    [healthy('False', 'BackupStale'), true],
    [healthy('True', 'BackupFailed'), true],
    [healthy('Unknown', 'BackupPending'), true],
    [EMPTY_STATUS, true],
  ] as const) {
    const next = pass(withBackup, { status: before });
    seedFailure(next.pass);
    await reconcileBackup(next.env, POD_IP);
    const c = before.conditions[0];
    t.equal(
      next.pass.events.length,
      announced ? 1 : 0,
      `before ${c?.status ?? 'none'}/${c?.reason ?? 'none'}: ${announced ? 'announced' : 'already announced'}`,
    );
  }
});

t.test('BackupStale counts from the CronJob creation time', async (t) => {
  const { pass: p, env } = pass(withBackup);
  await reconcileBackup(env, POD_IP);
  const live = p.kube.stored(CRONJOBS, NS, 'minimal-backup');
  if (live === undefined) throw new Error('CronJob not applied');
  const created = UTC_NOON - 3 * HOUR;
  p.kube.seed(CRONJOBS, { ...live, metadata: { ...live.metadata, creationTimestamp: iso(created) } });
  const result = await reconcileBackup(env, POD_IP);
  t.match(result.outcome, { status: 'False', reason: 'BackupStale' });
  t.same(
    p.events.map((e) => [e.type, e.reason]),
    [['Warning', 'BackupStale']],
  );

  const fresh = pass(withBackup);
  await reconcileBackup(fresh.env, POD_IP);
  const young = fresh.pass.kube.stored(CRONJOBS, NS, 'minimal-backup');
  if (young === undefined) throw new Error('CronJob not applied');
  const justNow = UTC_NOON - 1 * HOUR;
  fresh.pass.kube.seed(CRONJOBS, {
    ...young,
    metadata: { ...young.metadata, creationTimestamp: iso(justNow) },
  });
  t.match((await reconcileBackup(fresh.env, POD_IP)).outcome, { status: 'Unknown', reason: 'BackupPending' });
});

t.test('no restore asked for: done at once, nothing read or written', async (t) => {
  const { pass: p, env } = pass(base);
  t.same(await reconcileRestore(env, POD_IP), { done: true });
  t.same(p.kube.calls, []);
});

t.test('a restore already recorded for this file is done without a Job', async (t) => {
  const previous = { file: FROM.file, policyCount: 3, completionTime: '2026-11-26T10:00:00Z' };
  const { pass: p, env } = pass(withRestore, { status: { conditions: [], restore: previous } });
  t.same(await reconcileRestore(env, POD_IP), { done: true, status: previous });
  t.same(p.kube.calls, []);
  t.same(p.events, []);
});

t.test('a new restore creates the Job once and waits on RestoringLedger', async (t) => {
  const { pass: p, env } = pass(withRestore, {
    status: { conditions: [], restore: { file: 'an-older-file.json.gz' } },
  });
  const result = await reconcileRestore(env, POD_IP);
  const message = `restoring the ledger from backups/${FROM.file}`;
  t.same(result, {
    done: false,
    waiting: { reason: 'RestoringLedger', message },
    policy: { status: 'False', reason: 'RestoringLedger', message },
  });
  t.same(
    p.kube.callsOf('create', JOBS).map((c) => [c.ref, c.fieldManager]),
    [[{ namespace: NS, name: 'minimal-restore' }, FIELD_MANAGER]],
  );
  const job = p.kube.stored(JOBS, NS, 'minimal-restore');
  const command = (job?.['spec'] as { template: { spec: PodSpec } } | undefined)?.template.spec.containers[0]
    ?.command;
  t.equal(argAfter(command, '--file'), FROM.file);
  t.equal(argAfter(command, '--url'), SERVICE_URL);
  t.same(p.events, [
    { type: 'Normal', reason: 'RestoringLedger', note: `restoring the ledger from ${FROM.file}` },
  ]);

  await reconcileRestore(env, POD_IP);
  t.equal(p.kube.callsOf('create').length, 1, 'the cached Job is not created again');
  t.equal(p.events.length, 1);
});

t.test('an existing Job outside the cache is found by a GET and left as it is', async (t) => {
  const { pass: p, env } = pass(withRestore);
  p.kube.seed(
    JOBS,
    { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'minimal-restore', namespace: NS } },
    { cached: false },
  );
  await reconcileRestore(env, POD_IP);
  t.equal(p.kube.callsOf('get', JOBS).length, 1);
  t.equal(p.kube.callsOf('create').length, 0);
  t.same(p.events, []);
});

t.test('a failed Job create is not swallowed and announces nothing', async (t) => {
  const { pass: p, env } = pass(withRestore);
  p.kube.failNext('create', serverError(), JOBS);
  await t.rejects(reconcileRestore(env, POD_IP), KubeApiError);
  t.same(p.events, []);
});

t.test('the restore Pods of this CR decide the restore', async (t) => {
  const { pass: p, env } = pass(withRestore);
  const time = '2026-11-26T11:00:00Z';
  p.kube.seed(PODS, jobPod({ name: 'b', component: 'backup', phase: 'Succeeded', result: okRun(time) }));
  t.match(await reconcileRestore(env, POD_IP), { done: false, waiting: { reason: 'RestoringLedger' } });
  p.kube.seed(
    PODS,
    jobPod({ name: 'r', component: 'restore', phase: 'Succeeded', result: { ok: true, time, count: 9 } }),
  );
  t.same(await reconcileRestore(env, POD_IP), {
    done: true,
    status: { file: FROM.file, policyCount: 9, completionTime: time },
  });
});

const restorePod = (phase: string, result?: RunResult): KubeObject =>
  jobPod({ component: 'restore', phase, ...(result === undefined ? {} : { result }) });

t.test('restoreProgress: failures name the claim, file and reason', async (t) => {
  const stalledBy = (pods: KubeObject[]) => {
    const r = restoreProgress(pods, FROM);
    t.equal(r.done, false);
    t.equal(r.policy?.status, 'False');
    t.equal(r.policy?.reason, 'RestoreFailed');
    t.equal(r.stalled?.reason, 'RestoreFailed');
    t.equal(r.policy?.message, r.stalled?.message);
    t.equal(r.waiting, undefined);
    return r.stalled?.message;
  };
  t.equal(
    stalledBy([restorePod('Failed')]),
    `restore from backups/${FROM.file} failed: the restore Pod failed`,
  );
  t.equal(
    stalledBy([restorePod('Failed', { ok: false, time: 't' })]),
    `restore from backups/${FROM.file} failed: Error: `,
  );
  t.equal(
    stalledBy([restorePod('Failed', { ok: false, time: 't', reason: 'FileNotFound', error: 'gone' })]),
    `restore from backups/${FROM.file} failed: FileNotFound: gone`,
  );
});

t.test('restoreProgress: only a Succeeded Pod with an ok result is done', async (t) => {
  const waiting = { done: false, waiting: { reason: 'RestoringLedger' } };
  t.match(restoreProgress([restorePod('Succeeded')], FROM), waiting, 'no result line');
  t.match(restoreProgress([restorePod('Succeeded', { ok: false, time: 't' })], FROM), waiting, 'not ok');
  t.match(restoreProgress([restorePod('Running', { ok: true, time: 't' })], FROM), waiting, 'still running');
  t.same(restoreProgress([restorePod('Succeeded', { ok: true, time: 't' })], FROM), {
    done: true,
    status: { file: FROM.file, policyCount: 0, completionTime: 't' },
  });
  t.match(
    restoreProgress(
      [restorePod('Running'), restorePod('Succeeded', { ok: true, time: 't', count: 2 })],
      FROM,
    ),
    { done: true, status: { policyCount: 2 } },
    'a later Pod is read after a running one',
  );
  t.match(
    restoreProgress([restorePod('Failed'), restorePod('Succeeded', { ok: true, time: 't' })], FROM),
    { done: false, stalled: { reason: 'RestoreFailed' } },
    'the first finished Pod decides',
  );
});
