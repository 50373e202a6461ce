// The scheduler driven through the real interpreter and commands on a
// fake clock: a check at start and 10 s wake-ups from it, repeat intervals, `schedule` options and errors, task ids and
// modes, `task stop|resume|remove|run`, declared-but-not-running schedulers, no self-overlap, failures
// that do not stop the others, stopping, and the exact `get scheduler` output. No real sleeping.
import t, { type Test } from 'tap';
import { createSchedulerNode, type SchedulerNode } from './fixtures/scheduler-node.js';

const SEC = 1000;

async function ok(t: Test, sn: SchedulerNode, text: string): Promise<string> {
  const r = await sn.run(text);
  t.equal(r.code, 0, `${text} → ${r.code} ${r.detail ?? ''}`);
  return r.text ?? '';
}

/** Which probe labels started at which second (since the clock's start). */
function startsAt(sn: SchedulerNode): string[] {
  return sn.probes.map((p) => `${p.startMs / SEC}:${p.label}`);
}

function task(sn: SchedulerNode, schedulerId: number, name: string) {
  return sn.schedulers.tasks(schedulerId).find((x) => x.name === name);
}

t.test('a running scheduler wakes every 10 s from its start and runs due tasks in id order', async (t) => {
  const sn = createSchedulerNode();
  await sn.clock.advance(3 * SEC); // the scheduler's 10 s grid starts at `run scheduler`, not at 0
  await ok(t, sn, 'run scheduler 1');
  await ok(t, sn, 'schedule time = 15 seconds and name = p15 task probe p15');
  await ok(t, sn, 'schedule time = 10 and name = p10 task probe p10');
  await ok(t, sn, 'schedule time = 1 minute and name = m1 task probe m1');
  await sn.clock.advance(9 * SEC);
  t.same(startsAt(sn), [], 'nothing before the first wake-up');
  await sn.clock.advance(1 * SEC);
  t.same(startsAt(sn), ['13:p15', '13:p10', '13:m1'], 'first wake-up 10 s after start: all, in id order');
  await sn.clock.advance(60 * SEC);
  t.same(
    startsAt(sn).slice(3),
    ['23:p10', '33:p15', '33:p10', '43:p10', '53:p15', '53:p10', '63:p10', '73:p15', '73:p10', '73:m1'],
    'due = never run or now ≥ last start + repeat, checked on the 10 s grid',
  );
  t.same(
    sn.schedulers.tasks(1).map((x) => [x.id, x.name, x.counter, x.mode, x.runStatus]),
    [
      [1, 'p15', 4, 'Active', 'Success'],
      [2, 'p10', 7, 'Active', 'Success'],
      [3, 'm1', 2, 'Active', 'Success'],
    ],
  );
  t.ok(sn.out.includes('probe p15'), 'task output goes to the console');
  await sn.schedulers.stopAll();
});

t.test('a starting scheduler runs its due tasks at once, then on its 10 s grid', async (t) => {
  const sn = createSchedulerNode();
  await sn.clock.advance(2 * SEC);
  await ok(t, sn, 'schedule time = 15 seconds and name = early task probe early');
  t.same(
    sn.schedulers.tasks(1).map((x) => [x.mode, x.counter, x.runStatus]),
    [['Paused', 0, 'No runs']],
    'declared, not started: never run',
  );
  await ok(t, sn, 'run scheduler 1');
  t.same(
    sn.schedulers.tasks(1).map((x) => [x.mode, x.counter, x.runStatus]),
    [['Active', 1, 'Success']],
    'counted and Active as the run starts (EdgeLake checks its tasks before its first sleep)',
  );
  await sn.clock.advance(20 * SEC);
  t.same(startsAt(sn), ['2:early', '22:early'], 'at start, then at the first wake-up 15 s or more later');
  await sn.schedulers.stopAll();
});

t.test('schedule options: name defaults to the command, start delays, command kept unexpanded', async (t) => {
  const sn = createSchedulerNode();
  await ok(t, sn, 'run scheduler');
  t.ok(sn.schedulers.isRunning(1), '`run scheduler` without id starts scheduler 1');
  sn.node.dict.set('msg', 'first');
  await ok(t, sn, 'schedule time = 10 seconds task print !msg');
  t.equal(task(sn, 1, 'print !msg')?.command, 'print !msg', 'name = the command text, as written');
  await ok(
    t,
    sn,
    'schedule time = 10 seconds and name = later and start = 2026-11-26 12:01:00 task probe later',
  );
  t.equal(task(sn, 1, 'later')?.startTime, '2026-11-26 12:01:00.000000', 'Start-Time shows the start');
  t.equal(task(sn, 1, 'later')?.mode, 'Paused', 'a new task is Paused until its first run');
  await sn.clock.advance(10 * SEC);
  t.same(sn.out, ['first'], 'expanded when it runs');
  sn.node.dict.set('msg', 'second');
  await sn.clock.advance(10 * SEC);
  t.same(sn.out, ['first', 'second'], 'expanded again at each run');
  await sn.clock.advance(30 * SEC);
  t.same(startsAt(sn), [], 'not before its start time (12:01:00)');
  t.equal(task(sn, 1, 'later')?.runStatus, 'No runs');
  await sn.clock.advance(10 * SEC);
  t.same(startsAt(sn), ['60:later'], 'first run on the first wake-up at or after the start');
  t.equal(task(sn, 1, 'later')?.mode, 'Active');
  await sn.schedulers.stopAll();
});

