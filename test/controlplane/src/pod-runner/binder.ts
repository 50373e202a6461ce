// Binds pending pods to the runner's node: there is no scheduler, so every pod
// with an empty spec.nodeName and no scheduling gates gets a v1 Binding to local-node-0.
import type { KubeConfig } from '@kubernetes/client-node';
import { isStatus, type Api, type Json } from './api.js';
import { startReflector, type Reflector } from './reflector.js';
import { errText, type RunnerLog } from './log.js';
import { NODE_NAME } from './node.js';

export function startBinder(kc: KubeConfig, api: Api, log: RunnerLog): Reflector {
  const pending = new Set<string>();
  const bind = async (pod: Json): Promise<void> => {
    const m = pod['metadata'];
    try {
      await api.call('POST', `/api/v1/namespaces/${m.namespace}/pods/${m.name}/binding`, {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: m.name, namespace: m.namespace, uid: m.uid },
        target: { apiVersion: 'v1', kind: 'Node', name: NODE_NAME },
      });
    } catch (err) {
      if (!isStatus(err, 409) && !isStatus(err, 404))
        log.warn('binding failed', { pod: `${m.namespace}/${m.name}`, err: errText(err) });
    } finally {
      pending.delete(m.uid as string);
    }
  };
  return startReflector(kc, api, log, {
    path: '/api/v1/pods',
    fieldSelector: 'spec.nodeName=',
    onChange: (pod, deleted) => {
      const uid = pod['metadata']?.uid as string;
      if (deleted || pod['metadata']?.deletionTimestamp !== undefined) return;
      if (((pod['spec']?.schedulingGates ?? []) as unknown[]).length > 0 || pending.has(uid)) return;
      pending.add(uid);
      void bind(pod);
    },
  });
}
