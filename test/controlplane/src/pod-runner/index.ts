// The local pod runner: registers the node, binds pending pods, runs the pods
// bound to its node as local processes, emulates PersistentVolumes; stop() kills every container's
// process group and deletes the node. Uses @kubernetes/client-node directly (own watch loop).
import { mkdirSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { createApi, type Api, type Json } from './api.js';
import { AddressPool } from './addresses.js';
import { startBinder } from './binder.js';
import { deleteNode, NODE_NAME, registerNode } from './node.js';
import { PodWorker } from './pod-worker.js';
import { startReflector, type Reflector } from './reflector.js';
import { claimDir, startVolumeEmulation } from './volumes.js';
import { errText, type RunnerLog } from './log.js';

export interface PodRunnerOptions {
  readonly kubeconfig: string;
  readonly server: string;
  readonly port: number;
  readonly caFile: string;
  readonly podsDir: string;
  readonly pvsDir: string;
  readonly pidDir: string;
  readonly kubeletVersion: string;
  readonly log: RunnerLog;
  readonly maxGraceMs?: number;
}

export interface PodRunner {
  stop(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitForClaim(api: Api, ns: string, claim: string, pvsDir: string): Promise<string> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const c = await api.find(`/api/v1/namespaces/${ns}/persistentvolumeclaims/${claim}`);
    if (c?.['status']?.phase === 'Bound') {
      const dir = claimDir(pvsDir, ns, claim);
      mkdirSync(dir, { recursive: true, mode: 0o777 });
      return dir;
    }
    await sleep(250);
  }
  throw new Error(`claim ${ns}/${claim} not bound after 120 s`);
}

export async function startPodRunner(o: PodRunnerOptions): Promise<PodRunner> {
  const kc = new KubeConfig();
  kc.loadFromFile(o.kubeconfig);
  const api = createApi(kc);
  const log = o.log;
  mkdirSync(o.podsDir, { recursive: true });
  mkdirSync(o.pvsDir, { recursive: true });
  await registerNode(api, o.kubeletVersion);
  const pool = new AddressPool();
  const workers = new Map<string, PodWorker>();
  const deps = {
    api,
    log,
    pool,
    podsDir: o.podsDir,
    pidDir: o.pidDir,
    endpoint: { server: o.server, caFile: o.caFile, port: o.port },
    pvcDir: (ns: string, claim: string) => waitForClaim(api, ns, claim, o.pvsDir),
    maxGraceMs: o.maxGraceMs ?? 10_000,
  };
  const onPod = (pod: Json, deleted: boolean): void => {
    const uid = pod['metadata']?.uid as string;
    const w = workers.get(uid);
    if (deleted) {
      workers.delete(uid);
      if (w !== undefined)
        void w.gone().catch((err: unknown) => log.warn('pod cleanup failed', { err: errText(err) }));
      return;
    }
    if (w !== undefined) {
      w.update(pod);
      return;
    }
    const worker = new PodWorker(pod, deps);
    workers.set(uid, worker);
    worker.update(pod);
  };
  const reflectors: Reflector[] = [
    startVolumeEmulation(kc, api, log, o.pvsDir),
    startReflector(kc, api, log, {
      path: '/api/v1/pods',
      fieldSelector: `spec.nodeName=${NODE_NAME}`,
      onChange: onPod,
    }),
    startBinder(kc, api, log),
  ];
  await Promise.all(reflectors.map((r) => r.synced));
  log.info('pod runner started', { node: NODE_NAME });
  return {
    stop: async () => {
      for (const r of reflectors) r.stop();
      await Promise.all([...workers.values()].map((w) => w.gone().catch(() => undefined)));
      workers.clear();
      try {
        await deleteNode(api);
      } catch (err) {
        log.warn('node deletion failed', { err: errText(err) });
      }
    },
  };
}
