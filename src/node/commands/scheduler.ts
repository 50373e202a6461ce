// Scheduler commands: run scheduler, schedule … task …, task stop|resume|
// remove|run, and the system task's `set servers ping`.
import { fail, OK, type CommandDef, type CommandResult } from '../ports/command.js';
import { parseWhere } from '../interpreter/where.js';
import { STATUS } from '../../contract/status-codes.js';

const runScheduler: CommandDef = {
  key: 'run scheduler',
  run(inv, ctx, node): Promise<CommandResult> {
    if (inv.words.length > 3)
      return Promise.resolve(fail(STATUS.COMMAND_STRUCTURE, `Unknown command: '${inv.text}'`));
    const idText = inv.words[2] ?? '1';
    if (!/^\d+$/.test(idText))
      return Promise.resolve(fail(STATUS.COMMAND_STRUCTURE, `Wrong scheduler id: '${idText}'`));
    const id = Number(idText);
    if (id > 10) return Promise.resolve(fail(STATUS.COMMAND_STRUCTURE, 'Scheduler ID is above limit'));
    if (!node.schedulers.start(id)) {
      ctx.console('Scheduler already running');
      return Promise.resolve(fail(STATUS.ALREADY_ACTIVE, `Scheduler ${id} already running`));
    }
    return Promise.resolve(OK);
  },
};

const SCHEDULE_KEYS = {
  time: { type: 'time' },
  name: { type: 'str' },
  scheduler: { type: 'int', min: 0 },
  start: { type: 'str' },
} as const;

function parseStart(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.trim());
  if (m === null) return undefined;
  const n = (i: number): number => Number(m[i] ?? 0);
  return new Date(n(1), n(2) - 1, n(3), n(4), n(5), n(6)).getTime();
}

const schedule: CommandDef = {
  key: 'schedule',
  run(inv, _ctx, node): Promise<CommandResult> {
    const taskAt = inv.rawWords.indexOf('task');
    if (taskAt < 0 || taskAt === inv.rawWords.length - 1)
      return Promise.resolve(fail(STATUS.COMMAND_STRUCTURE, "Missing 'task' in schedule statement"));
    const parsed = parseWhere(inv.words.slice(1, taskAt), SCHEDULE_KEYS, {
      command: inv.text,
      rawWords: inv.rawWords.slice(1, taskAt),
    });
    if (!parsed.ok) return Promise.resolve(parsed.result);
    const v = parsed.values;
    if (v.time === undefined)
      return Promise.resolve(fail(STATUS.COMMAND_STRUCTURE, "Missing 'time' in schedule statement"));
    const schedulerId = v.scheduler ?? 1;
    if (schedulerId > 10)
      return Promise.resolve(fail(STATUS.COMMAND_STRUCTURE, 'Scheduler ID is above limit'));
    const startMs = v.start === undefined ? node.clock.now() : parseStart(v.start);
    if (startMs === undefined)
      return Promise.resolve(fail(STATUS.COMMAND_STRUCTURE, `Wrong start time: '${v.start ?? ''}'`));
    const command = inv.rawWords.slice(taskAt + 1).join(' ');
    const name = v.name ?? command;
    const id = node.schedulers.addTask({ schedulerId, repeatSeconds: v.time, name, command, startMs });
    return Promise.resolve(
      id === undefined ? fail(STATUS.COMMAND_STRUCTURE, `Duplicate task name: '${name}'`) : OK,
    );
  },
};

const TASK_KEYS = {
  scheduler: { type: 'int', min: 0, required: true },
  name: { type: 'str' },
  id: { type: 'int', min: 1 },
} as const;

const TASK_OPS = ['stop', 'resume', 'remove', 'run'] as const;

const task: CommandDef = {
  key: 'task',
  async run(inv, _ctx, node): Promise<CommandResult> {
    const op = TASK_OPS.find((o) => o === inv.words[1]);
    if (op === undefined || inv.words[2] !== 'where')
      return fail(STATUS.COMMAND_STRUCTURE, `Unknown command: '${inv.text}'`);
    const parsed = parseWhere(inv.words.slice(3), TASK_KEYS, {
      command: inv.text,
      rawWords: inv.rawWords.slice(3),
    });
    if (!parsed.ok) return parsed.result;
    const { scheduler = 0, name, id } = parsed.values;
    if (name === undefined && id === undefined) return fail(STATUS.COMMAND_STRUCTURE, "Missing key 'name'");
    if (!node.schedulers.isDeclared(scheduler))
      return fail(STATUS.SCHEDULER_NOT_ACTIVE, `Scheduler ${scheduler} not declared`);
    const selector = id !== undefined ? { id } : { name: name ?? '' };
    return (await node.schedulers.taskOp(scheduler, op, selector))
      ? OK
      : fail(STATUS.TASK_NOT_FOUND, `Task not in scheduler ${scheduler}`);
  },
};

const setServersPing: CommandDef = {
  key: 'set servers ping',
  async run(inv, _ctx, node): Promise<CommandResult> {
    if (inv.words.length !== 3) return fail(STATUS.COMMAND_STRUCTURE, `Unknown command: '${inv.text}'`);
    const failed = node.peers.failedPeers();
    if (failed.length === 0) return OK;
    try {
      await node.peers.sendCommand(failed, 'event metadata_ping', { wait: false });
    } catch (error) {
      node.logger.debug({ err: error }, 'metadata ping failed');
    }
    return OK;
  },
};

export const SCHEDULER_COMMANDS: readonly CommandDef[] = [runScheduler, schedule, task, setServersPing];
