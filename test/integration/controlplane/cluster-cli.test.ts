// The developer commands (`npm run cluster:up`, `cluster:env`, `cluster:down`), run as a person would:
// `cluster:up` starts a control plane in the background and prints `export KUBECONFIG=...`; kubectl with
// that kubeconfig reaches /readyz; a second `up` says a cluster is running and starts nothing; `env` prints
// the same environment; `down` stops it and leaves no recorded process or run directory. The run's record
// lives in a temporary file (ANYLOG_CLUSTER_POINTER), so a developer's own cluster is untouched.
// Run once with the pod runner (`up --runtime=process`) and once with the default, the real node
// (kubelet + containerd): that run also starts a container, and after `down` nothing it made may remain
// (bridge, containment table, Service route, network namespaces, mounts, shims, iptables chains, sysctls).
// A real node whose processes were all killed (a session cut short) is taken down by the next `up`.
// Only one real node runs on a machine at a time: this file fails while a developer's own one is up.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controlPlaneDir, nodeBinary, tsxArgs } from '../../controlplane/src/paths.js';
import { readPidFiles, recordAlive } from '../../controlplane/src/procs.js';
import { run, type RunResult } from '../../helpers/cluster.js';
import { nodeNetwork, saveSysctls } from '../../controlplane/src/realnode/network.js';
import { takeDownAbandonedNodes } from '../../controlplane/src/controlplane.js';

t.setTimeout(900_000);

// What runs killed earlier left on this machine would stand in the "before" of every comparison below.
await takeDownAbandonedNodes(() => undefined);

/** The developer CLI (`npm run cluster:<command>`) with its record in `pointer`, default runtime unset. */
function cli(pointer: string, ...args: string[]): Promise<RunResult> {
  return cliWith({}, pointer, ...args);
}

function cliWith(env: Record<string, string>, pointer: string, ...args: string[]): Promise<RunResult> {
  return run(nodeBinary(), [...tsxArgs(join(controlPlaneDir, 'src', 'cli.ts')), ...args], {
    env: { ANYLOG_CLUSTER_POINTER: pointer, ANYLOG_CLUSTER_RUNTIME: '', ...env },
    timeoutMs: 300_000,
  });
}

const sh = (cmd: string, args: string[]): string => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
};

/** What a real node leaves on the machine, as a map from what to its state. */
function machineTraces(runDir: string): Record<string, string> {
  const n = nodeNetwork();
  const shims = readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        return readFileSync(`/proc/${e}/cmdline`, 'utf8').includes(runDir);
      } catch {
        return false;
      }
    });
  return {
    bridge: sh('ip', ['-o', 'link', 'show', n.bridge]).trim(),
    'containment table': sh('nft', ['list', 'table', 'inet', n.nftTable]).trim(),
    'Service route': sh('ip', ['route', 'show', n.serviceCidr]).trim(),
    'network namespaces': existsSync('/var/run/netns')
      ? readdirSync('/var/run/netns')
          .filter((x) => x.startsWith('cni-'))
          .join(' ')
      : '',
    mounts: readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .filter((l) => l.includes(runDir))
      .join('\n'),
    'processes naming the run': shims.join(' '),
    'KUBE- iptables chains': ['iptables', 'ip6tables']
      .flatMap((bin) => ['filter', 'nat', 'mangle'].map((tb) => sh(bin, ['-t', tb, '-S'])))
      .flatMap((out) => out.split('\n').filter((l) => /^-N KUBE-/.test(l)))
      .join(' '),
    'nftables tables': sh('nft', ['list', 'tables']).trim(),
  };
}

function exported(stdout: string, name: string): string | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith(`export ${name}=`));
  return line?.slice(`export ${name}=`.length);
}

function kubectl(path: string, kubeconfig: string, args: string[]): Promise<RunResult> {
  return run(path, ['--kubeconfig', kubeconfig, ...args], { timeoutMs: 30_000 });
}

