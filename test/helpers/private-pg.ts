// A PostgreSQL server private to one test, for suites that stop and start it (the shared server of
// with-cluster.ts serves every suite of a parallel run and must never be stopped). Started with the
// control plane's startPostgres; its PID is recorded in the run's pids directory (when there is a run)
// so an interrupted test's server is stopped with the run. Holds one login role owning one database.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Test } from 'tap';
import { startPostgres, type PostgresHandle } from '../controlplane/src/postgres.js';
import { removePidFile, writePidFile } from '../controlplane/src/procs.js';
import { createOwnedDatabase } from './pg.js';

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

/**
 * Starts a private server with a role and database (named `databaseName` when given, e.g. the
 * `blockchain` database a node connects to by default); destroyed in t's teardown.
 */
export async function startPrivatePostgres(
  t: Test,
  prefix = 'pgpriv',
  databaseName?: string,
): Promise<PrivatePostgres> {
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
  // No drop in teardown: the whole server is destroyed.
  const { role, password, database } = await createOwnedDatabase(server.url, prefix, undefined, databaseName);
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