t.test('schedule and run scheduler errors', async (t) => {
  const sn = createSchedulerNode();
  const cases: [string, number, string | RegExp][] = [
    ['schedule time = 10 seconds and name = x', 2, "Missing 'task' in schedule statement"],
    ['schedule time = 10 seconds and name = x task', 2, "Missing 'task' in schedule statement"],
    ['schedule name = x task print a', 2, "Missing 'time' in schedule statement"],
    ['schedule time = 10 seconds and scheduler = 11 task print a', 2, 'Scheduler ID is above limit'],
    ['schedule time = 10 seconds and color = red task print a', 2, /Unknown key 'color'/],
    ['schedule time = soon task print a', 2, /.+/],
    ['run scheduler 11', 2, 'Scheduler ID is above limit'],
  ];
  for (const [text, code, detail] of cases) {
    const r = await sn.run(text);
    t.equal(r.code, code, text);
    t.match(r.detail ?? '', detail, text);
  }
  t.same(sn.schedulers.tasks(1), [], 'no task was added by a failing schedule');
  await ok(t, sn, 'schedule time = 10 seconds task print a');
  const dupDefault = await sn.run('schedule time = 20 seconds task print a');
  t.same([dupDefault.code, dupDefault.detail], [2, "Duplicate task name: 'print a'"]);
  await ok(t, sn, 'schedule time = 10 seconds and name = n1 task print b');
  const dup = await sn.run('schedule time = 30 seconds and name = n1 task print c');
  t.same([dup.code, dup.detail], [2, "Duplicate task name: 'n1'"]);
  await ok(t, sn, 'schedule time = 10 seconds and name = n1 and scheduler = 2 task print c');
  t.pass('the same name in another scheduler is allowed');

  await ok(t, sn, 'run scheduler 1');
  const again = await sn.run('run scheduler 1');
  t.equal(again.code, 136, 'already running → 136');
  t.ok(sn.out.includes('Scheduler already running'), 'console message');
  await sn.schedulers.stopAll();
});

t.test('task ids: lowest free id ≥ 1, reused after remove', async (t) => {
  const sn = createSchedulerNode();
  for (const name of ['a', 'b', 'c'])
    await ok(t, sn, `schedule time = 10 seconds and name = ${name} task print ${name}`);
  t.same(
    sn.schedulers.tasks(1).map((x) => [x.id, x.name]),
    [
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ],
  );
  await ok(t, sn, 'task remove where scheduler = 1 and name = b');
  await ok(t, sn, 'schedule time = 10 seconds and name = d task print d');
  t.same(
    sn.schedulers.tasks(1).map((x) => [x.id, x.name]),
    [
      [1, 'a'],
      [2, 'd'],
      [3, 'c'],
    ],
    'd takes the freed id 2; listed in id order',
  );
});

t.test('task stop, resume, remove and run', async (t) => {
  const sn = createSchedulerNode();
  await ok(t, sn, 'run scheduler 1');
  await ok(t, sn, 'schedule time = 10 seconds and name = keep task probe keep');
  await ok(t, sn, 'schedule time = 10 seconds and name = halt task probe halt');
  await ok(t, sn, 'schedule time = 10 seconds and name = gone task probe gone');
  await sn.clock.advance(10 * SEC);
  t.same(startsAt(sn), ['10:keep', '10:halt', '10:gone']);

  await ok(t, sn, 'task stop where scheduler = 1 and name = halt');
  t.equal(task(sn, 1, 'halt')?.mode, 'Stopped');
  await ok(t, sn, 'task remove where scheduler = 1 and id = 3');
  t.equal(task(sn, 1, 'gone'), undefined, 'removed tasks are no longer listed');
  await sn.clock.advance(20 * SEC);
  t.same(startsAt(sn).slice(3), ['20:keep', '30:keep'], 'stopped and removed tasks do not run');

  await ok(t, sn, 'task resume where scheduler = 1 and name = halt');
  t.equal(task(sn, 1, 'halt')?.mode, 'Active');
  await sn.clock.advance(10 * SEC);
  t.same(startsAt(sn).slice(5), ['40:keep', '40:halt'], 'resumed task runs again');

  await sn.clock.advance(5 * SEC);
  await ok(t, sn, 'task run where scheduler = 1 and name = keep');
  t.same(startsAt(sn).slice(7), ['45:keep'], '`task run` runs it once, now');
  t.equal(task(sn, 1, 'keep')?.counter, 5, 'and counts it (4 wake-ups + 1)');
  await sn.clock.advance(5 * SEC);
  t.same(startsAt(sn).slice(8), ['50:halt'], 'keep last started at 45: not due at 50');

  const cases: [string, number][] = [
    ['task stop where scheduler = 4 and name = keep', 105],
    ['task run where scheduler = 1 and name = nobody', 162],
    ['task resume where scheduler = 1 and id = 9', 162],
    ['task remove where scheduler = 1 and name = gone', 162],
    ['task pause where scheduler = 1 and name = keep', 2],
    ['task stop scheduler = 1 and name = keep', 2],
  ];
  for (const [text, code] of cases) t.equal((await sn.run(text)).code, code, text);
  await sn.schedulers.stopAll();
});