for (const runtime of ['process', 'containerd'] as const) {
  t.test(`cluster:up (${runtime}), kubectl, a second up, env, cluster:down`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'anylog-cluster-cli-'));
    const pointer = join(dir, 'local-cluster.json');
    t.teardown(async () => {
      // Whatever happened above, stop what this test started.
      if (existsSync(pointer)) await cli(pointer, 'down');
      rmSync(dir, { recursive: true, force: true });
    });

    const sysctlsBefore = saveSysctls();
    const tracesBefore = machineTraces('/nonexistent');
    const up = await cli(pointer, 'up', ...(runtime === 'process' ? ['--runtime=process'] : []));
    t.equal(up.code, 0, `cluster:up exits 0: ${up.stderr}`);
    const kubeconfig = exported(up.stdout, 'KUBECONFIG');
    const kubectlPath = exported(up.stdout, 'ANYLOG_TEST_KUBECTL');
    const runDir = exported(up.stdout, 'ANYLOG_TEST_RUN_DIR');
    t.ok(
      kubeconfig !== undefined && existsSync(kubeconfig),
      'prints an export KUBECONFIG line naming a file',
    );
    t.ok(kubectlPath !== undefined && existsSync(kubectlPath), 'prints the kubectl path');
    t.ok(runDir !== undefined && existsSync(runDir), 'the run directory exists');
    if (kubeconfig === undefined || kubectlPath === undefined || runDir === undefined) return;
    t.same(JSON.parse(readFileSync(pointer, 'utf8')), { runDir }, 'the record names the run');

    const ready = await kubectl(kubectlPath, kubeconfig, ['get', '--raw', '/readyz']);
    t.equal(ready.stdout.trim(), 'ok', `kubectl get --raw /readyz is ok: ${ready.stderr}`);
    const nodes = await kubectl(kubectlPath, kubeconfig, ['get', 'nodes', '-o', 'name']);
    t.match(nodes.stdout, /^node\//m, 'kubectl lists the node');
    t.equal(exported(up.stdout, 'ANYLOG_TEST_RUNTIME'), runtime, `the ${runtime} runtime`);
    if (runtime === 'containerd') {
      const image = exported(up.stdout, 'ANYLOG_TEST_IMAGE');
      t.match(image, /^localhost\/anylog\/anylog-operator:/, 'the locally built project image is exported');
      const info = await kubectl(kubectlPath, kubeconfig, [
        'get',
        'node',
        'local-node-0',
        '-o',
        'jsonpath={.status.nodeInfo.containerRuntimeVersion}',
      ]);
      t.match(info.stdout, /^containerd:\/\//, 'the node runs containerd');
      const pod = await kubectl(kubectlPath, kubeconfig, [
        'run',
        'sleeper',
        `--image=${image ?? ''}`,
        '--image-pull-policy=Never',
        '--restart=Never',
        '--command',
        '--',
        'sleep',
        '600',
      ]);
      t.equal(pod.code, 0, pod.stderr);
      const wait = await run(
        kubectlPath,
        ['--kubeconfig', kubeconfig, 'wait', '--for=condition=Ready', 'pod/sleeper', '--timeout=120s'],
        { timeoutMs: 130_000 },
      );
      t.equal(wait.code, 0, `a container runs: ${wait.stderr}`);
      t.not(machineTraces(runDir)['bridge'], '', 'the bridge exists while the node runs');
    }

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
      t.notOk(recordAlive(r), `${r.name} (pid ${r.pid}) is stopped`);
    }
    const after = await cli(pointer, 'env');
    t.equal(after.code, 1, 'cluster:env after down says nothing runs');
    t.match(after.stderr, /no local cluster is running/);
    const traces = machineTraces(runDir);
    for (const [what, state] of Object.entries(traces)) {
      // The pod runner makes no network: what the machine had before (another run's, even) is still there.
      const before =
        runtime === 'process' || what === 'network namespaces' || what === 'nftables tables'
          ? tracesBefore[what]
          : '';
      t.equal(state, before, `after down: no ${what} left`);
    }
    t.same(saveSysctls(), sysctlsBefore, 'the sysctls are as before');
  });
}

