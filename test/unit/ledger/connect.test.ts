// The pg client configuration the operator builds for a ledger: fields rather than a connection string,
// the target database or the endpoint's, timeouts with the client's above the server's, and the
// application name; plus the target text used in error messages.
import t from 'tap';
import {
  clientConfig,
  CONNECT_TIMEOUT_MS,
  describeTarget,
  STATEMENT_TIMEOUT_MS,
} from '../../../src/ledger/connect.js';

const endpoint = { host: '127.0.0.1', port: 5433, database: 'blockchain', sslMode: 'disable' as const };
const credentials = { username: 'anylog', password: 'pw' };

t.test('the endpoint and credentials become pg client fields', async (t) => {
  t.same(clientConfig({ endpoint, credentials }), {
    host: '127.0.0.1',
    port: 5433,
    database: 'blockchain',
    user: 'anylog',
    password: 'pw',
    ssl: false,
    connectionTimeoutMillis: 5_000,
    statement_timeout: 15_000,
    query_timeout: 17_000,
    application_name: 'anylog-operator',
  });
  t.equal(CONNECT_TIMEOUT_MS, 5_000);
  t.equal(STATEMENT_TIMEOUT_MS, 15_000);
});

t.test('a target database overrides the endpoint one; TLS follows the sslMode and CA', async (t) => {
  const config = clientConfig({
    endpoint: { ...endpoint, sslMode: 'verify-full', caCert: 'PEM' },
    credentials,
    database: 'postgres',
  });
  t.equal(config.database, 'postgres');
  t.same(config.ssl, { rejectUnauthorized: true, ca: 'PEM' });
});

t.test('the target text names host, port, database and role, never the password', async (t) => {
  t.equal(describeTarget({ endpoint, credentials }), '127.0.0.1:5433/blockchain as anylog');
  t.equal(
    describeTarget({ endpoint, credentials, database: 'postgres' }),
    '127.0.0.1:5433/postgres as anylog',
  );
});
