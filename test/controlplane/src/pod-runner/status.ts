// Builds the pod status the runner owns and writes it to pods/<name>/status as a strategic merge patch
// under the field manager `local-pod-runner`: phase, pod and host IPs, start time, the four standard
// conditions (merged by type, so other writers' conditions stay) and the (init) container statuses.
import type { Api, Json } from './api.js';
import type { ContainerView, State } from './container.js';

export const FIELD_MANAGER = 'local-pod-runner';

export interface PodStatusInput {
  readonly pod: Json;
  readonly phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  readonly podIP: string | undefined;
  readonly startTime: Date;
  readonly initialized: boolean;
  readonly reason?: string | undefined;
  readonly message?: string | undefined;
  readonly init: readonly ContainerView[];
  readonly containers: readonly ContainerView[];
}

function stateJson(s: State): Json {
  switch (s.kind) {
    case 'waiting':
      return { waiting: { reason: s.reason, ...(s.message === undefined ? {} : { message: s.message }) } };
    case 'running':
      return { running: { startedAt: s.startedAt.toISOString() } };
    case 'terminated':
      return {
        terminated: {
          exitCode: s.exitCode,
          reason: s.reason,
          startedAt: s.startedAt.toISOString(),
          finishedAt: s.finishedAt.toISOString(),
          ...(s.message === undefined ? {} : { message: s.message }),
        },
      };
  }
}

function containerJson(v: ContainerView, pid: number | undefined): Json {
  return {
    name: v.name,
    image: v.image,
    imageID: `local-pod-runner://${v.image}`,
    ...(pid === undefined ? {} : { containerID: `local-pod-runner://${pid}` }),
    ready: v.ready,
    started: v.started,
    restartCount: v.restartCount,
    state: stateJson(v.state),
    lastState: v.lastState === undefined ? {} : stateJson(v.lastState),
  };
}

/** Keeps lastTransitionTime stable while a condition's status does not change. */
export class Conditions {
  private readonly seen = new Map<string, { status: string; time: string }>();

  set(type: string, ok: boolean): Json {
    const status = ok ? 'True' : 'False';
    const prev = this.seen.get(type);
    const time = prev?.status === status ? prev.time : new Date().toISOString();
    this.seen.set(type, { status, time });
    return { type, status, lastProbeTime: null, lastTransitionTime: time };
  }
}

export function buildStatus(i: PodStatusInput, conds: Conditions, pids: ReadonlyMap<string, number>): Json {
  const containersReady =
    i.containers.length > 0 && i.containers.every((c) => c.ready) && i.phase === 'Running';
  const ip = i.podIP;
  return {
    phase: i.phase,
    ...(i.reason === undefined ? {} : { reason: i.reason }),
    ...(i.message === undefined ? {} : { message: i.message }),
    hostIP: '127.0.0.1',
    hostIPs: [{ ip: '127.0.0.1' }],
    ...(ip === undefined ? {} : { podIP: ip, podIPs: [{ ip }] }),
    startTime: i.startTime.toISOString(),
    conditions: [
      conds.set('PodScheduled', true),
      conds.set('Initialized', i.initialized),
      conds.set('ContainersReady', containersReady),
      conds.set('Ready', containersReady),
    ],
    ...(i.init.length === 0
      ? {}
      : { initContainerStatuses: i.init.map((v) => containerJson(v, pids.get(v.name))) }),
    containerStatuses: i.containers.map((v) => containerJson(v, pids.get(v.name))),
  };
}

/**
 * Writes a pod's status as the kubelet does: a strategic merge patch carrying the pod's uid, which the
 * apiserver treats as a precondition. A worker whose pod was deleted and re-created under the same name
 * (a StatefulSet's web-0) is refused (422, the uid is immutable) instead of writing its terminated
 * containers onto the successor, which would make the successor Failed and have it deleted.
 */
export async function applyStatus(api: Api, pod: Json, status: Json): Promise<void> {
  const m = pod['metadata'];
  await api.call(
    'PATCH',
    `/api/v1/namespaces/${m.namespace}/pods/${m.name}/status?fieldManager=${FIELD_MANAGER}`,
    { metadata: { uid: m.uid }, status },
    'application/strategic-merge-patch+json',
  );
}
