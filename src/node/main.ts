// Composition root of anylog-node: arguments → configuration →
// directories → NodeServices with the adapters (ledger, sync, TCP, REST, schedulers) → system task →
// boot script → stay up or exit. Adapters are built first and use `node` only at call time.
import { mkdir, readFile } from 'node:fs/promises';
import { hostname, networkInterfaces } from 'node:os';
import { ConfigError } from '../common/errors.js';
import { writeProcessEnv } from '../common/env.js';
import type { MainIo } from './io.js';
import { LineLogger, type LevelName } from '../common/line-logger.js';
import { BUILTIN_MASTER_NAME, BUILTIN_MASTER_SCRIPT } from './builtin-master.js';
import { loadConfig, STARTUP_DIR_KEYS, type NodeConfig } from './config.js';

export const USAGE = `Usage: anylog-node [script.al]
       anylog-node --version
       anylog-node --help
Without a script, NODE_TYPE must be master: the built-in master deployment runs.`;

export type { MainIo } from './io.js';

type Args =
  | { kind: 'version' }
  | { kind: 'help' }
  | { kind: 'run'; script: string | undefined }
  | { kind: 'usage'; message: string };

export function parseArgs(argv: readonly string[]): Args {
  const options = argv.filter((a) => a.startsWith('-'));
  const positional = argv.filter((a) => !a.startsWith('-'));
  if (options.includes('--version')) return { kind: 'version' };
  if (options.includes('--help')) return { kind: 'help' };
  if (options.length > 0) return { kind: 'usage', message: `Unknown option: ${options[0] ?? ''}` };
  if (positional.length > 1) return { kind: 'usage', message: 'At most one script argument is allowed' };
  return { kind: 'run', script: positional[0] };
}

export async function packageVersion(): Promise<string> {
  const text = await readFile(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

/** Resolve the boot script: text and name, or a usage problem (exit 2). */
async function bootScript(
  script: string | undefined,
  config: NodeConfig,
): Promise<{ name: string; text: string } | string> {
  if (script !== undefined) {
    try {
      return { name: script, text: await readFile(script, 'utf8') };
    } catch (error) {
      return `Cannot read script file ${script}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
    }
  }
  if (config.nodeType === undefined) return 'Missing node type';
  if (config.nodeType !== 'master')
    return `No built-in deployment for NODE_TYPE '${config.nodeType}'; give a script`;
  return { name: BUILTIN_MASTER_NAME, text: BUILTIN_MASTER_SCRIPT };
}

/** Run the node; resolves with the process exit code. */
export async function runNode(io: MainIo): Promise<number> {
  const args = parseArgs(io.argv);
  if (args.kind === 'version') {
    io.stdout(await packageVersion());
    return 0;
  }
  if (args.kind === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (args.kind === 'usage') {
    io.stderr(`${args.message}\n${USAGE}`);
    return 2;
  }
  let config: NodeConfig;
  try {
    config = loadConfig(io.env, { hostname: hostname(), cwd: io.cwd, interfaces: networkInterfaces() });
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(error.message);
      return 1;
    }
    throw error;
  }
  const boot = await bootScript(args.script, config);
  if (typeof boot === 'string') {
    io.stderr(boot);
    return 2;
  }
  for (const [name, value] of Object.entries(config.defaultedEnv)) writeProcessEnv(name, value);
  await Promise.all(STARTUP_DIR_KEYS.map((key) => mkdir(config.dirs[key] ?? '', { recursive: true })));
  // LOG_LEVEL was validated against the same level names (config.ts).
  const logger = new LineLogger({
    level: config.logLevel as LevelName,
    name: 'anylog-node',
    write: io.stderr,
  });
  for (const warning of config.warnings) logger.warn(warning);
  const { startNode } = await import('./assemble.js');
  const running = await startNode({ config, logger, io, version: await packageVersion() });
  return running.run(boot);
}
