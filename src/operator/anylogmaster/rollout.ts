// PURE rollout check of the node StatefulSet and its pod: the StatefulSet has
// observed its generation, has one updated, ready and current replica with currentRevision ==
// updateRevision, and pod `<name>-0` of that revision is Ready with a podIP. Reads typed views (views.ts).
import type { WaitingOutcome } from './outcomes.js';
import { podIsReady, type PodView, type StatefulSetView } from './views.js';

export type RolloutResult =
  | { readonly kind: 'ready'; readonly podIP: string }
  | { readonly kind: 'waiting'; readonly waiting: WaitingOutcome; readonly podMessage: string };

/** Why the StatefulSet is not rolled out, or undefined when it is. */
export function statefulSetProblem(sts: StatefulSetView | undefined): string | undefined {
  if (sts === undefined) return 'the StatefulSet does not exist yet';
  const status = sts.status ?? {};
  if ((status.observedGeneration ?? 0) < (sts.metadata.generation ?? 0))
    return 'the StatefulSet controller has not observed the new revision';
  if (status.updatedReplicas !== 1) return 'the pod is not updated to the current revision';
  if (status.readyReplicas !== 1) return 'the pod is not Ready';
  if (status.currentReplicas !== 1 || status.currentRevision !== status.updateRevision) {
    return 'the StatefulSet rollout is not complete';
  }
  return undefined;
}

/** Why the pod cannot be addressed, or its IP. */
function podProblem(
  pod: PodView | undefined,
  revision: string | undefined,
): { problem: string } | { ip: string } {
  if (pod === undefined) return { problem: 'the pod does not exist yet' };
  if (pod.metadata.deletionTimestamp !== undefined) return { problem: 'the pod is terminating' };
  if (revision !== undefined && pod.metadata.labels?.['controller-revision-hash'] !== revision) {
    return { problem: 'the pod runs an older revision' };
  }
  if (!podIsReady(pod)) return { problem: 'the pod is not Ready' };
  const ip = pod.status?.podIP;
  return ip !== undefined && ip !== '' ? { ip } : { problem: 'the pod has no IP yet' };
}

/** Combines the StatefulSet and pod checks into RollingOut / WaitingForPod / ready. */
export function checkRollout(
  stsName: string,
  sts: StatefulSetView | undefined,
  podName: string,
  pod: PodView | undefined,
): RolloutResult {
  const stsIssue = statefulSetProblem(sts);
  const pp = podProblem(pod, sts?.status?.updateRevision);
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
