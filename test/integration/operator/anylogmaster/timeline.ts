// Records every version of an AnyLogMaster's conditions through `kubectl get -w` while a failure suite
// runs, so a failed assertion about Events can be read against what the API server actually held
// (printed as a comment when the test fails). Stopped in teardown.
import { spawn } from 'node:child_process';
import type { Test } from 'tap';
import { clusterEnv } from '../../../helpers/cluster.js';

// custom-columns tolerates missing fields (a jsonpath range over absent conditions ends kubectl's watch).
const COLUMNS = [
  'NAME:.metadata.name',
  'RV:.metadata.resourceVersion',
  'PHASE:.status.phase',
  'TYPES:.status.conditions[*].type',
  'STATUSES:.status.conditions[*].status',
  'REASONS:.status.conditions[*].reason',
].join(',');

export interface Timeline {
  /** One line per observed version: "<time> <name> <resourceVersion> <phase> <types> <statuses> <reasons>". */
  lines(): readonly string[];
}

export function recordTimeline(t: Test, namespace: string, name: string): Timeline {
  const env = clusterEnv();
  const lines: string[] = [];
  const child = spawn(
    env.kubectl,
    [
      '--kubeconfig',
      env.kubeconfig,
      '-n',
      namespace,
      'get',
      'anylogmaster',
      name,
      '-w',
      '-o',
      `custom-columns=${COLUMNS}`,
      '--no-headers',
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  let partial = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const p of parts) {
      if (p.trim() !== '') lines.push(`${new Date().toISOString()} ${p.trim().replace(/\s+/g, ' ')}`);
    }
  });
  child.on('error', () => undefined);
  t.teardown(() => {
    child.kill('SIGTERM');
    if (!t.passing()) t.comment(`conditions of ${namespace}/${name}:\n${lines.join('\n')}`);
  });
  return { lines: () => lines };
}
