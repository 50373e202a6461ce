// The assembled node's schedulers on a fake clock: scheduler 0
// runs from boot with task 1 `Metadata Ping` (1 minute, `set servers ping`), which runs at once as on EdgeLake
// (test/fixtures/edgelake/commands.json), cannot be started again, and
// the `get processes` Scheduler row lists the running scheduler ids. No servers, no real sleeping.
import t, { type Test } from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../../src/node/config.js';
import type { CommandResult } from '../../../../src/node/ports/command.js';
import { bootNode } from '../../../helpers/boot-node.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { edgeLakeEntry } from '../../../helpers/edgelake-fixtures.js';

async function bootOnFakeClock(t: Test): Promise<{
  clock: FakeClock;
  run: (text: string) => Promise<CommandResult>;
}> {
  const home = mkdtempSync(join(tmpdir(), 'al-sched-'));
  const config = loadConfig(
    { NODE_TYPE: 'master', NODE_NAME: 'sched-master', INTERNAL_IP: '127.0.0.1', ANYLOG_PATH: home },
    { hostname: 'sched-host', cwd: home, interfaces: {} },
  );
  const clock = new FakeClock();
  const { running } = await bootNode(t, config, home, { clock });
  const console = (): void => undefined;
  return { clock, run: (text) => running.node.execute(text, { source: 'script', assigned: false, console }) };
}

function schedulerRow(processes: string): string {
  return (processes.split('\r\n').find((l) => l.startsWith('    Scheduler ')) ?? '').replace(/ *\|$/, '');
}

t.test('scheduler 0 runs its Metadata Ping task at once, then every minute', async (t) => {
  const fact = edgeLakeEntry('commands', 'metadata-ping-at-start').edgelake['task'] as Record<
    string,
    unknown
  >;
  const { clock, run } = await bootOnFakeClock(t);
  const before = await run('get scheduler 0');
  t.match(before.text, /^\r\nScheduler ID: {5}0\r\nScheduler Status: Running\r\nScheduled Tasks\r\n/);
  const row = new RegExp(
    `\\r\\n ${String(fact['id'])}\\|${String(fact['mode'])}\\|${String(fact['name'])}\\| +${String(fact['counter'])}\\|` +
      `${String(fact['run_status'])} +\\|2026-11-26 12:00:00\\.000000\\|${String(fact['repeat'])} +\\|${String(fact['command'])}\\|\\r\\n$`,
  );
  t.match(before.text, row, 'right after boot: Active, counted once, Success (EdgeLake)');
  await clock.advance(50_000);
  t.match((await run('get scheduler 0')).text, /\| +1\|Success/, 'not again before a minute passed');
  await clock.advance(10_000);
  t.match((await run('get scheduler 0')).text, /\| +2\|Success/, 'again at 60 s');
  const again = await run('run scheduler 0');
  t.equal(again.code, 136, 'scheduler 0 always runs: 136');
});

t.test('get processes lists the running scheduler ids', async (t) => {
  const { run } = await bootOnFakeClock(t);
  const row = async (): Promise<string> => schedulerRow((await run('get processes')).text ?? '');
  t.equal(await row(), '    Scheduler      |Running     |Schedulers IDs in use: [0 (system)]');
  t.equal((await run('run scheduler')).code, 0);
  t.equal(await row(), '    Scheduler      |Running     |Schedulers IDs in use: [0 (system)] [1 (user)]');
  t.equal((await run('run scheduler 3')).code, 0);
  t.equal(await row(), '    Scheduler      |Running     |Schedulers IDs in use: [0 (system)] [1 (user)] [3]');
  t.equal((await run('schedule time = 10 seconds and scheduler = 5 task print x')).code, 0);
  t.match(await row(), /\[3\]$/, 'a declared scheduler that does not run is not listed');
  const all = (await run('get scheduler')).text ?? '';
  const ids = [...all.matchAll(/Scheduler ID: +(\d+)\r\nScheduler Status: (\w+(?: \w+)?)/g)].map(
    (m) => `${m[1] ?? ''} ${m[2] ?? ''}`,
  );
  t.same(ids, ['0 Running', '1 Running', '3 Running', '5 Not Running'], 'declared schedulers in id order');
});
