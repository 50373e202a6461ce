// The official postgres image's environment contract on the Debian binaries:
// POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB, PGDATA. First start: initdb (SCRAM, superuser from the
// environment), then the server on <pod IP>:5432 with the socket inside the pod, then the database.
// Runs PostgreSQL as the `postgres` user when we are root. Usage (set up by the pod runner):
//   postgres.ts --pod-ip <ip> --root <pod root> --socket-dir <dir> -- [postgres args...]
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, appendFileSync, writeFileSync, rmSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { postgresBinDir } from '../../postgres.js';

function arg(name: string): string {
  const i = process.argv.indexOf(name);
  const v = i === -1 ? undefined : process.argv[i + 1];
  if (v === undefined) throw new Error(`postgres shim: missing ${name}`);
  return v;
}

const sep = process.argv.indexOf('--');
let extra = sep === -1 ? [] : process.argv.slice(sep + 1);
if (extra[0] === 'postgres') extra = extra.slice(1);
const podIP = arg('--pod-ip');
const root = arg('--root');
const sockDir = arg('--socket-dir');
const env = process.env;
const user = env['POSTGRES_USER'] ?? 'postgres';
const password = env['POSTGRES_PASSWORD'] ?? '';
const db = env['POSTGRES_DB'] ?? user;
let pgdata = env['PGDATA'] ?? '/var/lib/postgresql/data';
if (!pgdata.startsWith(root)) pgdata = join(root, pgdata);
const bin = postgresBinDir();
const isRoot = process.getuid?.() === 0;
const ids = isRoot
  ? {
      uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
      gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
    }
  : undefined;
const as = (cmd: string, args: string[]): [string, string[]] =>
  isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
const own = (p: string): void => {
  if (ids !== undefined) chownSync(p, ids.uid, ids.gid);
};

if (password === '') {
  process.stderr.write('postgres shim: POSTGRES_PASSWORD must be set (as with the official image)\n');
  process.exit(1);
}
mkdirSync(pgdata, { recursive: true });
mkdirSync(sockDir, { recursive: true });
own(pgdata);
own(sockDir);
chmodSync(pgdata, 0o700);
const fresh = !existsSync(join(pgdata, 'PG_VERSION'));
if (fresh) {
  const pw = join(sockDir, '.pwfile');
  writeFileSync(pw, `${password}\n`, { mode: 0o600 });
  own(pw);
  const [c, a] = as(join(bin, 'initdb'), [
    '-D',
    pgdata,
    '-U',
    user,
    '--pwfile',
    pw,
    '-A',
    'scram-sha-256',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  execFileSync(c, a, { stdio: 'inherit' });
  rmSync(pw);
  appendFileSync(join(pgdata, 'pg_hba.conf'), '\nhost all all 127.0.0.0/8 scram-sha-256\n');
}
const [cmd, args] = as(join(bin, 'postgres'), [
  '-D',
  pgdata,
  '-c',
  `listen_addresses=${podIP}`,
  '-p',
  '5432',
  '-k',
  sockDir,
  ...extra,
]);
const child = spawn(cmd, args, { stdio: 'inherit' });
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => child.kill('SIGINT'));
child.once('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));

if (fresh && db !== 'postgres') {
  const psql = join(bin, 'psql');
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const [c, a] = as(psql, [
        '-h',
        sockDir,
        '-p',
        '5432',
        '-U',
        user,
        '-d',
        'postgres',
        '-v',
        'ON_ERROR_STOP=1',
        '-c',
        `CREATE DATABASE "${db.replace(/"/g, '""')}"`,
      ]);
      execFileSync(c, a, { stdio: 'inherit', env: { ...env, PGPASSWORD: password } });
      break;
    } catch (err) {
      if (Date.now() > deadline) {
        process.stderr.write(`postgres shim: could not create database ${db}: ${String(err)}\n`);
        break;
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}
