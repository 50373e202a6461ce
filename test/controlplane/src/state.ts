// The run's state file (<run>/state.json): what a started control plane looks like, for the pod
// runner process, `cluster env`/`cluster down` and the teardown test. Written once the plane is up.
import { readFileSync, writeFileSync } from 'node:fs';
import { runLayout } from './paths.js';

export interface RunState {
  readonly runDir: string;
  readonly etcdDataDir: string;
  readonly etcdUrl: string;
  readonly server: string;
  readonly apiserverPort: number;
  readonly caFile: string;
  readonly kubeconfig: string;
  readonly k8sVersion: string;
  readonly kubectl: string;
  readonly helm: string;
  readonly ports: readonly number[];
  readonly pgUrl?: string;
  readonly startedAt: string;
  /** Which node runs the pods; absent in runs written before the real node existed means `process`. */
  readonly runtime?: 'containerd' | 'process';
  /** The real node's InternalIP (apiserver, kubelet, DNS and PostgreSQL listen there). */
  readonly nodeIp?: string;
  /** Locally built image references by short name (real node only). */
  readonly images?: Record<string, string>;
}

export function writeState(s: RunState): void {
  writeFileSync(runLayout.state(s.runDir), `${JSON.stringify(s, null, 2)}\n`, { mode: 0o600 });
}

export function readState(runDir: string): RunState {
  return JSON.parse(readFileSync(runLayout.state(runDir), 'utf8')) as RunState;
}