t.test('a real node whose processes were all killed is taken down by the next up', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'anylog-cluster-cli-'));
  const killed = join(dir, 'killed.json');
  const next = join(dir, 'next.json');
  t.teardown(async () => {
    for (const p of [next, killed]) if (existsSync(p)) await cli(p, 'down');
    rmSync(dir, { recursive: true, force: true });
  });
  const sysctlsBefore = saveSysctls();
  const tracesBefore = machineTraces('/nonexistent');

  const first = await cli(killed, 'up');
  t.equal(first.code, 0, `the first node starts: ${first.stderr}`);
  const deadRun = exported(first.stdout, 'ANYLOG_TEST_RUN_DIR');
  if (deadRun === undefined) return;
  // What a killed session or a crashed machine leaves: no process, everything else in place.
  for (const r of readPidFiles(join(deadRun, 'pids'))) {
    if (recordAlive(r)) process.kill(r.pid, 'SIGKILL');
  }
  t.not(machineTraces(deadRun)['bridge'], '', 'the killed node left its bridge');

  const second = await cli(next, 'up');
  t.equal(second.code, 0, `the next node starts: ${second.stderr}`);
  t.match(
    second.stderr,
    new RegExp(`taking down a real node whose processes are gone \\(run ${deadRun}\\)`),
    'and says which run it took down',
  );
  t.notOk(existsSync(deadRun), "the killed run's directory is removed");
  const nextRun = exported(second.stdout, 'ANYLOG_TEST_RUN_DIR');
  const kubeconfig = exported(second.stdout, 'KUBECONFIG');
  const kubectlPath = exported(second.stdout, 'ANYLOG_TEST_KUBECTL');
  if (nextRun === undefined || kubeconfig === undefined || kubectlPath === undefined) return;
  const nodes = await kubectl(kubectlPath, kubeconfig, ['get', 'nodes', '-o', 'name']);
  t.match(nodes.stdout, /^node\//m, 'the next node registers');

  const down = await cli(next, 'down');
  t.equal(down.code, 0, `cluster:down exits 0: ${down.stderr}`);
  for (const [what, state] of Object.entries(machineTraces(nextRun))) {
    const before = what === 'network namespaces' || what === 'nftables tables' ? tracesBefore[what] : '';
    t.equal(state, before, `after down: no ${what} left`);
  }
  t.equal(machineTraces(deadRun)['mounts'], '', 'no mount of the killed run is left');
  t.same(saveSysctls(), sysctlsBefore, 'the sysctls are as before');
});

t.test('cluster:up refuses pod or Service ranges that overlap the machine or each other', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'anylog-cluster-cli-'));
  const pointer = join(dir, 'local-cluster.json');
  t.teardown(async () => {
    if (existsSync(pointer)) await cli(pointer, 'down');
    rmSync(dir, { recursive: true, force: true });
  });
  const before = machineTraces('/nonexistent');
  // Every machine has 127.0.0.0/8 on its loopback interface.
  const loop = await cliWith({ ANYLOG_POD_CIDR: '127.1.0.0/24' }, pointer, 'up');
  t.equal(loop.code, 1, 'up fails');
  t.match(
    loop.stderr,
    /refusing to start the local node: pod range 127\.1\.0\.0\/24 overlaps 127\.0\.0\.\d+\/(8|32)/,
  );
  const same = await cliWith(
    { ANYLOG_POD_CIDR: '10.97.0.0/24', ANYLOG_SERVICE_CIDR: '10.97.0.0/25' },
    pointer,
    'up',
  );
  t.equal(same.code, 1, 'up fails');
  t.match(same.stderr, /pod range 10\.97\.0\.0\/24 overlaps Service range 10\.97\.0\.0\/25/);
  t.notOk(existsSync(pointer), 'no cluster was recorded');
  t.same(machineTraces('/nonexistent'), before, 'no bridge, table, route or chain was made');
});
