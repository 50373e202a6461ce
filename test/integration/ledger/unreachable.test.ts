// LedgerUnreachable against a private PostgreSQL that is stopped and started again:
// a stopped server is a temporary error naming no secret, and provisioning succeeds
// once the server is back. Uses test/controlplane/src/postgres.ts startPostgres().
import t from 'tap';
import { LedgerUnreachableError, provisionLedger, verifyLedger } from '../../../src/ledger/index.js';
import { silentLogger } from '../../../src/common/logger.js';
import { startPostgres } from '../../controlplane/src/postgres.js';
import { admin, endpointFor, randomName, randomPassword } from './fixtures/pg-ledger.js';

t.test('PostgreSQL stopped → LedgerUnreachable (temporary); back → provisions', async (t) => {
  const server = await startPostgres();
  t.teardown(() => server.destroy());
  const a = admin(server.url);
  const database = randomName('lun');
  const node = { username: randomName('lunr'), password: randomPassword() };
  const input = {
    endpoint: endpointFor(a, database),
    nodeCredentials: node,
    adminCredentials: a.credentials,
    logger: silentLogger(),
  };
  t.same((await provisionLedger(input)).createdByOperator, { database: true, role: true });

  await server.stop();
  const started = Date.now();
  const err = await provisionLedger(input).catch((e: unknown) => e);
  t.type(err, LedgerUnreachableError);
  const e = err as LedgerUnreachableError;
  t.equal(e.reason, 'LedgerUnreachable');
  t.equal(e.retryable, true);
  t.equal(e.code, 'ERR_LEDGER_CONNECT');
  t.match(e.message, `${a.host}:${a.port}`);
  t.notMatch(e.message, a.credentials.password);
  t.ok(Date.now() - started < 10_000, 'fails fast');
  t.type(await verifyLedger(input).catch((x: unknown) => x), LedgerUnreachableError);

  await server.start();
  const again = await provisionLedger(input);
  t.same(again.steps, []);
  t.equal((await verifyLedger(input)).rows, 0);
});

t.test('an unresolvable or closed address is LedgerUnreachable too', async (t) => {
  const err = await verifyLedger({
    endpoint: { host: '127.0.0.1', port: 1, database: 'blockchain', sslMode: 'disable' },
    nodeCredentials: { username: 'x', password: 'y' },
  }).catch((e: unknown) => e);
  t.type(err, LedgerUnreachableError);
  t.match((err as Error).message, /ECONNREFUSED/);
});

t.test('sslMode require against a server without TLS is LedgerUnreachable (temporary)', async (t) => {
  const a = admin();
  const err = await verifyLedger({
    endpoint: { ...endpointFor(a, 'postgres'), sslMode: 'require' },
    nodeCredentials: a.credentials,
  }).catch((e: unknown) => e);
  t.type(err, LedgerUnreachableError);
  t.notMatch((err as Error).message, a.credentials.password);
});
