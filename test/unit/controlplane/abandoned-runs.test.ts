// Which real-node runs the next start takes down: only those that recorded a node and whose recorded
// processes are all gone; a run with a live process, or one that has just begun, is left alone.
import t from 'tap';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { abandonedNodeRuns, liveNodeRuns } from '../../controlplane/src/abandoned-runs.js';
import { readPidFiles, recordAlive, startTimeOf, writePidFile } from '../../controlplane/src/procs.js';

const base = mkdtempSync(join(tmpdir(), 'anylog-abandoned-'));
t.teardown(() => rmSync(base, { recursive: true, force: true }));

const old = (Date.now() - 600_000) / 1000;

function run(name: string, o: { node: boolean; pids?: Record<string, string>; fresh?: boolean }): string {
  const dir = join(base, name);
  mkdirSync(join(dir, 'pids'), { recursive: true });
  if (o.node) {
    writeFileSync(join(dir, 'realnode.json'), '{}\n');
    if (o.fresh !== true) utimesSync(join(dir, 'realnode.json'), old, old);
  }
  for (const [proc, line] of Object.entries(o.pids ?? {}))
    writeFileSync(join(dir, 'pids', `${proc}.pid`), line);
  return dir;
}

// PID 1 exists, but under another start time: a recycled PID is not the recorded process.
const dead = run('anylog-cp-dead', { node: true, pids: { kubelet: '1 1\n', containerd: '999999999 5\n' } });
const live = run('anylog-cp-live', { node: true });
writePidFile(join(live, 'pids'), 'kubelet', process.pid);
const justStarted = run('anylog-cp-new', { node: true, fresh: true });
run('anylog-cp-nonode', { node: false, pids: { 'kube-apiserver': '999999999 5\n' } });
run('other-dir', { node: true });

t.test('a run is alive only while a recorded process is the same process', async (t) => {
  t.ok(startTimeOf(process.pid), 'this process has a start time');
  t.ok(readPidFiles(join(live, 'pids')).some(recordAlive));
  t.notOk(
    readPidFiles(join(dead, 'pids')).some(recordAlive),
    'a dead PID and a recycled PID do not keep a run alive',
  );
});

t.test('abandoned: recorded a node, no live process, not just starting', async (t) => {
  t.same(abandonedNodeRuns(base), [dead]);
});

t.test('live: a live process, or a node recorded moments ago with no process yet', async (t) => {
  t.same(liveNodeRuns(base), [live, justStarted].sort());
  t.same(
    abandonedNodeRuns(base, Date.now() + 600_000),
    [dead, justStarted].sort(),
    'once the grace has passed, a run that never recorded a process is abandoned',
  );
});

t.test('a missing base holds no runs', async (t) => {
  t.same(abandonedNodeRuns(join(base, 'missing')), []);
  t.same(liveNodeRuns(join(base, 'missing')), []);
});