t.test(
  'a declared scheduler runs nothing until `run scheduler <id>`; `task run` works meanwhile',
  async (t) => {
    const sn = createSchedulerNode();
    await ok(t, sn, 'schedule time = 10 seconds and name = s2 and scheduler = 2 task probe s2');
    t.ok(sn.schedulers.isDeclared(2));
    t.notOk(sn.schedulers.isRunning(2));
    await sn.clock.advance(60 * SEC);
    t.same(startsAt(sn), [], 'not running: no wake-ups');
    await ok(t, sn, 'task run where scheduler = 2 and name = s2');
    t.same(startsAt(sn), ['60:s2']);
    await ok(t, sn, 'run scheduler 2');
    await sn.clock.advance(10 * SEC);
    t.same(startsAt(sn), ['60:s2', '70:s2']);
    t.same(sn.schedulers.runningIds(), [2]);
    await sn.schedulers.stopAll();
  },
);

t.test('a task never overlaps itself; tasks run one after the other', async (t) => {
  const sn = createSchedulerNode();
  await ok(t, sn, 'run scheduler 1');
  await ok(t, sn, 'schedule time = 10 seconds and name = slow task probe slow 25000');
  await ok(t, sn, 'schedule time = 10 seconds and name = quick task probe quick');
  await sn.clock.advance(70 * SEC);
  t.same(
    sn.probes.map((p) => [p.label, p.startMs / SEC, p.endMs === undefined ? undefined : p.endMs / SEC]),
    [
      ['slow', 10, 35],
      ['quick', 35, 35],
      ['slow', 40, 65],
      ['quick', 65, 65],
      ['slow', 70, undefined],
    ],
    'wake-ups while busy are skipped; the next task waits for the previous one',
  );
  t.equal(sn.maxConcurrent.get('slow'), 1);
  await ok(t, sn, 'task run where scheduler = 1 and name = slow');
  t.equal(sn.probes.length, 5, '`task run` of a task that is running does not start a second run');
  const stopping = sn.schedulers.stopAll();
  let stopped = false;
  void stopping.then(() => {
    stopped = true;
  });
  await sn.clock.advance(10 * SEC);
  t.notOk(stopped, 'stopAll waits for the running task');
  await sn.clock.advance(15 * SEC);
  t.ok(stopped, 'and returns when it ends');
  t.equal(sn.maxConcurrent.get('slow'), 1);
});

t.test('a task removed or stopped while an earlier task runs is not started in that wake-up', async (t) => {
  const sn = createSchedulerNode();
  await ok(t, sn, 'run scheduler 1');
  await ok(t, sn, 'schedule time = 1 minute and name = slow task probe slow 20000');
  await ok(t, sn, 'schedule time = 1 minute and name = removed task probe removed');
  await ok(t, sn, 'schedule time = 1 minute and name = stopped task probe stopped');
  await ok(t, sn, 'schedule time = 1 minute and name = last task probe last');
  await sn.clock.advance(15 * SEC);
  t.same(startsAt(sn), ['10:slow'], 'slow runs from 10 s to 30 s');
  await ok(t, sn, 'task remove where scheduler = 1 and name = removed');
  await ok(t, sn, 'task stop where scheduler = 1 and name = stopped');
  await sn.clock.advance(20 * SEC);
  t.same(startsAt(sn), ['10:slow', '30:last'], 'only the remaining active task follows');
  await sn.schedulers.stopAll();
});

