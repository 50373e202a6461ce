// Kubeconfig files for the test control plane: the admin kubeconfig of
// the run and per-ServiceAccount kubeconfigs holding a bound token, written with the yaml package.
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

export interface KubeconfigInput {
  readonly server: string;
  readonly caFile: string;
  readonly user: string;
  readonly token: string;
  readonly namespace?: string;
}

export function renderKubeconfig(i: KubeconfigInput): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'anylog-test', cluster: { server: i.server, 'certificate-authority': i.caFile } }],
    users: [{ name: i.user, user: { token: i.token } }],
    contexts: [
      {
        name: 'anylog-test',
        context: {
          cluster: 'anylog-test',
          user: i.user,
          ...(i.namespace === undefined ? {} : { namespace: i.namespace }),
        },
      },
    ],
    'current-context': 'anylog-test',
    preferences: {},
  });
}

export function writeKubeconfig(path: string, i: KubeconfigInput): void {
  writeFileSync(path, renderKubeconfig(i), { mode: 0o600 });
}
