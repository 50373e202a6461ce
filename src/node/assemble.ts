// Assembles a running node: NodeServices with the adapters of the ledger, sync,
// TCP and REST engineers (factories that use `node` only at call time), the schedulers with the system
// task, the interpreter; runs the boot script, keeps the process up while a service runs, and shuts down
// in reverse start order.
import { realClock } from '../common/clock.js';
import { readProcessEnvVar, writeProcessEnv } from '../common/env.js';
import type { LogPort as Logger } from '../common/log-port.js';
import { statusText, STATUS } from '../contract/status-codes.js';
import { ALL_COMMANDS } from './commands/index.js';
import { bootDictionary, type NodeConfig } from './config.js';
import { MapDictionary } from './dictionary.js';
import { Interpreter } from './interpreter/index.js';
import { createDbmsRegistry, createLedgerFile, createLedgerPush } from './ledger/index.js';
import type { MainIo } from './io.js';
import type { CommandResult, ExecContext } from './ports/command.js';
import type { NodeIdentity, NodeServices } from './ports/runtime.js';
import { createRestServer } from './rest/index.js';
import { Schedulers } from './scheduler/scheduler.js';
import { createSynchronizer } from './sync/index.js';
import { createTcpStack } from './tcp/index.js';

export interface StartOptions {
  readonly config: NodeConfig;
  readonly logger: Logger;
  readonly io: MainIo;
  readonly version: string;
}

const SHUTDOWN_GRACE_MS = 5000;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class RunningNode {
  private readonly stopping = new AbortController();

  constructor(
    readonly node: NodeServices,
    readonly interpreter: Interpreter,
    private readonly io: MainIo,
  ) {}

  requestShutdown(): void {
    this.stopping.abort();
  }

  private console(text: string): void {
    this.io.stdout(text);
  }

  /** Whether a long-running service is active. */
  private longRunning(): boolean {
    const { node } = this;
    const userScheduler = node.schedulers.runningIds().some((id) => id !== 0);
    return (
      node.tcp.info() !== undefined ||
      node.rest.info() !== undefined ||
      node.sync.status().running ||
      userScheduler
    );
  }

  /** Run the boot script, then stay up or exit; resolves with the exit code. */
  async run(boot: { name: string; text: string }): Promise<number> {
    const signal = this.stopping.signal;
    this.io.shutdown?.addEventListener(
      'abort',
      () => {
        this.requestShutdown();
      },
      { once: true },
    );
    const ctx: ExecContext = {
      source: 'script',
      assigned: false,
      console: (t) => {
        this.console(t);
      },
      signal,
    };
    const outcome = await this.interpreter.runScriptText(boot.text, boot.name, ctx, this.node);
    if (outcome.result.code !== STATUS.SUCCESS && !signal.aborted) {
      await this.shutdown();
      return 1;
    }
    const cli = this.io.stdinIsTty && !signal.aborted ? await this.startCli(signal) : undefined;
    if (!signal.aborted && (this.longRunning() || cli !== undefined)) {
      await new Promise<void>((resolve) => {
        signal.addEventListener(
          'abort',
          () => {
            resolve();
          },
          { once: true },
        );
      });
    }
    await this.shutdown();
    return 0;
  }

  private async startCli(signal: AbortSignal): Promise<{ done: Promise<void> }> {
    const { runCli } = await import('./cli.js');
    const done = runCli(this.interpreter, this.node, signal);
    void done.then(() => {
      this.requestShutdown();
    });
    return { done };
  }

  /** Stop in reverse start order; running commands get up to 5 s. */
  async shutdown(): Promise<void> {
    const { node } = this;
    const steps: (() => Promise<void>)[] = [
      () => node.rest.stop(),
      () => node.tcp.stop(),
      () => node.sync.stop(),
      () => node.schedulers.stopAll(),
      () => node.dbms.closeAll(),
    ];
    for (const step of steps) {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, SHUTDOWN_GRACE_MS);
      });
      try {
        await Promise.race([step(), grace]);
      } catch (error) {
        node.logger.warn({ err: error }, 'error while stopping a component');
      } finally {
        clearTimeout(timer);
      }
    }
  }
}

function identityOf(config: NodeConfig): NodeIdentity {
  return {
    nodeName: config.nodeName,
    hostname: config.hostname,
    internalIp: config.internalIp,
    externalIp: config.externalIp,
    overlayIp: config.overlayIp,
  };
}

/** Build NodeServices and its adapters; start scheduler 0 with its system task. */
export function startNode(options: StartOptions): Promise<RunningNode> {
  const { config, logger, io } = options;
  const clock = io.clock ?? realClock;
  const consoleSink = (text: string): void => {
    io.stdout(text);
  };
  const interpreter = new Interpreter(ALL_COMMANDS);
  const node = {} as Mutable<NodeServices>;
  const ref: { running?: RunningNode } = {};
  const tcpStack = createTcpStack(node, { console: consoleSink });
  Object.assign(node, {
    version: options.version,
    dict: new MapDictionary(bootDictionary(config)),
    env: { get: readProcessEnvVar, set: writeProcessEnv },
    identity: identityOf(config),
    clock,
    logger,
    dirs: config.dirs,
    dbms: createDbmsRegistry(node),
    ledger: createLedgerPush(node),
    ledgerFile: createLedgerFile(node),
    sync: createSynchronizer(node, { console: consoleSink }),
    schedulers: new Schedulers(() => node, consoleSink),
    tcp: tcpStack.tcp,
    rest: createRestServer(node),
    peers: tcpStack.peers,
    execute: (text: string, ctx: ExecContext): Promise<CommandResult> => interpreter.execute(text, ctx, node),
    requestShutdown: () => {
      ref.running?.requestShutdown();
    },
  } satisfies NodeServices);
  const running = new RunningNode(node, interpreter, io);
  ref.running = running;
  node.schedulers.addTask({
    schedulerId: 0,
    repeatSeconds: 60,
    name: 'Metadata Ping',
    command: 'set servers ping',
    startMs: clock.now(),
  });
  node.schedulers.start(0);
  logger.info(
    { node: config.nodeName, internalIp: config.internalIp, externalIp: config.externalIp },
    `anylog-node ${options.version} starting (${statusText(STATUS.SUCCESS)})`,
  );
  return Promise.resolve(running);
}
