// A small NodeServices for network unit tests (REST app through inject, TCP over loopback): the real
// TCP stack and REST server, the real network and server commands, and a toy command table (get status, get
// processes, assignments, a few ledger-like commands) instead of the interpreter. Unit tests only.
import { hostname } from 'node:os';
import type { CommandResult, ExecContext } from '../../src/node/ports/command.js';
import type { NodeServices, Dictionary, SyncStatus } from '../../src/node/ports/runtime.js';
import type { LedgerFile } from '../../src/node/ports/ledger.js';
import { NETWORK_COMMANDS } from '../../src/node/commands/network/index.js';
import { SERVER_COMMANDS } from '../../src/node/commands/servers.js';
import { tokenize } from '../../src/node/interpreter/tokenizer.js';
import { createTcpStack, type TcpStackOptions } from '../../src/node/tcp/index.js';
import { createRestServer } from '../../src/node/rest/index.js';
import { realClock } from '../../src/common/clock.js';
import { silentLogger, type Logger } from '../../src/common/logger.js';
import { STATUS } from '../../src/contract/status-codes.js';
import { freePort } from './ports.js';

export interface FakeNodeOptions {
  readonly name?: string;
  readonly ip?: string;
  readonly dirs?: Record<string, string>;
  readonly tcp?: TcpStackOptions;
  /** Text `blockchain get … bring.ip_port` answers. */
  readonly ipPorts?: string;
  readonly dbmsConnected?: boolean;
  readonly logger?: Logger;
}

export interface FakeNode {
  readonly node: NodeServices;
  /** Console lines written by the TCP stack. */
  readonly console: string[];
  /** Commands executed, with their source. */
  readonly executed: { text: string; source: string; peer?: string }[];
  /** The most `get slow` commands that were running at the same time. */
  slowPeak: number;
  syncRunning: boolean;
  readonly ledgerIds: Set<string>;
  readonly installed: string[];
}

class MapDict implements Dictionary {
  readonly map = new Map<string, string>();
  get(name: string): string | undefined {
    return this.map.get(name);
  }
  set(name: string, value: string): void {
    this.map.set(name, value);
  }
  has(name: string): boolean {
    return this.map.has(name);
  }
  delete(name: string): void {
    this.map.delete(name);
  }
  entries(): ReadonlyArray<readonly [string, string]> {
    return [...this.map.entries()];
  }
}

const PROCESSES_TEXT = ('\r\n' + 'Process         Status       Details'.padEnd(60, ' '))
  .repeat(40)
  .slice(0, 2249);

type Handler = (words: string[], ctx: ExecContext, fake: FakeNode) => Promise<CommandResult> | CommandResult;

