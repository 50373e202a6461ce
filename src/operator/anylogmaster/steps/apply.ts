// Applying one child: refuse objects this CR does not control
// (ResourceConflict, never adopt), skip the write when the cached object already holds every rendered
// field, otherwise server-side apply with the fixed field manager. Returns the live object.
import { LABEL_INSTANCE, isManagedByUs } from '../../../api/labels.js';
import { AppError } from '../../../common/errors.js';
import type { KubeObject } from '../../framework/kube.js';
import { needsApply } from '../drift.js';
import { FIELD_MANAGER, type PassEnv } from '../deps.js';
import { typeOfKind } from '../resources.js';

/** An existing object is not ours to manage; the pass ends with Stalled/ResourceConflict. */
export class ResourceConflictError extends AppError {
  constructor(message: string) {
    super('ERR_KUBE_API', message, { retryable: false });
  }
}

/** Why `live` may not be managed by the CR of `env`, or undefined. */
export function conflictOf(env: PassEnv, live: KubeObject): string | undefined {
  const what = `${live.kind} ${live.metadata.namespace ?? ''}/${live.metadata.name}`;
  if (!isManagedByUs(live.metadata.labels)) return `${what} exists and is not managed by anylog-operator`;
  const controller = (live.metadata.ownerReferences ?? []).find((o) => o.controller === true);
  if (controller !== undefined && controller.uid !== env.cr.metadata.uid) {
    return `${what} is controlled by ${controller.kind} ${controller.name}`;
  }
  if (controller === undefined && live.metadata.labels?.[LABEL_INSTANCE] !== env.cr.metadata.name) {
    return `${what} belongs to another instance`;
  }
  return undefined;
}

/** The cached object, else a direct GET (objects without our labels are not in the cache). */
export async function liveObject(env: PassEnv, kind: string, name: string): Promise<KubeObject | undefined> {
  const type = typeOfKind(kind);
  const namespace = env.cr.metadata.namespace;
  const cached = env.ctx.cache(type).get(`${namespace}/${name}`);
  if (cached !== undefined) return cached;
  return env.ctx.kube.get(type, { namespace, name }, env.ctx.signal);
}

/** Apply `desired` unless the live object already matches; throws ResourceConflictError. */
export async function ensureChild(env: PassEnv, desired: KubeObject): Promise<KubeObject> {
  const live = await liveObject(env, desired.kind, desired.metadata.name);
  if (live !== undefined) {
    const conflict = conflictOf(env, live);
    if (conflict !== undefined) throw new ResourceConflictError(conflict);
    if (!env.forceApply && !needsApply(desired, live)) return live;
  }
  env.ctx.logger.debug({ kind: desired.kind, name: desired.metadata.name }, 'applying child');
  return env.ctx.kube.apply(typeOfKind(desired.kind), desired, {
    fieldManager: FIELD_MANAGER,
    signal: env.ctx.signal,
  });
}
