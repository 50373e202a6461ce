// Opens pg connections to a ledger PostgreSQL for the operator: sslMode
// mapping (disable / require / verify-ca / verify-full), connect and statement timeouts, and failures
// mapped by src/ledger/pg-errors.ts. Configuration is passed as fields, never as a connection string.
import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import type { SslMode } from '../contract/ssl-mode.js';
import { mapPgError } from './pg-errors.js';

export interface LedgerEndpoint {
  readonly host: string;
  readonly port: number;
  /** Physical database the node uses (spec.ledger.external.database, default `blockchain`). */
  readonly database: string;
  readonly sslMode: SslMode;
  /** PEM CA bundle for verify-ca / verify-full; absent = the system trust store. */
  readonly caCert?: string;
}

export interface LedgerCredentials {
  readonly username: string;
  readonly password: string;
}

export const CONNECT_TIMEOUT_MS = 5_000;
export const STATEMENT_TIMEOUT_MS = 15_000;

/** TLS options for a libpq-style sslmode. */
export function sslOptions(mode: SslMode, caCert?: string): false | ConnectionOptions {
  const ca = caCert === undefined ? {} : { ca: caCert };
  switch (mode) {
    case 'disable':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
      return { rejectUnauthorized: true, checkServerIdentity: () => undefined, ...ca };
    case 'verify-full':
      return { rejectUnauthorized: true, ...ca };
  }
}

export interface ConnectTarget {
  readonly endpoint: LedgerEndpoint;
  readonly credentials: LedgerCredentials;
  /** Database to connect to; default the endpoint's. */
  readonly database?: string;
}

export function clientConfig(target: ConnectTarget): pg.ClientConfig {
  const { endpoint, credentials } = target;
  return {
    host: endpoint.host,
    port: endpoint.port,
    database: target.database ?? endpoint.database,
    user: credentials.username,
    password: credentials.password,
    ssl: sslOptions(endpoint.sslMode, endpoint.caCert),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    query_timeout: STATEMENT_TIMEOUT_MS + 2_000,
    application_name: 'anylog-operator',
  };
}

export function describeTarget(target: ConnectTarget): string {
  const db = target.database ?? target.endpoint.database;
  return `${target.endpoint.host}:${target.endpoint.port}/${db} as ${target.credentials.username}`;
}

/** A connected client; errors after connect (server gone) are kept from crashing the process. */
export async function connectLedger(target: ConnectTarget): Promise<pg.Client> {
  const client = new pg.Client(clientConfig(target));
  client.on('error', () => {
    /* the pending or next query reports the failure; an idle client error must not crash the operator */
  });
  try {
    await client.connect();
    return client;
  } catch (err) {
    await client.end().catch(() => undefined);
    throw mapPgError(err, {
      action: `connecting to ${describeTarget(target)}`,
      secrets: [target.credentials.password],
    });
  }
}

/** Run `fn` with a connected client and always close it. Query failures are mapped too. */
export async function withLedgerClient<T>(
  target: ConnectTarget,
  fn: (client: pg.Client) => Promise<T>,
  options: { readonly privilegeMeansDatabaseMissing?: boolean; readonly secrets?: readonly string[] } = {},
): Promise<T> {
  const client = await connectLedger(target);
  try {
    return await fn(client);
  } catch (err) {
    throw mapPgError(err, {
      action: `on ${describeTarget(target)}`,
      secrets: [target.credentials.password, ...(options.secrets ?? [])],
      ...(options.privilegeMeansDatabaseMissing === undefined
        ? {}
        : { privilegeMeansDatabaseMissing: options.privilegeMeansDatabaseMissing }),
    });
  } finally {
    await client.end().catch(() => undefined);
  }
}
