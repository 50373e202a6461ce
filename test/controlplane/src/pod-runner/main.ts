// Process entry of the local pod runner, started detached by controlplane.ts:
// `main.ts <run-dir>`. Reads the run's state.json, starts the runner, writes <run>/pod-runner.ready,
// and on SIGTERM/SIGINT stops every pod process and deletes the node before exiting.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readState } from '../state.js';
import { runLayout } from '../paths.js';
import { startPodRunner } from './index.js';
import { errText, runnerLog } from './log.js';

const runDir = process.argv[2];
if (runDir === undefined) {
  process.stderr.write('usage: main.ts <run-dir>\n');
  process.exit(2);
}
const state = readState(runDir);
try {
  const runner = await startPodRunner({
    kubeconfig: runLayout.kubeconfig(runDir),
    server: state.server,
    port: state.apiserverPort,
    caFile: state.caFile,
    podsDir: runLayout.pods(runDir),
    pvsDir: runLayout.pvs(runDir),
    pidDir: runLayout.pids(runDir),
    kubeletVersion: state.k8sVersion,
    log: runnerLog,
  });
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    runnerLog.info('pod runner stopping');
    void runner.stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  writeFileSync(join(runDir, 'pod-runner.ready'), `${process.pid}\n`);
} catch (err) {
  runnerLog.error('pod runner failed to start', { err: errText(err) });
  process.exit(1);
}
