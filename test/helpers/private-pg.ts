// A PostgreSQL server private to one test, for suites that stop and start it (the shared server of
// with-cluster.ts serves every suite of a parallel run and must never be stopped). Started with the
// control plane's startPostgres; its PID is recorded in the run's pids directory (when there is a run)
// so an interrupted test's server is stopped with the run. Holds one login role owning one database.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import type { Test } from 'tap';
import { startPostgres, type PostgresHandle } from '../controlplane/src/postgres.js';
import { removePidFile, writePidFile } from '../controlplane/src/procs.js';

export interface PrivatePostgres {
  readonly host: string;
  readonly port: number;
  /** A login role (not superuser) and the database it owns. */
  readonly role: string;
  readonly password: string;
  readonly database: string;
  /** URL of `database` as `role`. */
  readonly url: string;
  /** Fast shutdown; the data directory stays. */
  stop(): Promise<void>;
  /** Start again on the same port and data directory; resolves once it accepts connections. */
  start(): Promise<void>;
}

/** Runs `fn` with a client on `url`, closed afterwards. */
export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Starts a private server with a role and database; destroyed in t's teardown. */
export async function startPrivatePostgres(t: Test, prefix = 'pgpriv'): Promise<PrivatePostgres> {
  const suffix = randomBytes(4).toString('hex');
  const runDir = process.env['ANYLOG_TEST_RUN_DIR'];
  const pidDir = runDir === undefined || runDir === '' ? undefined : join(runDir, 'pids');
  const pidName = `postgres.${prefix}-${suffix}`;
  const server: PostgresHandle = await startPostgres(
    pidDir === undefined || runDir === undefined ? {} : { runDir: join(runDir, `${prefix}-${suffix}`) },
  );
  const record = (): void => {
    if (pidDir !== undefined && server.pid !== 0) writePidFile(pidDir, pidName, server.pid);
  };
  record();
  t.teardown(async () => {
    await server.destroy();
    if (pidDir !== undefined) removePidFile(pidDir, pidName);
  });
  const role = `${prefix}_role_${suffix}`;
  const database = `${prefix}_db_${suffix}`;
  const password = randomBytes(12).toString('hex');
  await withClient(server.url, async (c) => {
    await c.query(`CREATE ROLE "${role}" LOGIN PASSWORD '${password}'`);
    await c.query(`CREATE DATABASE "${database}" OWNER "${role}"`);
  });
  const url = `postgres://${role}:${password}@${server.host}:${server.port}/${database}`;
  return {
    host: server.host,
    port: server.port,
    role,
    password,
    database,
    url,
    stop: async () => {
      await server.stop();
    },
    start: async () => {
      await server.start();
      record();
    },
  };
}