function toyCommands(opts: FakeNodeOptions, node: () => NodeServices): Record<string, Handler> {
  const name = opts.name ?? 'master-node';
  const schedules = new Set<string>();
  let slowRunning = 0;
  return {
    'get status': (w) => {
      const info = node().tcp.info();
      const id = `${name}@${info?.externalIp ?? node().identity.externalIp}:${info?.externalPort ?? 0}`;
      if (w.includes('json'))
        return {
          code: STATUS.SUCCESS,
          text: `{"assigned_name": "${id}", "status": "running", "profiling": false}`,
        };
      return { code: STATUS.SUCCESS, text: `${id} running` };
    },
    'get processes': () => ({ code: STATUS.SUCCESS, text: PROCESSES_TEXT }),
    'get len': (w) => ({ code: STATUS.SUCCESS, text: String(w.slice(2).join(' ').length) }),
    'get slow': async (w, _ctx, fake) => {
      slowRunning += 1;
      fake.slowPeak = Math.max(fake.slowPeak, slowRunning);
      await new Promise((r) => setTimeout(r, Number(w[2] ?? '100')));
      slowRunning -= 1;
      return { code: STATUS.SUCCESS, text: 'slow done' };
    },
    'get nothing': () => ({ code: STATUS.SUCCESS }),
    // a GET command that echoes its words (EdgeLake's method table refuses `print` over GET)
    'get echo': (w) => ({ code: STATUS.SUCCESS, text: w.slice(2).join(' ') }),
    get: (_w, ctx) => ({
      code: STATUS.COMMAND_STRUCTURE,
      detail: `Unknown command: '${ctx.script?.file ?? ''}'`,
    }),
    print: (w) => ({ code: STATUS.SUCCESS, text: w.slice(1).join(' ') }),
    'exit node': () => ({ code: STATUS.SUCCESS }),
    'set node': () => ({ code: STATUS.SUCCESS }),
    schedule: (w) => {
      const task = w[w.indexOf('name') + 2] ?? '';
      if (schedules.has(task))
        return { code: STATUS.COMMAND_STRUCTURE, detail: `Duplicate task name: '${task}'` };
      schedules.add(task);
      return { code: STATUS.SUCCESS };
    },
    'blockchain get': () => ({ code: STATUS.SUCCESS, text: opts.ipPorts ?? '' }),
    'blockchain push': (w, ctx) => {
      const policy = w.slice(2).join(' ');
      const id = /"id": "([0-9a-f]+)"/.exec(policy)?.[1] ?? '';
      return { code: STATUS.SUCCESS, text: ctx.assigned ? id : '' };
    },
    'blockchain insert': (w, _ctx, fake) => {
      const ref = w[w.indexOf('policy') + 2] ?? '';
      const text = ref.startsWith('!') ? (node().dict.get(ref.slice(1)) ?? '') : ref;
      if (!text.startsWith('{')) return { code: STATUS.COMMAND_STRUCTURE, detail: 'no policy' };
      const id = /"id": "([0-9a-f]+)"/.exec(text)?.[1];
      if (id !== undefined && fake.ledgerIds.has(id)) {
        return {
          code: STATUS.DUPLICATE_ID,
          detail: `Error in 'blockchain insert': duplicate id: '${id}' for policy type: 'master'`,
        };
      }
      return { code: STATUS.SUCCESS };
    },
    'blockchain drop': (w, _ctx, fake) => {
      if (opts.dbmsConnected === false)
        return { code: STATUS.DBMS_NOT_CONNECTED, detail: "Logical DBMS 'blockchain' not connected" };
      const id = w[w.length - 1] ?? '';
      if (!fake.ledgerIds.has(id))
        return { code: STATUS.DELETE_WRONG_KEY, detail: `Policy '${id}' not in ledger` };
      fake.ledgerIds.delete(id);
      return { code: STATUS.SUCCESS };
    },
  };
}

function stubLedgerFile(): LedgerFile {
  return {
    byId: () => undefined,
    byType: () => [],
    candidates: () => [],
    path: '/nonexistent/blockchain.json',
    policies: () => [],
    metadataVersion: () => '0',
    hasId: () => false,
    append: async () => undefined,
    appendNew: async () => true,
    removeIds: async () => 0,
    install: async () => undefined,
    reload: async () => undefined,
    rewrite: async () => undefined,
    rewriteTail: async () => undefined,
    mark: () => undefined,
    exactText: () => undefined,
  };
}

function notUsed(): never {
  throw new Error('not used by the fake node');
}

