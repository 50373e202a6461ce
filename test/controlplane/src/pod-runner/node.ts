// Registers the runner's Node: labels, capacity, InternalIP 127.0.0.1 and the
// apiserver's version as kubeletVersion, then a status patch with Ready=True (a create may drop status).
// No heartbeat: the node-lifecycle controller is disabled. Deleted again at teardown.
import { cpus, totalmem } from 'node:os';
import { isStatus, type Api } from './api.js';

export const NODE_NAME = 'local-node-0';

export async function registerNode(api: Api, kubeletVersion: string, maxPods = 250): Promise<void> {
  const capacity = {
    cpu: String(cpus().length),
    memory: `${Math.floor(totalmem() / 1024)}Ki`,
    pods: String(maxPods),
  };
  try {
    await api.call('POST', '/api/v1/nodes', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: NODE_NAME,
        labels: {
          'kubernetes.io/hostname': NODE_NAME,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
        },
      },
      spec: {},
    });
  } catch (err) {
    if (!isStatus(err, 409)) throw err;
  }
  const now = new Date().toISOString();
  await api.call(
    'PATCH',
    `/api/v1/nodes/${NODE_NAME}/status`,
    {
      status: {
        capacity,
        allocatable: capacity,
        addresses: [
          { type: 'InternalIP', address: '127.0.0.1' },
          { type: 'Hostname', address: NODE_NAME },
        ],
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'LocalPodRunnerReady',
            message: 'local pod runner is running',
            lastHeartbeatTime: now,
            lastTransitionTime: now,
          },
        ],
        nodeInfo: {
          machineID: 'local-pod-runner',
          systemUUID: 'local-pod-runner',
          bootID: 'local-pod-runner',
          kernelVersion: 'local',
          osImage: 'local pod runner',
          containerRuntimeVersion: 'local-pod-runner://1',
          kubeletVersion,
          kubeProxyVersion: kubeletVersion,
          operatingSystem: 'linux',
          architecture: 'amd64',
        },
      },
    },
    'application/merge-patch+json',
  );
}

export async function deleteNode(api: Api): Promise<void> {
  try {
    await api.call('DELETE', `/api/v1/nodes/${NODE_NAME}`);
  } catch (err) {
    if (!isStatus(err, 404)) throw err;
  }
}
