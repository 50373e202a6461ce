// npm run bench:request-walk — which source files one REST request runs, measured rather than read off the
// code: boots a node in-process (the real interpreter, commands and adapters), starts its REST server on
// loopback, sends one warm-up request, then takes V8's precise coverage (call counts) around a second,
// identical request and lists every file of src/ with a function that ran. Prints JSON: the request, the
// files in src/node/ by folder, and the files outside src/node/. Timers of the node (scheduler 0) may run
// in the window; the list names them if they do (`scheduler/` would show up).
import { Session } from 'node:inspector/promises';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STARTUP_DIR_KEYS, loadConfig } from '../../src/node/config.js';
import { startNode } from '../../src/node/assemble.js';
import { silentLogger } from '../../src/common/logger.js';
import { STATUS } from '../../src/contract/status-codes.js';

const COMMAND = process.env['WALK_COMMAND'] ?? 'get status';
const PORT = Number(process.env['WALK_PORT'] ?? 32549);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function get(command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: PORT, path: '/', headers: { command, 'User-Agent': 'AnyLog/1.23' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => {
          resolve(body);
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

interface Coverage {
  readonly result: readonly {
    readonly url: string;
    readonly functions: readonly { readonly ranges: readonly { readonly count: number }[] }[];
  }[];
}

/** Files of the repository whose functions ran since the last take. */
function filesRun(coverage: Coverage): string[] {
  const files = new Set<string>();
  for (const script of coverage.result) {
    if (!script.url.startsWith('file:')) continue;
    const path = relative(ROOT, fileURLToPath(script.url)).split(sep).join('/');
    if (!path.startsWith('src/')) continue;
    if (script.functions.some((f) => (f.ranges[0]?.count ?? 0) > 0)) files.add(path);
  }
  return [...files].sort();
}

async function main(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'al-walk-'));
  const config = loadConfig(
    { NODE_TYPE: 'master', NODE_NAME: 'walk-master', INTERNAL_IP: '127.0.0.1', ANYLOG_PATH: home },
    { hostname: 'walk-host', cwd: home, interfaces: {} },
  );
  for (const key of STARTUP_DIR_KEYS) mkdirSync(config.dirs[key] ?? '', { recursive: true });
  const running = await startNode({
    config,
    logger: silentLogger(),
    version: '0.0.0-walk',
    io: { argv: [], env: {}, stdout: () => undefined, stderr: () => undefined, stdinIsTty: false, cwd: home },
  });
  const session = new Session();
  try {
    const console = (): void => undefined;
    const started = await running.node.execute(
      `run rest server where internal_ip = 127.0.0.1 and internal_port = ${String(PORT)} and external_ip = 127.0.0.1 and external_port = ${String(PORT)} and bind = true`,
      { source: 'script', assigned: false, console },
    );
    if (started.code !== STATUS.SUCCESS)
      throw new Error(`run rest server failed: ${JSON.stringify(started)}`);
    await get(COMMAND);
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
    await session.post('Profiler.takePreciseCoverage');
    const answer = await get(COMMAND);
    const files = filesRun(await session.post('Profiler.takePreciseCoverage'));
    await session.post('Profiler.stopPreciseCoverage');
    const byFolder: Record<string, string[]> = {};
    for (const file of files.filter((f) => f.startsWith('src/node/'))) {
      const rest = file.slice('src/node/'.length);
      const folder = rest.includes('/') ? rest.slice(0, rest.indexOf('/')) : '(root)';
      (byFolder[folder] ??= []).push(rest);
    }
    const node = files.filter((f) => f.startsWith('src/node/')).length;
    process.stdout.write(
      `${JSON.stringify(
        {
          request: { method: 'GET', command: COMMAND, answerBytes: answer.length },
          srcNodeFiles: node,
          srcNodeFolders: Object.keys(byFolder).length,
          byFolder,
          outsideSrcNode: files.filter((f) => !f.startsWith('src/node/')),
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    session.disconnect();
    await running.shutdown();
    rmSync(home, { recursive: true, force: true });
  }
}

await main();
