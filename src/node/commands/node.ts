// Node commands: set node name, set rest timeout, accepted no-op settings,
// `set authentication`, `trace level`, `create work directories`, `exit node`.
import { mkdir } from 'node:fs/promises';
import { fail, ok, OK, type CommandDef } from '../ports/command.js';
import { parseTimeValue } from '../interpreter/time-value.js';
import { STATUS } from '../../contract/status-codes.js';

const setNodeName: CommandDef = {
  key: 'set node name',
  run(inv, _ctx, node) {
    const name = inv.words.slice(3).join(' ');
    if (name === '') return Promise.resolve(fail(STATUS.COMMAND_STRUCTURE, 'Missing node name'));
    node.identity.nodeName = name;
    return Promise.resolve(OK);
  },
};

const setRestTimeout: CommandDef = {
  key: 'set rest timeout',
  run(inv, _ctx, node) {
    const seconds = parseTimeValue(inv.words.slice(3).join(' '));
    if (seconds === undefined || inv.words.length < 4)
      return Promise.resolve(fail(STATUS.COMMAND_STRUCTURE, `Wrong timeout in '${inv.text}'`));
    if (node.rest.info() === undefined)
      return Promise.resolve(fail(STATUS.PROCESS_FAILURE, 'REST server not running'));
    node.rest.setTimeout(seconds);
    return Promise.resolve(OK);
  },
};

function onOff(key: string): CommandDef {
  return {
    key,
    run(inv) {
      const value = inv.words[key.split(' ').length];
      const good = inv.words.length === key.split(' ').length + 1 && (value === 'on' || value === 'off');
      return Promise.resolve(good ? OK : fail(STATUS.COMMAND_STRUCTURE, `Expected on or off: '${inv.text}'`));
    },
  };
}

const setAuthentication: CommandDef = {
  key: 'set authentication',
  run(inv) {
    if (inv.words.length !== 3)
      return Promise.resolve(fail(STATUS.COMMAND_STRUCTURE, `Expected on or off: '${inv.text}'`));
    if (inv.words[2] === 'on')
      return Promise.resolve(fail(STATUS.NOT_SUPPORTED, 'Authentication is not supported by anylog-node'));
    return Promise.resolve(
      inv.words[2] === 'off' ? OK : fail(STATUS.COMMAND_STRUCTURE, `Expected on or off: '${inv.text}'`),
    );
  },
};

const traceLevel: CommandDef = {
  key: 'trace level',
  run(inv) {
    const good = inv.words[2] === '=' && /^\d+$/.test(inv.words[3] ?? '');
    return Promise.resolve(good ? OK : fail(STATUS.COMMAND_STRUCTURE, `Wrong trace level: '${inv.text}'`));
  },
};

const createWorkDirectories: CommandDef = {
  key: 'create work directories',
  async run(inv, _ctx, node) {
    if (inv.words.length !== 3) return fail(STATUS.COMMAND_STRUCTURE, `Unknown command: '${inv.text}'`);
    for (const [key, path] of Object.entries(node.dirs)) {
      if (key === 'blockchain_file') continue;
      try {
        await mkdir(path, { recursive: true });
      } catch (error) {
        return fail(
          STATUS.PROCESS_FAILURE,
          `Failed to create directory ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        );
      }
    }
    return OK;
  },
};

const exitNode: CommandDef = {
  key: 'exit node',
  run(inv, _ctx, node) {
    if (inv.words.length !== 2)
      return Promise.resolve(fail(STATUS.COMMAND_STRUCTURE, `Unknown command: '${inv.text}'`));
    node.requestShutdown();
    return Promise.resolve(ok());
  },
};

export const NODE_COMMANDS: readonly CommandDef[] = [
  setNodeName,
  setRestTimeout,
  onOff('set echo queue'),
  onOff('set debug'),
  onOff('set exception traceback'),
  setAuthentication,
  traceLevel,
  createWorkDirectories,
  exitNode,
];