t.test('failing tasks are recorded and logged and never stop the scheduler', async (t) => {
  const sn = createSchedulerNode();
  await ok(t, sn, 'run scheduler 1');
  await ok(t, sn, 'schedule time = 10 seconds and name = before task probe before');
  await ok(t, sn, 'schedule time = 10 seconds and name = unknown task this is not a command');
  await ok(t, sn, 'schedule time = 10 seconds and name = throws task boom');
  await ok(t, sn, 'schedule time = 10 seconds and name = coded task fail with 30');
  await ok(t, sn, 'schedule time = 10 seconds and name = after task probe after');
  await sn.clock.advance(30 * SEC);
  t.same(startsAt(sn), ['10:before', '10:after', '20:before', '20:after', '30:before', '30:after']);
  t.same(
    sn.schedulers.tasks(1).map((x) => [x.name, x.counter, x.runStatus, x.mode]),
    [
      ['before', 3, 'Success', 'Active'],
      ['unknown', 3, 'Unrecognized Command', 'Active'],
      ['throws', 3, 'Error Process Failure', 'Active'],
      ['coded', 3, 'Blockchain operation failed', 'Active'],
      ['after', 3, 'Success', 'Active'],
    ],
    'Run Status = status text of the last run',
  );
  t.ok(sn.schedulers.isRunning(1));
  const failures = sn.logs.map((l) => JSON.parse(l) as { msg: string; task?: string });
  t.ok(
    failures.some((l) => l.task === 'unknown') && failures.some((l) => l.task === 'coded'),
    'failures are logged with the task name',
  );
  t.notOk(
    sn.out.some((l) => l.includes('failing on purpose')),
    'a failing task prints no result text to the console',
  );
  await sn.schedulers.stopAll();
});

t.test('stopping: no wake-ups after stopAll, timers cancelled, no restart', async (t) => {
  const sn = createSchedulerNode();
  await ok(t, sn, 'run scheduler 1');
  await ok(t, sn, 'run scheduler 3');
  await ok(t, sn, 'schedule time = 10 seconds and name = a task probe a');
  await ok(t, sn, 'schedule time = 10 seconds and name = b and scheduler = 3 task probe b');
  await sn.clock.advance(10 * SEC);
  t.same(startsAt(sn), ['10:a', '10:b']);
  await sn.schedulers.stopAll();
  t.equal(sn.clock.pending, 0, 'every wake-up timer is cancelled');
  t.same(sn.schedulers.runningIds(), []);
  await sn.clock.advance(60 * SEC);
  t.same(startsAt(sn), ['10:a', '10:b'], 'nothing runs after stopping');
  const r = await sn.run('run scheduler 1');
  t.not(r.code, 0, 'a stopped node does not restart schedulers');
  t.notOk(sn.schedulers.isRunning(1));
});

t.test('get scheduler: exact layout, one scheduler, all, undeclared, bad id', async (t) => {
  const sn = createSchedulerNode();
  await ok(t, sn, 'run scheduler 1');
  await ok(t, sn, 'schedule time = 15 seconds and name = Sync Print task echo hello from scheduler');
  await ok(t, sn, 'schedule time = 1 minute and name = ping2 task get scheduler 9');
  await ok(t, sn, 'schedule time = 24 hours and name = day and scheduler = 4 task print day');
  await sn.clock.advance(10 * SEC);
  const one = await ok(t, sn, 'get scheduler 1');
  t.equal(
    one,
    [
      '',
      'Scheduler ID:     1',
      'Scheduler Status: Running',
      'Scheduled Tasks',
      'ID Mode   Name       Counter Run Status Start-Time                 Repeat-Time Task                      ',
      '--|------|----------|-------|----------|--------------------------|-----------|-------------------------|',
      ' 1|Active|Sync Print|      1|Success   |2026-11-26 12:00:00.000000|0:0:15     |echo hello from scheduler|',
      ' 2|Active|ping2     |      1|Success   |2026-11-26 12:00:00.000000|0:1:0      |get scheduler 9          |',
      '',
    ].join('\r\n'),
  );
  t.ok(sn.out.includes('Scheduler 9 not declared'), 'an undeclared id answers `Scheduler <id> not declared`');
  t.ok(sn.out.includes('hello from scheduler'));
  const four = await ok(t, sn, 'get scheduler 4');
  t.match(four, /^\r\nScheduler ID: {5}4\r\nScheduler Status: Not Running\r\nScheduled Tasks\r\n/);
  t.match(
    four,
    / 1\|Paused\|day \| {6}0\|No runs {3}\|2026-11-26 12:00:00\.000000\|24:0:0 {5}\|print day\|\r\n$/,
  );
  const all = await ok(t, sn, 'get scheduler');
  t.equal(all, `\r\n${one}\r\n${four}`, 'all declared schedulers in id order, each after CR LF');
  t.equal(await ok(t, sn, 'get scheduler 7'), 'Scheduler 7 not declared');
  t.equal((await sn.run('get scheduler one')).code, 2);
  t.equal((await sn.run('get scheduler 1 2')).code, 2);
  await sn.schedulers.stopAll();
});
