// Per-test PostgreSQL databases on the server started by test/controlplane/src/with-cluster.ts.
// A suite that needs PostgreSQL fails (never skips) when ANYLOG_TEST_PG_URL is missing.
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import type { Test } from 'tap';

export interface TestDatabase {
  readonly name: string;
  /** Connection URL of the new database. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  drop(): Promise<void>;
}

export function adminUrl(): string {
  const url = process.env['ANYLOG_TEST_PG_URL'];
  if (url === undefined || url === '') {
    throw new Error('ANYLOG_TEST_PG_URL is not set: run the suite through `npm test` (it starts PostgreSQL)');
  }
  return url;
}

/** Create a database with a random name; drop it with drop() in t.teardown. */
export async function createTestDatabase(prefix = 't'): Promise<TestDatabase> {
  const admin = new URL(adminUrl());
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin.href });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(admin.href);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.href,
    host: admin.hostname,
    port: Number(admin.port),
    user: decodeURIComponent(admin.username),
    password: decodeURIComponent(admin.password),
    drop: async () => {
      const c = new pg.Client({ connectionString: admin.href });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
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

export interface OwnedDatabase {
  /** A login role (not superuser) and the database it owns. */
  readonly role: string;
  readonly password: string;
  readonly database: string;
}

/**
 * Creates a login role owning a new database on the server at `serverUrl` (a superuser URL), both with
 * random names under `prefix` unless `databaseName` names the database. With `t`, both are dropped in
 * its teardown.
 */
export async function createOwnedDatabase(
  serverUrl: string,
  prefix: string,
  t?: Test,
  databaseName?: string,
): Promise<OwnedDatabase> {
  const suffix = randomBytes(4).toString('hex');
  const role = `${prefix}_role_${suffix}`;
  const database = databaseName ?? `${prefix}_db_${suffix}`;
  const password = randomBytes(12).toString('hex');
  await withClient(serverUrl, async (c) => {
    await c.query(`CREATE ROLE "${role}" LOGIN PASSWORD '${password}'`);
    await c.query(`CREATE DATABASE "${database}" OWNER "${role}"`);
  });
  t?.teardown(() =>
    withClient(serverUrl, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await c.query(`DROP ROLE IF EXISTS "${role}"`);
    }),
  );
  return { role, password, database };
}
