// PURE rollout check of the node StatefulSet and its pod (docs/design/operator.md §5 step 6): the StatefulSet has
// observed its generation, has one updated, ready and current replica with currentRevision ==
// updateRevision, and pod `<name>-0` of that revision is Ready with a podIP.
import type { WaitingOutcome } from './outcomes.js';
import { asRecord } from '../../shared/is-record.js';

export type RolloutResult =
  | { readonly kind: 'ready'; readonly podIP: string }
  | { readonly kind: 'waiting'; readonly waiting: WaitingOutcome; readonly podMessage: string };

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** Why the StatefulSet is not rolled out, or undefined when it is. */
export function statefulSetProblem(sts: unknown): string | undefined {
  if (sts === undefined) return 'the StatefulSet does not exist yet';
  const meta = asRecord(asRecord(sts)['metadata']);
  const status = asRecord(asRecord(sts)['status']);
  if (num(status['observedGeneration']) < num(meta['generation']))
    return 'the StatefulSet controller has not observed the new revision';
  if (num(status['updatedReplicas']) !== 1) return 'the pod is not updated to the current revision';
  if (num(status['readyReplicas']) !== 1) return 'the pod is not Ready';
  if (num(status['currentReplicas']) !== 1 || status['currentRevision'] !== status['updateRevision']) {
    return 'the StatefulSet rollout is not complete';
  }
  return undefined;
}

function podReady(pod: Record<string, unknown>): boolean {
  const conditions = asRecord(pod['status'])['conditions'];
  return (
    Array.isArray(conditions) &&
    conditions.some((c) => asRecord(c)['type'] === 'Ready' && asRecord(c)['status'] === 'True')
  );
}

/** Why the pod cannot be addressed, or its IP. */
function podProblem(pod: unknown, revision: unknown): { problem: string } | { ip: string } {
  if (pod === undefined) return { problem: 'the pod does not exist yet' };
  const p = asRecord(pod);
  const meta = asRecord(p['metadata']);
  if (meta['deletionTimestamp'] !== undefined) return { problem: 'the pod is terminating' };
  const labels = asRecord(meta['labels']);
  if (typeof revision === 'string' && labels['controller-revision-hash'] !== revision) {
    return { problem: 'the pod runs an older revision' };
  }
  if (!podReady(p)) return { problem: 'the pod is not Ready' };
  const ip = asRecord(p['status'])['podIP'];
  return typeof ip === 'string' && ip !== '' ? { ip } : { problem: 'the pod has no IP yet' };
}

/** Combines the StatefulSet and pod checks into RollingOut / WaitingForPod / ready. */
export function checkRollout(stsName: string, sts: unknown, podName: string, pod: unknown): RolloutResult {
  const stsIssue = statefulSetProblem(sts);
  const pp = podProblem(pod, asRecord(asRecord(sts)['status'])['updateRevision']);
  const podMessage = 'problem' in pp ? `pod ${podName}: ${pp.problem}` : `pod ${podName} is Ready`;
  if (stsIssue !== undefined) {
    return {
      kind: 'waiting',
      waiting: { reason: 'RollingOut', message: `StatefulSet ${stsName}: ${stsIssue}` },
      podMessage,
    };
  }
  if ('problem' in pp)
    return { kind: 'waiting', waiting: { reason: 'WaitingForPod', message: podMessage }, podMessage };
  return { kind: 'ready', podIP: pp.ip };
}
