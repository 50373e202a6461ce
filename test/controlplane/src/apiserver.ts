// Starts kube-apiserver against the run's etcd on a free port and waits until /readyz returns `ok` with
// the admin token. With the pod runner it binds the loopback (RBAC, static token file, no ServiceAccount
// or TaintNodesByCondition admission); on a real node it binds the node IP, is the `kubernetes`
// Service's endpoint, mounts ServiceAccount tokens and reaches the kubelet with a client certificate.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, PortInUseError } from './ports.js';
import { spawnDetached, stopGroup, type Managed } from './procs.js';
import { get, waitFor } from './http.js';
import type { Pki } from './pki.js';
import type { NodePki } from './realnode/pki.js';

/** What a real node changes: the apiserver listens on the node IP, pods reach it through a Service. */
export interface ApiserverNodeOptions {
  readonly nodeIp: string;
  readonly serviceCidr: string;
  readonly pki: NodePki;
}

export interface ApiserverHandle {
  readonly server: string;
  readonly port: number;
  readonly caFile: string;
  readonly proc: Managed;
}

export interface ApiserverOptions {
  readonly bin: string;
  readonly etcdUrl: string;
  readonly pki: Pki;
  readonly pidDir: string;
  readonly logDir: string;
  readonly timeoutMs?: number;
  readonly node?: ApiserverNodeOptions;
}

export function apiserverArgs(o: ApiserverOptions, port: number): string[] {
  const n = o.node;
  if (n !== undefined) {
    // Pods reach the apiserver through the `kubernetes` Service, whose endpoint is the node IP; the
    // ServiceAccount admission plugin mounts their tokens; the kubelet is reached by its InternalIP.
    return [
      `--etcd-servers=${o.etcdUrl}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-signing-key-file=${o.pki.saKey}`,
      `--service-account-key-file=${o.pki.saPub}`,
      `--bind-address=${n.nodeIp}`,
      `--secure-port=${port}`,
      `--advertise-address=${n.nodeIp}`,
      `--cert-dir=${o.pki.dir}`,
      `--service-cluster-ip-range=${n.serviceCidr}`,
      // The kubelet has a node's rights only: its own Node and Lease, and what the pods bound to it use.
      '--authorization-mode=Node,RBAC',
      '--enable-admission-plugins=NodeRestriction',
      `--token-auth-file=${o.pki.tokensCsv}`,
      '--disable-admission-plugins=TaintNodesByCondition',
      '--allow-privileged=true',
      `--kubelet-client-certificate=${n.pki.apiClientCert}`,
      `--kubelet-client-key=${n.pki.apiClientKey}`,
      `--kubelet-certificate-authority=${n.pki.caCert}`,
      '--kubelet-preferred-address-types=InternalIP',
      '--profiling=false',
      '-v=1',
    ];
  }
  return [
    `--etcd-servers=${o.etcdUrl}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-signing-key-file=${o.pki.saKey}`,
    `--service-account-key-file=${o.pki.saPub}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${port}`,
    '--advertise-address=127.0.0.1',
    `--cert-dir=${o.pki.dir}`,
    '--endpoint-reconciler-type=none',
    '--service-cluster-ip-range=10.0.0.0/24',
    '--authorization-mode=RBAC',
    `--token-auth-file=${o.pki.tokensCsv}`,
    '--disable-admission-plugins=ServiceAccount,TaintNodesByCondition',
    '--allow-privileged=true',
    '--profiling=false',
    '-v=1',
  ];
}

export async function startApiserver(o: ApiserverOptions): Promise<ApiserverHandle> {
  const host = o.node?.nodeIp ?? '127.0.0.1';
  const port = await freePort(host);
  const logFile = join(o.logDir, 'kube-apiserver.log');
  const proc = spawnDetached({
    name: 'kube-apiserver',
    cmd: o.bin,
    args: apiserverArgs(o, port),
    pidDir: o.pidDir,
    logFile,
  });
  let exitCode: number | undefined;
  void proc.exited.then((c) => (exitCode = c));
  const server = `https://${host}:${port}`;
  try {
    await waitFor(
      'kube-apiserver',
      async () => {
        if (!existsSync(o.pki.servingCert)) return false;
        const ca = readFileSync(o.pki.servingCert, 'utf8');
        const r = await get(`${server}/readyz`, { ca, token: o.pki.adminToken, timeoutMs: 2000 });
        return r.status === 200 && r.body.trim() === 'ok';
      },
      o.timeoutMs ?? 90_000,
      () => (exitCode === undefined ? undefined : `exited with ${exitCode}; see ${logFile}`),
    );
  } catch (err) {
    await stopGroup(proc.pid, 2000);
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    if (/address already in use/.test(log)) throw new PortInUseError('kube-apiserver');
    throw err;
  }
  return { server, port, caFile: o.pki.servingCert, proc };
}
