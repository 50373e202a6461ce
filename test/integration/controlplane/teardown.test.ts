// Teardown leaves nothing behind: a nested
// with-cluster.ts run starts a second control plane, runs a pod, then its command fails midway; after it
// returns, no recorded process, listening port, run directory or etcd data directory may remain, and
// the command's exit code is propagated.
import t from 'tap';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controlPlaneDir, nodeBinary, repoRoot, tsxArgs } from '../../controlplane/src/paths.js';
import { isListening } from '../../controlplane/src/ports.js';
import { processAlive, startTimeOf } from '../../controlplane/src/procs.js';

// Waits for real controllers and processes: more than tap's default per-file timeout.
t.setTimeout(300_000);

const failingRun = `
set -e
cp "$ANYLOG_TEST_RUN_DIR/state.json" "$OUT/state.json"
"$ANYLOG_TEST_KUBECTL" run sleeper --image=example.invalid/sleep --restart=Never --command -- sleep 300 >/dev/null
for i in $(seq 1 120); do
  if ls "$ANYLOG_TEST_RUN_DIR/pids" | grep -q '^pod\\.'; then break; fi
  sleep 0.25
done
for f in "$ANYLOG_TEST_RUN_DIR"/pids/*.pid; do echo "$(basename "$f" .pid) $(cat "$f")"; done > "$OUT/pids.txt"
echo "a test failed midway" >&2
exit 3
`;

t.test('a failing run tears everything down', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'anylog-teardown-'));
  t.teardown(() => rmSync(out, { recursive: true, force: true }));
  const code = await new Promise<number>((resolve) => {
    const child = spawn(
      nodeBinary(),
      [
        ...tsxArgs(join(controlPlaneDir, 'src', 'with-cluster.ts')),
        '--runtime=process',
        '--',
        'sh',
        '-c',
        failingRun,
      ],
      {
        cwd: repoRoot,
        env: { ...process.env, OUT: out },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.once('exit', (c) => {
      clearTimeout(timer);
      resolve(c ?? 1);
    });
  });
  t.equal(code, 3, 'the exit code of the command is propagated');
  const state = JSON.parse(readFileSync(join(out, 'state.json'), 'utf8'));
  const pids = readFileSync(join(out, 'pids.txt'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(' '));
  const names = pids.map((p) => p[0]);
  for (const n of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'pod-runner', 'postgres'])
    t.ok(names.includes(n), `${n} was recorded`);
  t.ok(
    names.some((n) => n?.startsWith('pod.')),
    'a pod process was recorded',
  );
  for (const [name, pid, start] of pids) {
    const alive = processAlive(Number(pid)) && startTimeOf(Number(pid)) === start;
    t.notOk(alive, `${name} (pid ${pid}) is gone`);
  }
  for (const port of state.ports as number[]) t.notOk(await isListening(port), `port ${port} is closed`);
  t.notOk(await isListening(state.apiserverPort), 'the apiserver port is closed');
  t.notOk(existsSync(state.runDir), 'the run directory is removed');
  t.notOk(existsSync(state.etcdDataDir), 'the etcd data directory is removed');
  const leftovers = readdirSync('/dev/shm').filter((d) => state.etcdDataDir.endsWith(d));
  t.same(leftovers, [], 'nothing left on tmpfs');
});