export function createFakeNode(opts: FakeNodeOptions = {}): FakeNode {
  const dict = new MapDict();
  const env = new Map<string, string>();
  const ip = opts.ip ?? '127.0.0.1';
  const holder: { node?: NodeServices } = {};
  const getNode = (): NodeServices => holder.node ?? notUsed();
  const fake: FakeNode = {
    node: undefined as unknown as NodeServices,
    console: [],
    executed: [],
    slowPeak: 0,
    syncRunning: true,
    ledgerIds: new Set(),
    installed: [],
  };
  const toys = toyCommands(opts, getNode);

  const execute = async (text: string, ctx: ExecContext): Promise<CommandResult> => {
    const tokens = tokenize(text);
    const words = tokens.map((t) =>
      t.kind === 'word' && t.text.startsWith('!') ? (dict.get(t.text.slice(1)) ?? '') : t.text,
    );
    fake.executed.push({
      text,
      source: ctx.source,
      ...(ctx.peer ? { peer: `${ctx.peer.ip}:${ctx.peer.port}` } : {}),
    });
    if (words[1] === '=' && words[0] !== undefined) {
      const rest = tokens
        .slice(2)
        .map((t) => t.raw)
        .join(' ');
      const first = words[2] ?? '';
      if (['get', 'run', 'blockchain', 'print'].includes(first)) {
        const r = await execute(rest, { ...ctx, assigned: true });
        if (r.code === STATUS.SUCCESS) dict.set(words[0], r.text ?? '');
        return r.code === STATUS.SUCCESS ? { code: STATUS.SUCCESS } : r;
      }
      dict.set(words[0], words.slice(2).join(' '));
      return { code: STATUS.SUCCESS };
    }
    const inv = { words, rawWords: tokens.map((t) => t.raw), text };
    for (const n of [3, 2, 1]) {
      const key = words.slice(0, n).join(' ');
      const def = [...NETWORK_COMMANDS, ...SERVER_COMMANDS].find((d) => d.key === key);
      if (def !== undefined && words.length >= n) return def.run(inv, ctx, getNode());
      const toy = toys[key];
      if (toy !== undefined && words.length >= n) {
        const r = await toy(words, { ...ctx, script: { file: text, line: 0 } }, fake);
        return r;
      }
    }
    return { code: STATUS.UNRECOGNIZED_COMMAND, detail: `Unknown command: '${text}'` };
  };

  const syncStatus = (): SyncStatus => ({
    running: fake.syncRunning,
    settings: undefined,
    detail: '',
    calls: 0,
    loads: 0,
    syncOk: 0,
    syncErr: 0,
    lastUpdateMs: undefined,
  });

  const partial = {
    version: '0.0.0-test',
    dict,
    env: { get: (n: string) => env.get(n), set: (n: string, v: string) => env.set(n, v) },
    identity: {
      nodeName: opts.name ?? 'master-node',
      hostname: hostname(),
      internalIp: ip,
      externalIp: ip,
      overlayIp: undefined,
    },
    clock: realClock,
    logger: opts.logger ?? silentLogger(),
    dirs: opts.dirs ?? {},
    dbms: {
      connect: notUsed,
      disconnect: notUsed,
      get: () => undefined,
      typeOf: () => undefined,
      closeAll: async () => undefined,
    },
    ledger: { push: notUsed },
    ledgerFile: stubLedgerFile(),
    sync: {
      status: syncStatus,
      start: notUsed,
      runOnce: notUsed,
      stop: async () => undefined,
      serve: notUsed,
      installFile: notUsed,
    },
    schedulers: {
      start: () => false,
      isRunning: () => false,
      runningIds: () => [],
      isDeclared: () => false,
      addTask: () => undefined,
      tasks: () => [],
      taskOp: async () => false,
      stopAll: async () => undefined,
    },
    execute,
    requestShutdown: () => undefined,
  };
  const stack = createTcpStack(partial as unknown as NodeServices, {
    console: (line) => fake.console.push(line),
    installLedger: async (_n, path) => {
      fake.installed.push(path);
    },
    ...opts.tcp,
  });
  const node = partial as unknown as NodeServices;
  Object.assign(partial, { tcp: stack.tcp, peers: stack.peers, rest: createRestServer(node) });
  holder.node = node;
  (fake as { node: NodeServices }).node = node;
  return fake;
}

/**
 * Starts the fake node's REST server on a free loopback port (bound, 4 threads, 5 s peer timeout) and
 * registers its stop with the test; returns the port.
 */
export async function startFakeRest(
  t: { teardown: (fn: () => Promise<void>) => void },
  fake: FakeNode,
): Promise<number> {
  const port = await freePort();
  await fake.node.rest.start({
    internalIp: '127.0.0.1',
    externalIp: '127.0.0.1',
    internalPort: port,
    externalPort: port,
    bind: true,
    threads: 4,
    timeoutSeconds: 5,
  });
  t.teardown(() => fake.node.rest.stop());
  return port;
}
