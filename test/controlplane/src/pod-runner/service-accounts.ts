// Per-pod service-account credentials: the ServiceAccount admission plugin is
// off, so instead of a token volume the runner asks the TokenRequest API for a token bound to the pod
// and writes a kubeconfig with it into the pod directory; containers get KUBECONFIG pointing at it.
import { join } from 'node:path';
import { isStatus, type Api, type Json } from './api.js';
import { writeKubeconfig } from '../kubeconfig.js';

export interface ApiEndpoint {
  readonly server: string;
  readonly caFile: string;
}

/** Returns the kubeconfig path, or undefined when the pod has no usable ServiceAccount. */
export async function podKubeconfig(
  api: Api,
  pod: Json,
  podDir: string,
  ep: ApiEndpoint,
): Promise<string | undefined> {
  const m = pod['metadata'];
  // Without the ServiceAccount admission plugin an unset name stays empty, and the API refuses to bind a
  // token for `default` to such a pod: those pods get an unbound token of `default` instead.
  const named = pod['spec']?.serviceAccountName as string | undefined;
  const sa = named === undefined || named === '' ? 'default' : named;
  const bound = named !== undefined && named !== '';
  if (pod['spec']?.automountServiceAccountToken === false) return undefined;
  let res: Json;
  try {
    res = await api.call('POST', `/api/v1/namespaces/${m.namespace}/serviceaccounts/${sa}/token`, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: {
        expirationSeconds: 86_400,
        ...(bound ? { boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: m.name, uid: m.uid } } : {}),
      },
    });
  } catch (err) {
    if (isStatus(err, 404)) return undefined;
    throw err;
  }
  const path = join(podDir, 'kubeconfig');
  writeKubeconfig(path, {
    server: ep.server,
    caFile: ep.caFile,
    user: `system:serviceaccount:${m.namespace}:${sa}`,
    token: res['status']?.token as string,
    namespace: m.namespace as string,
  });
  return path;
}
