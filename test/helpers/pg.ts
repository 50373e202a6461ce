// Per-test PostgreSQL databases on the server started by test/controlplane/src/with-cluster.ts.
// A suite that needs PostgreSQL fails (never skips) when ANYLOG_TEST_PG_URL is missing.
import pg from 'pg';
import { randomBytes } from 'node:crypto';

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
