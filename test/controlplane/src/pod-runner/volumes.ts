// PersistentVolume emulation: for each pending claim, a hostPath volume at
// <run>/pvs/<namespace>_<claim>/, pre-bound through claimRef with the claim's class, access modes and
// size; the controller manager's binder completes the binding. A deleted claim's volume and directory go.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { isStatus, type Api, type Json } from './api.js';
import { startReflector, type Reflector } from './reflector.js';
import { errText, type RunnerLog } from './log.js';

export const claimDir = (pvsDir: string, ns: string, claim: string): string => join(pvsDir, `${ns}_${claim}`);
const pvName = (claim: Json): string => `local-pv-${claim['metadata'].uid as string}`;

export function startVolumeEmulation(kc: KubeConfig, api: Api, log: RunnerLog, pvsDir: string): Reflector {
  const created = new Set<string>();
  const provision = async (claim: Json): Promise<void> => {
    const m = claim['metadata'];
    const dir = claimDir(pvsDir, m.namespace as string, m.name as string);
    mkdirSync(dir, { recursive: true, mode: 0o777 });
    try {
      await api.call('POST', '/api/v1/persistentvolumes', {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: pvName(claim), labels: { 'anylog.test/local-pv': 'true' } },
        spec: {
          capacity: { storage: claim['spec']?.resources?.requests?.storage ?? '1Gi' },
          accessModes: claim['spec']?.accessModes ?? ['ReadWriteOnce'],
          storageClassName: claim['spec']?.storageClassName ?? '',
          volumeMode: claim['spec']?.volumeMode ?? 'Filesystem',
          persistentVolumeReclaimPolicy: 'Retain',
          hostPath: { path: dir, type: 'DirectoryOrCreate' },
          claimRef: {
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            namespace: m.namespace,
            name: m.name,
            uid: m.uid,
          },
        },
      });
      log.info('provisioned volume', { claim: `${m.namespace}/${m.name}`, dir });
    } catch (err) {
      if (!isStatus(err, 409)) {
        created.delete(m.uid as string);
        log.warn('volume creation failed', { claim: `${m.namespace}/${m.name}`, err: errText(err) });
      }
    }
  };
  const release = async (claim: Json): Promise<void> => {
    const m = claim['metadata'];
    try {
      await api.call('DELETE', `/api/v1/persistentvolumes/${pvName(claim)}`);
    } catch (err) {
      if (!isStatus(err, 404))
        log.warn('volume deletion failed', { claim: `${m.namespace}/${m.name}`, err: errText(err) });
    }
    rmSync(claimDir(pvsDir, m.namespace as string, m.name as string), { recursive: true, force: true });
    created.delete(m.uid as string);
  };
  return startReflector(kc, api, log, {
    path: '/api/v1/persistentvolumeclaims',
    onChange: (claim, deleted) => {
      const uid = claim['metadata']?.uid as string;
      if (deleted) {
        void release(claim);
        return;
      }
      if (
        (claim['status']?.phase ?? 'Pending') !== 'Pending' ||
        claim['spec']?.volumeName ||
        created.has(uid)
      )
        return;
      if (claim['metadata']?.deletionTimestamp !== undefined) return;
      created.add(uid);
      void provision(claim);
    },
  });
}
