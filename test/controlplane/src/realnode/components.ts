// The node's Kubernetes components and cluster DNS, as configuration files and command lines: kubelet
// (cgroupfs on cgroup v1, containerd over CRI, serving on the node IP with client certificates only),
// kube-proxy (iptables mode, NodePorts only on the node IP), kube-scheduler and CoreDNS (answers the
// cluster's zone only; it has no forward plugin at all). Pure functions except where a file is written.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { NodeNetwork } from './network.js';
import type { NodePki } from './pki.js';

export const NODE_NAME = 'local-node-0';
export const CLUSTER_DOMAIN = 'cluster.local';

export interface Command {
  readonly cmd: string;
  readonly args: string[];
}

export interface KubeletInput {
  readonly bin: string;
  readonly runDir: string;
  readonly kubeconfig: string;
  readonly network: NodeNetwork;
  readonly pki: NodePki;
  readonly containerdSocket: string;
  readonly port: number;
  readonly healthzPort: number;
}

export function kubeletRootDir(runDir: string): string {
  return join(runDir, 'kubelet');
}

export function kubeletConfig(i: KubeletInput): Record<string, unknown> {
  return {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    address: i.network.nodeIp,
    port: i.port,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: i.healthzPort,
    tlsCertFile: i.pki.kubeletCert,
    tlsPrivateKeyFile: i.pki.kubeletKey,
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true },
      x509: { clientCAFile: i.pki.caCert },
    },
    authorization: { mode: 'Webhook' },
    containerRuntimeEndpoint: `unix://${i.containerdSocket}`,
    // cgroup v1 with the cgroupfs driver, as these machines mount it; no QoS hierarchy or allocatable
    // enforcement (the kubelet does not own the machine's root cgroups here).
    cgroupDriver: 'cgroupfs',
    failCgroupV1: false,
    failSwapOn: false,
    cgroupsPerQOS: false,
    enforceNodeAllocatable: [],
    clusterDNS: [i.network.nodeIp],
    clusterDomain: CLUSTER_DOMAIN,
    // An empty file: pods inherit no nameserver or search domain from the host.
    resolvConf: join(i.runDir, 'pod-resolv.conf'),
    podCIDR: i.network.podCidr,
    // Images cannot be pulled again here: never collect them.
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    evictionHard: { 'memory.available': '100Mi', 'nodefs.available': '1%', 'imagefs.available': '1%' },
    serializeImagePulls: false,
    syncFrequency: '10s',
    nodeStatusUpdateFrequency: '5s',
    fileCheckFrequency: '20s',
    staticPodPath: '',
    rotateCertificates: false,
    serverTLSBootstrap: false,
    protectKernelDefaults: false,
    localStorageCapacityIsolation: true,
    shutdownGracePeriod: '0s',
    volumePluginDir: join(kubeletRootDir(i.runDir), 'volume-plugins'),
  };
}

export function kubeletCommand(i: KubeletInput): Command {
  const config = join(i.runDir, 'kubelet.yaml');
  writeFileSync(config, stringify(kubeletConfig(i)));
  writeFileSync(join(i.runDir, 'pod-resolv.conf'), '');
  return {
    cmd: i.bin,
    args: [
      `--config=${config}`,
      `--kubeconfig=${i.kubeconfig}`,
      `--root-dir=${kubeletRootDir(i.runDir)}`,
      `--cert-dir=${join(i.runDir, 'kubelet-pki')}`,
      `--hostname-override=${NODE_NAME}`,
      `--node-ip=${i.network.nodeIp}`,
      '-v=1',
    ],
  };
}

export interface KubeProxyInput {
  readonly bin: string;
  readonly runDir: string;
  readonly kubeconfig: string;
  readonly network: NodeNetwork;
  readonly healthzPort: number;
  readonly metricsPort: number;
}

export function kubeProxyCommand(i: KubeProxyInput): Command {
  const config = join(i.runDir, 'kube-proxy.yaml');
  writeFileSync(
    config,
    stringify({
      apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
      kind: 'KubeProxyConfiguration',
      clientConnection: { kubeconfig: i.kubeconfig },
      mode: 'iptables',
      clusterCIDR: i.network.podCidr,
      hostnameOverride: NODE_NAME,
      bindAddress: i.network.nodeIp,
      healthzBindAddress: `127.0.0.1:${i.healthzPort}`,
      metricsBindAddress: `127.0.0.1:${i.metricsPort}`,
      nodePortAddresses: [`${i.network.nodeIp}/32`],
      // Leave the machine's conntrack settings alone.
      conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: '0s', tcpCloseWaitTimeout: '0s' },
      iptables: { syncPeriod: '10s', minSyncPeriod: '0s', localhostNodePorts: false },
    }),
  );
  return { cmd: i.bin, args: [`--config=${config}`, '-v=1'] };
}

export function schedulerCommand(bin: string, kubeconfig: string): Command {
  return {
    cmd: bin,
    args: [
      `--kubeconfig=${kubeconfig}`,
      `--authentication-kubeconfig=${kubeconfig}`,
      `--authorization-kubeconfig=${kubeconfig}`,
      '--leader-elect=false',
      '--bind-address=127.0.0.1',
      '--secure-port=0',
      '-v=1',
    ],
  };
}

export interface CorednsInput {
  readonly bin: string;
  readonly runDir: string;
  readonly kubeconfig: string;
  readonly network: NodeNetwork;
  readonly readyPort: number;
}

/** Answers `*.cluster.local` from the API; every other name is refused (no zone, no forwarding). */
export function corefile(i: CorednsInput): string {
  return `${CLUSTER_DOMAIN}:53 {
    bind ${i.network.nodeIp}
    errors
    ready 127.0.0.1:${i.readyPort}
    kubernetes ${CLUSTER_DOMAIN} {
        kubeconfig ${i.kubeconfig} anylog-test
        pods insecure
    }
    cache 5
    loadbalance
}
`;
}

export function corednsCommand(i: CorednsInput): Command {
  const file = join(i.runDir, 'Corefile');
  writeFileSync(file, corefile(i));
  return { cmd: i.bin, args: ['-conf', file] };
}
