// Starts kube-controller-manager with the admin kubeconfig, no leader election,
// no HTTPS port and every default controller except node lifecycle. Ready when the service-account
// controller has created default/default (there is no health endpoint with --secure-port=0). On a real
// node it also allocates the node's pod range (spec.podCIDR).
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { spawnDetached, stopGroup, type Managed } from './procs.js';
import { get, waitFor } from './http.js';
import type { Pki } from './pki.js';

export interface ControllerManagerOptions {
  readonly bin: string;
  readonly kubeconfig: string;
  readonly server: string;
  readonly pki: Pki;
  readonly pidDir: string;
  readonly logDir: string;
  /** A real node's pod range: the node gets it as spec.podCIDR. */
  readonly podCidr?: string;
}

export async function startControllerManager(o: ControllerManagerOptions): Promise<Managed> {
  const logFile = join(o.logDir, 'kube-controller-manager.log');
  const proc = spawnDetached({
    name: 'kube-controller-manager',
    cmd: o.bin,
    args: [
      `--kubeconfig=${o.kubeconfig}`,
      '--leader-elect=false',
      '--secure-port=0',
      '--controllers=*,-node-lifecycle-controller',
      `--service-account-private-key-file=${o.pki.saKey}`,
      `--root-ca-file=${o.pki.servingCert}`,
      '--use-service-account-credentials=false',
      '--kube-api-qps=100',
      '--kube-api-burst=200',
      ...(o.podCidr === undefined
        ? []
        : [
            '--allocate-node-cidrs=true',
            `--cluster-cidr=${o.podCidr}`,
            `--node-cidr-mask-size=${o.podCidr.split('/')[1] ?? '24'}`,
          ]),
      '-v=1',
    ],
    pidDir: o.pidDir,
    logFile,
  });
  let exitCode: number | undefined;
  void proc.exited.then((c) => (exitCode = c));
  const ca = readFileSync(o.pki.servingCert, 'utf8');
  try {
    await waitFor(
      'kube-controller-manager',
      async () => {
        const r = await get(`${o.server}/api/v1/namespaces/default/serviceaccounts/default`, {
          ca,
          token: o.pki.adminToken,
        });
        return r.status === 200;
      },
      60_000,
      () => (exitCode === undefined ? undefined : `exited with ${exitCode}; see ${logFile}`),
    );
  } catch (err) {
    await stopGroup(proc.pid, 2000);
    throw err;
  }
  return proc;
}
