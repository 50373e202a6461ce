// The local node's volume provisioner: the default StorageClass `local-path` (WaitForFirstConsumer)
// gets, for each claim the scheduler has placed, a directory on this node and a `local`
// PersistentVolume pinned to the node by node affinity, pre-bound to the claim; the PV controller then
// binds them as on any cluster. A released volume is deleted with its directory (reclaim policy
// Delete). `local` volumes, unlike `hostPath`, get the pod's fsGroup applied by the kubelet, so
// restricted pods can write to them. Runs as a process of the run (provisioner-main.ts).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { createApi, isStatus, type Api, type Json } from '../pod-runner/api.js';
import { runLayout } from '../paths.js';
import { NODE_NAME } from './components.js';

export const STORAGE_CLASS = 'local-path';
export const PROVISIONER = 'anylog.local/host-dir';
const SELECTED_NODE = 'volume.kubernetes.io/selected-node';

export const storageClass = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: {
    name: STORAGE_CLASS,
    annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
  },
  provisioner: PROVISIONER,
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'WaitForFirstConsumer',
};

function volumeName(claim: Json): string {
  return `pvc-${String(claim['metadata']['uid'])}`;
}

/** The PV for a claim (pure). */
export function volumeFor(claim: Json, dir: string): Json {
  const md = claim['metadata'] as Json;
  const spec = claim['spec'] as Json;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name: volumeName(claim),
      annotations: { 'pv.kubernetes.io/provisioned-by': PROVISIONER },
    },
    spec: {
      capacity: { storage: spec['resources']?.['requests']?.['storage'] ?? '1Gi' },
      accessModes: spec['accessModes'] ?? ['ReadWriteOnce'],
      volumeMode: 'Filesystem',
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: STORAGE_CLASS,
      claimRef: { namespace: md['namespace'], name: md['name'], uid: md['uid'] },
      local: { path: dir },
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [NODE_NAME] }] },
          ],
        },
      },
    },
  };
}

async function provisionPending(api: Api, pvsDir: string): Promise<void> {
  const claims = (await api.get('/api/v1/persistentvolumeclaims'))['items'] as Json[];
  for (const c of claims) {
    const md = c['metadata'] as Json;
    const spec = c['spec'] as Json;
    if (spec['storageClassName'] !== STORAGE_CLASS || (spec['volumeName'] ?? '') !== '') continue;
    if (c['status']?.['phase'] !== 'Pending' || md['deletionTimestamp'] !== undefined) continue;
    if (md['annotations']?.[SELECTED_NODE] !== NODE_NAME) continue;
    const dir = join(
      pvsDir,
      `${String(md['namespace'])}_${String(md['name'])}_${String(md['uid']).slice(0, 8)}`,
    );
    mkdirSync(dir, { recursive: true, mode: 0o770 });
    try {
      await api.call('POST', '/api/v1/persistentvolumes', volumeFor(c, dir));
      process.stdout.write(`provisioned ${volumeName(c)} for ${md['namespace']}/${md['name']} at ${dir}\n`);
    } catch (err) {
      if (!isStatus(err, 409)) throw err;
    }
  }
}

async function deleteReleased(api: Api): Promise<void> {
  const pvs = (await api.get('/api/v1/persistentvolumes'))['items'] as Json[];
  for (const pv of pvs) {
    const md = pv['metadata'] as Json;
    if (md['annotations']?.['pv.kubernetes.io/provisioned-by'] !== PROVISIONER) continue;
    if (pv['status']?.['phase'] !== 'Released') continue;
    const dir = pv['spec']?.['local']?.['path'] as string | undefined;
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    try {
      await api.call('DELETE', `/api/v1/persistentvolumes/${String(md['name'])}`);
      process.stdout.write(`deleted released ${String(md['name'])}\n`);
    } catch (err) {
      if (!isStatus(err, 404)) throw err;
    }
  }
}

/** Runs until SIGTERM or SIGINT: creates the StorageClass, then provisions and deletes every 0.5 s. */
export async function runProvisioner(runDir: string): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(runLayout.kubeconfig(runDir));
  const api = createApi(kc);
  const pvsDir = runLayout.pvs(runDir);
  mkdirSync(pvsDir, { recursive: true });
  try {
    await api.call('POST', '/apis/storage.k8s.io/v1/storageclasses', storageClass);
  } catch (err) {
    if (!isStatus(err, 409)) throw err;
  }
  writeFileSync(join(runDir, 'provisioner.ready'), `${process.pid}\n`);
  const state = { stopping: false };
  process.on('SIGTERM', () => (state.stopping = true));
  process.on('SIGINT', () => (state.stopping = true));
  while (!state.stopping) {
    try {
      await provisionPending(api, pvsDir);
      await deleteReleased(api);
    } catch (err) {
      process.stderr.write(`provisioner: ${err instanceof Error ? err.message : String(err)}\n`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
