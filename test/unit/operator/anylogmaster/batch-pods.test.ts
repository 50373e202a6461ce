// Reading finished backup and restore Pods (batch-pods.ts): which phases count as finished, which container's
// termination message is the result, and the failure a Pod without a result line reports (container, then
// Pod status, then defaults); backup-health.test.ts covers the common success and OOMKilled cases.
import t from 'tap';
import { formatResult, type RunResult } from '../../../../src/backup/result.js';
import type { KubeObject } from '../../../../src/operator/framework/kube.js';
import { backupRunOf, finishedPhase, podResult } from '../../../../src/operator/anylogmaster/batch-pods.js';

const CREATED = '2026-12-06T00:00:00Z';
const SUM = 'a'.repeat(64);
const ok: RunResult = { ok: true, time: '2026-12-06T01:00:00Z', count: 3, file: 'f.json.gz', checksum: SUM };
const notOk: RunResult = { ok: false, time: '2026-12-06T02:00:00Z', reason: 'Error', error: 'no route' };

/** A Pod with `status`; `created` null leaves out the creation time. */
function pod(status: Record<string, unknown> | undefined, created: string | null = CREATED): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'anylog', ...(created === null ? {} : { creationTimestamp: created }) },
    ...(status === undefined ? {} : { status }),
  };
}

const terminated = (name: string, state: Record<string, unknown>) => ({ name, state: { terminated: state } });

t.test('only Succeeded and Failed are finished phases', async (t) => {
  t.equal(finishedPhase(pod({ phase: 'Succeeded' })), 'Succeeded');
  t.equal(finishedPhase(pod({ phase: 'Failed' })), 'Failed');
  for (const phase of ['Pending', 'Running', 'Unknown', ''])
    t.equal(finishedPhase(pod({ phase })), undefined, `phase ${JSON.stringify(phase)}`);
  t.equal(finishedPhase(pod({})), undefined, 'no phase');
  t.equal(finishedPhase(pod(undefined)), undefined, 'no status');
});

t.test('podResult reads the backup container termination message only', async (t) => {
  const line = formatResult(ok);
  t.same(
    podResult(pod({ phase: 'Succeeded', containerStatuses: [terminated('backup', { message: line })] })),
    ok,
  );
  t.same(
    podResult(
      pod({
        phase: 'Failed',
        containerStatuses: [
          terminated('sidecar', { message: formatResult(notOk) }),
          terminated('backup', { message: `log line\n${line}` }),
        ],
      }),
    ),
    ok,
    'the last line of the backup container wins over another container',
  );
  t.equal(
    podResult(pod({ phase: 'Failed', containerStatuses: [terminated('sidecar', { message: line })] })),
    undefined,
    'another container’s message is not a result',
  );
  t.equal(
    podResult(pod({ phase: 'Failed', containerStatuses: [terminated('backup', { message: 'panic' })] })),
    undefined,
  );
  t.equal(podResult(pod({ phase: 'Failed', containerStatuses: [terminated('backup', {})] })), undefined);
  t.equal(
    podResult(pod({ phase: 'Running', containerStatuses: [{ name: 'backup', state: {} }] })),
    undefined,
  );
  t.equal(podResult(pod(undefined)), undefined);
});

t.test('a finished Pod with a result line is that result, whatever its phase', async (t) => {
  t.same(
    backupRunOf(
      pod({ phase: 'Failed', containerStatuses: [terminated('backup', { message: formatResult(notOk) })] }),
    ),
    { result: notOk },
  );
  t.equal(
    backupRunOf(
      pod({ phase: 'Running', containerStatuses: [terminated('backup', { message: formatResult(ok) })] }),
    ),
    undefined,
    'a result of a Pod not finished yet is not read',
  );
  t.equal(backupRunOf(pod({ phase: 'Succeeded' })), undefined, 'a success without a result line is no run');
});

t.test('a Failed Pod without a result line reports its container termination', async (t) => {
  t.same(
    backupRunOf(
      pod({
        phase: 'Failed',
        reason: 'PodReason',
        message: 'pod message',
        containerStatuses: [
          terminated('backup', {
            reason: 'Error',
            message: 'exec failed',
            finishedAt: '2026-12-06T03:00:00Z',
          }),
        ],
      }),
    ),
    { failure: { time: '2026-12-06T03:00:00Z', error: 'Error: exec failed' } },
  );
});

t.test('without a terminated container the Pod status and then defaults are used', async (t) => {
  t.same(
    backupRunOf(pod({ phase: 'Failed', reason: 'DeadlineExceeded', message: 'Job was active too long' })),
    { failure: { time: CREATED, error: 'DeadlineExceeded: Job was active too long' } },
    'Pod reason and message, Pod creation time',
  );
  t.same(
    backupRunOf(
      pod({
        phase: 'Failed',
        reason: 'Evicted',
        containerStatuses: [terminated('sidecar', { reason: 'Error', finishedAt: '2026-12-06T04:00:00Z' })],
      }),
    ),
    { failure: { time: CREATED, error: 'Evicted:' } },
    'another container’s termination is not read',
  );
  t.same(
    backupRunOf(pod({ phase: 'Failed' }, null)),
    { failure: { time: new Date(0).toISOString(), error: 'Failed:' } },
    'nothing known: reason Failed at the epoch',
  );
  t.same(
    backupRunOf(
      pod({
        phase: 'Failed',
        reason: 'PodReason',
        message: 'pod message',
        containerStatuses: [terminated('backup', { exitCode: 1 })],
      }),
    ),
    { failure: { time: CREATED, error: 'PodReason: pod message' } },
    'a terminated state without reason or message falls back field by field',
  );
});
