// The developer commands of control-plane.md §10.3 (issue 3 acceptance 6), run as a person would:
// `cluster:up` starts a control plane in the background and prints `export KUBECONFIG=...`; kubectl with
// that kubeconfig reaches /readyz; a second `up` says a cluster is running and starts nothing; `env` prints
// the same environment; `down` stops it and leaves no recorded process or run directory. The run's record
// lives in a temporary file (ANYLOG_CLUSTER_POINTER), so a developer's own cluster is untouched.
import t from 'tap';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controlPlaneDir, nodeBinary, tsxArgs } from '../../controlplane/src/paths.js';
import { processAlive, readPidFiles, startTimeOf } from '../../controlplane/src/procs.js';
import { run, type RunResult } from '../../helpers/cluster.js';

t.setTimeout(300_000);

/** The developer CLI (`npm run cluster:<command>`) with its record in `pointer`. */
function cli(pointer: string, command: string): Promise<RunResult> {
  return run(nodeBinary(), [...tsxArgs(join(controlPlaneDir, 'src', 'cli.ts')), command], {
    env: { ANYLOG_CLUSTER_POINTER: pointer },
    timeoutMs: 240_000,
  });
}

function exported(stdout: string, name: string): string | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith(`export ${name}=`));
  return line?.slice(`export ${name}=`.length);
}

function kubectl(path: string, kubeconfig: string, args: string[]): Promise<RunResult> {
  return run(path, ['--kubeconfig', kubeconfig, ...args], { timeoutMs: 30_000 });
}

t.test('cluster:up, kubectl, a second up, env, cluster:down', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'anylog-cluster-cli-'));
  const pointer = join(dir, 'local-cluster.json');
  t.teardown(async () => {
    // Whatever happened above, stop what this test started.
    if (existsSync(pointer)) await cli(pointer, 'down');
    rmSync(dir, { recursive: true, force: true });
  });

  const up = await cli(pointer, 'up');
  t.equal(up.code, 0, `cluster:up exits 0: ${up.stderr}`);
  const kubeconfig = exported(up.stdout, 'KUBECONFIG');
  const kubectlPath = exported(up.stdout, 'ANYLOG_TEST_KUBECTL');
  const runDir = exported(up.stdout, 'ANYLOG_TEST_RUN_DIR');
  t.ok(kubeconfig !== undefined && existsSync(kubeconfig), 'prints an export KUBECONFIG line naming a file');
  t.ok(kubectlPath !== undefined && existsSync(kubectlPath), 'prints the kubectl path');
  t.ok(runDir !== undefined && existsSync(runDir), 'the run directory exists');
  if (kubeconfig === undefined || kubectlPath === undefined || runDir === undefined) return;
  t.same(JSON.parse(readFileSync(pointer, 'utf8')), { runDir }, 'the record names the run');

  const ready = await kubectl(kubectlPath, kubeconfig, ['get', '--raw', '/readyz']);
  t.equal(ready.stdout.trim(), 'ok', `kubectl get --raw /readyz is ok: ${ready.stderr}`);
  const nodes = await kubectl(kubectlPath, kubeconfig, ['get', 'nodes', '-o', 'name']);
  t.match(nodes.stdout, /^node\//m, 'kubectl lists the runner node');

  const recorded = readPidFiles(join(runDir, 'pids'));
  t.ok(
    recorded.some((r) => r.name === 'kube-apiserver'),
    'the apiserver is recorded',
  );

  const again = await cli(pointer, 'up');
  t.equal(again.code, 0, 'a second up exits 0');
  t.match(again.stderr, /a local cluster is already running .*not starting another/, 'and says so');
  t.equal(exported(again.stdout, 'KUBECONFIG'), kubeconfig, 'it prints the running cluster');
  t.equal(exported(again.stdout, 'ANYLOG_TEST_RUN_DIR'), runDir, 'no second run was started');

  const env = await cli(pointer, 'env');
  t.equal(env.code, 0);
  t.equal(exported(env.stdout, 'KUBECONFIG'), kubeconfig, 'cluster:env prints the same environment');

  const down = await cli(pointer, 'down');
  t.equal(down.code, 0, `cluster:down exits 0: ${down.stderr}`);
  t.match(down.stderr, /stopped the local cluster/);
  t.notOk(existsSync(runDir), 'the run directory is removed');
  t.notOk(existsSync(pointer), 'the record is removed');
  for (const r of recorded) {
    const same = processAlive(r.pid) && startTimeOf(r.pid) === r.startTime;
    t.notOk(same, `${r.name} (pid ${r.pid}) is stopped`);
  }
  const after = await cli(pointer, 'env');
  t.equal(after.code, 1, 'cluster:env after down says nothing runs');
  t.match(after.stderr, /no local cluster is running/);
});
