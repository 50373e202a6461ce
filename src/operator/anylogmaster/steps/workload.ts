// Step 6: the node StatefulSet is rolled out for the current revision and pod
// `<name>-0` is Ready with a podIP. Reads the informer caches; owned watches wake the key on changes.
import { nodePodName, nodeStatefulSetName } from '../../../api/names.js';
import type { KubeObject } from '../../framework/kube.js';
import type { PassEnv } from '../deps.js';
import { PODS } from '../resources.js';
import { checkRollout, type RolloutResult } from '../rollout.js';
import { podView, statefulSetView } from '../views.js';

/** Rollout state, preferring the StatefulSet the apply just returned over the cached one. */
export function checkWorkload(env: PassEnv, statefulSet: KubeObject): RolloutResult {
  const namespace = env.cr.metadata.namespace;
  const pod = env.ctx.cache(PODS).get(`${namespace}/${nodePodName(env.cr)}`);
  return checkRollout(
    nodeStatefulSetName(env.cr),
    statefulSetView(statefulSet),
    nodePodName(env.cr),
    podView(pod),
  );
}
