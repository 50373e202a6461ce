// `wait <n> [unit]` and `wait <n> for <cond>` on a fake clock through the real
// interpreter: sleeps the given time, polls the condition every second until it holds or the time is up
// (status 0 either way), 181 for a condition that does not parse, 2 for a bad time, early end on abort.
import t from 'tap';
import { Interpreter } from '../../../../src/node/interpreter/index.js';
import type { CommandResult, ExecContext } from '../../../../src/node/ports/command.js';
import type { NodeServices } from '../../../../src/node/ports/runtime.js';
import { MapDictionary } from '../../../../src/node/dictionary.js';
import { silentLogger } from '../../../../src/common/logger.js';
import { FakeClock } from '../../../helpers/fake-clock.js';

function setup(): {
  clock: FakeClock;
  dict: MapDictionary;
  start: (text: string, signal?: AbortSignal) => { done: () => CommandResult | undefined; at: () => number };
} {
  const clock = new FakeClock();
  const dict = new MapDictionary();
  const interpreter = new Interpreter([]);
  const node = {
    dict,
    env: { get: () => undefined, set: () => undefined },
    clock,
    logger: silentLogger(),
  } as unknown as NodeServices;
  return {
    clock,
    dict,
    start: (text, signal) => {
      let result: CommandResult | undefined;
      let at = -1;
      const ctx: ExecContext = {
        source: 'script',
        assigned: false,
        console: () => undefined,
        ...(signal === undefined ? {} : { signal }),
      };
      void interpreter.execute(text, ctx, node).then((r) => {
        result = r;
        at = clock.monotonic();
      });
      return { done: () => result, at: () => at };
    },
  };
}

t.test('wait <n> [unit] sleeps on the clock', async (t) => {
  for (const [text, ms] of [
    ['wait 3', 3000],
    ['wait 2 seconds', 2000],
    ['wait 1 minute', 60_000],
  ] as const) {
    const { clock, start } = setup();
    const run = start(text);
    await clock.advance(ms - 1);
    t.equal(run.done(), undefined, `${text}: still waiting 1 ms before`);
    await clock.advance(1);
    t.same(run.done(), { code: 0 }, `${text}: done after ${ms} ms`);
  }
});

t.test('wait <n> for <cond> polls every second and returns 0 either way', async (t) => {
  const { clock, dict, start } = setup();
  const run = start('wait 10 for !ready == yes');
  clock.setTimer(4500, () => dict.set('ready', 'yes'));
  await clock.advance(4000);
  t.equal(run.done(), undefined, 'not yet');
  await clock.advance(1000);
  t.same(run.done(), { code: 0 });
  t.equal(run.at(), 5000, 'seen at the first poll after it became true');

  const never = start('wait 3 for !nothing == 1');
  await clock.advance(2999);
  t.equal(never.done(), undefined);
  await clock.advance(1);
  t.same(never.done(), { code: 0 }, 'deadline: still status 0');

  const already = start('wait 30 for !ready == yes');
  await clock.advance(0);
  t.same(already.done(), { code: 0 }, 'a condition that holds returns at once');
  t.equal(clock.pending, 0, 'no timers left behind');
});

t.test('errors and abort', async (t) => {
  const { clock, start } = setup();
  const badCond = start('wait 5 for (!a ==');
  await clock.advance(0);
  t.equal(badCond.done()?.code, 181);
  const badTime = start('wait soon');
  await clock.advance(0);
  t.equal(badTime.done()?.code, 2);
  const controller = new AbortController();
  const aborted = start('wait 1 hour', controller.signal);
  await clock.advance(1000);
  controller.abort();
  await clock.advance(0);
  t.same(aborted.done(), { code: 0 }, 'abort ends the wait');
  t.equal(aborted.at(), 1000);
});
