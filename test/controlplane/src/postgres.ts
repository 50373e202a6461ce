// A throwaway PostgreSQL server for tests and the local demo: initdb into a fresh
// directory, start on 127.0.0.1 and a free port with the socket inside the run directory, create an admin
// role with a random password. Runs the Debian binaries as the `postgres` user when we are root.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  mkdtempSync,
  mkdirSync,
  readdirSync,
  rmSync,
  writeFileSync,
  chownSync,
  existsSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface PostgresHandle {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly dataDir: string;
  readonly pid: number;
  /** Stop the server (fast shutdown); the data directory stays until destroy(). */
  stop(): Promise<void>;
  /** Start it again on the same port and data directory. */
  start(): Promise<void>;
  /** Stop and remove every file. */
  destroy(): Promise<void>;
}

export function postgresBinDir(): string {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) {
    throw new Error('PostgreSQL is not installed: run scripts/setup.sh (apt-get install postgresql)');
  }
  const majors = readdirSync(base)
    .filter((d) => /^\d+$/.test(d))
    .sort((a, b) => Number(b) - Number(a));
  const major = majors[0];
  if (major === undefined) throw new Error(`no PostgreSQL major version under ${base}`);
  return join(base, major, 'bin');
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function asPostgres(cmd: string, args: string[]): [string, string[]] {
  return isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

function pgUid(): { uid: number; gid: number } | undefined {
  if (!isRoot) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

export interface StartPostgresOptions {
  readonly runDir?: string;
  /** Where it listens besides 127.0.0.1; the URL names this address. */
  readonly host?: string;
  /** A network also allowed to log in (password, SCRAM): the pod range of a real node. */
  readonly allowCidr?: string;
}

export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresHandle> {
  const bin = postgresBinDir();
  const host = options.host ?? '127.0.0.1';
  const root = options.runDir ?? mkdtempSync(join(tmpdir(), 'anylog-pg-'));
  const dataDir = join(root, 'data');
  const sockDir = join(root, 'sock');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  mkdirSync(sockDir, { recursive: true });
  const ids = pgUid();
  if (ids !== undefined) {
    for (const d of [root, dataDir, sockDir]) chownSync(d, ids.uid, ids.gid);
  }
  const user = 'anylog_admin';
  const password = randomBytes(16).toString('hex');
  const pwFile = join(root, 'pwfile');
  writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (ids !== undefined) chownSync(pwFile, ids.uid, ids.gid);
  const [initCmd, initArgs] = asPostgres(join(bin, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    user,
    '--pwfile',
    pwFile,
    '-A',
    'scram-sha-256',
    '--no-sync',
    '-E',
    'UTF8',
    '--locale=C',
  ]);
  execFileSync(initCmd, initArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
  rmSync(pwFile);
  if (options.allowCidr !== undefined) {
    appendFileSync(join(dataDir, 'pg_hba.conf'), `host all all ${options.allowCidr} scram-sha-256\n`);
  }
  const port = await freePort(host);
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    const [cmd, args] = asPostgres(join(bin, 'postgres'), [
      '-D',
      dataDir,
      '-h',
      host === '127.0.0.1' ? host : `127.0.0.1,${host}`,
      '-p',
      String(port),
      '-k',
      sockDir,
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=300',
      '-c',
      'log_min_messages=warning',
    ]);
    child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'ignore'], detached: true });
    child.unref();
    await waitReady(bin, host, port, sockDir);
  };

  const stop = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (c?.pid === undefined || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        try {
          process.kill(-(c.pid ?? 0), 'SIGKILL');
        } catch {
          /* already gone */
        }
        resolve();
      }, 10_000);
      c.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      try {
        process.kill(-(c.pid ?? 0), 'SIGINT');
      } catch {
        clearTimeout(timer);
        resolve();
      }
    });
  };

  await start();
  const url = `postgres://${user}:${password}@${host}:${port}/postgres`;
  return {
    url,
    host,
    port,
    user,
    password,
    dataDir,
    get pid() {
      return child?.pid ?? 0;
    },
    stop,
    start,
    destroy: async () => {
      await stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

async function waitReady(bin: string, host: string, port: number, _sock: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      execFileSync(join(bin, 'pg_isready'), ['-h', host, '-p', String(port), '-t', '1'], { stdio: 'ignore' });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`PostgreSQL on ${host}:${port} not ready after 30 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
