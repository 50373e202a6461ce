// SQLSTATE → ledger error mapping and secret scrubbing of wrapped messages.
import t from 'tap';
import pg from 'pg';
import {
  LedgerAuthFailedError,
  LedgerDatabaseMissingError,
  LedgerSqlError,
  LedgerUnreachableError,
  mapPgError,
  scrubSecrets,
} from '../../../src/ledger/pg-errors.js';

function dbError(code: string, message = 'boom'): pg.DatabaseError {
  const err = new pg.DatabaseError(message, message.length, 'error');
  err.code = code;
  return err;
}

const ctx = { action: 'connecting to h:5432/blockchain as anylog', secrets: ['s3cr3t-pw'] };

const cases: Array<[string, new (...a: never[]) => Error, string, boolean]> = [
  ['08006', LedgerUnreachableError, 'LedgerUnreachable', true],
  ['08001', LedgerUnreachableError, 'LedgerUnreachable', true],
  ['57P03', LedgerUnreachableError, 'LedgerUnreachable', true],
  ['53300', LedgerUnreachableError, 'LedgerUnreachable', true],
  ['57P01', LedgerUnreachableError, 'LedgerUnreachable', true],
  ['57P02', LedgerUnreachableError, 'LedgerUnreachable', true],
  ['28P01', LedgerAuthFailedError, 'LedgerAuthFailed', false],
  ['28000', LedgerAuthFailedError, 'LedgerAuthFailed', false],
  ['3D000', LedgerDatabaseMissingError, 'DatabaseMissing', false],
  ['42501', LedgerAuthFailedError, 'LedgerAuthFailed', false],
  ['40P01', LedgerSqlError, 'WaitingForLedger', true],
  ['40001', LedgerSqlError, 'WaitingForLedger', true],
  ['55P03', LedgerSqlError, 'WaitingForLedger', true],
  ['57014', LedgerSqlError, 'WaitingForLedger', true],
  ['57P04', LedgerSqlError, 'WaitingForLedger', false],
  ['42P01', LedgerSqlError, 'WaitingForLedger', false],
  ['42601', LedgerSqlError, 'WaitingForLedger', false],
];

for (const [code, cls, reason, retryable] of cases) {
  t.test(`SQLSTATE ${code} → ${cls.name} (${retryable ? 'temporary' : 'permanent'})`, async (t) => {
    const mapped = mapPgError(dbError(code), ctx);
    t.type(mapped, cls);
    t.equal(mapped.reason, reason);
    t.equal(mapped.retryable, retryable);
    t.equal(mapped.sqlState, code);
    t.same(mapped.details, { sqlState: code });
    t.equal(mapped.message, `${ctx.action}: boom (SQLSTATE ${code})`);
  });
}

t.test('42501 maps to DatabaseMissing while creating a database', async (t) => {
  const mapped = mapPgError(dbError('42501', 'permission denied to create database'), {
    ...ctx,
    privilegeMeansDatabaseMissing: true,
  });
  t.type(mapped, LedgerDatabaseMissingError);
  t.match(mapped.message, 'permission denied to create database');
});

t.test('errors without SQLSTATE (refused, timeout, TLS) are LedgerUnreachable', async (t) => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  const mapped = mapPgError(refused, ctx);
  t.type(mapped, LedgerUnreachableError);
  t.ok(mapped.retryable);
  t.equal(mapped.code, 'ERR_LEDGER_CONNECT');
  t.match(mapped.message, 'ECONNREFUSED');
  t.type(
    mapPgError(new Error('Connection terminated due to connection timeout'), ctx),
    LedgerUnreachableError,
  );
});

t.test('wrapped errors carry no secret, no connection string and no cause', async (t) => {
  const err = dbError(
    '28P01',
    'password s3cr3t-pw rejected for postgres://anylog:s3cr3t-pw@h:5432/blockchain',
  );
  const mapped = mapPgError(err, ctx);
  t.notMatch(mapped.message, 's3cr3t-pw');
  t.notMatch(mapped.message, 'postgres://');
  t.equal(mapped.cause, undefined);
  t.notMatch(JSON.stringify(mapped), 's3cr3t-pw');
});

t.test('scrubSecrets removes every URL form and every secret occurrence', async (t) => {
  t.equal(
    scrubSecrets('a postgresql://u:p@h/db b pg://x c', []),
    'a <connection string> b <connection string> c',
  );
  t.equal(scrubSecrets('xx pw yy pw', ['pw']), 'xx ****** yy ******');
  t.equal(scrubSecrets('unchanged', ['']), 'unchanged');
});

t.test('an already mapped error passes through', async (t) => {
  const e = new LedgerUnreachableError({ message: 'x' });
  t.equal(mapPgError(e, ctx), e);
});

t.test('a connection error is prefixed with its code; a non-Error is written as text', async (t) => {
  const refused = Object.assign(new Error('connect failed'), { code: 'ECONNREFUSED' });
  const mapped = mapPgError(refused, { action: 'connecting to h' });
  t.equal(mapped.message, 'connecting to h: ECONNREFUSED: connect failed');
  t.equal(mapped.sqlState, undefined);
  t.same(mapped.details, {});
  t.equal(mapPgError(new Error('plain'), { action: 'a' }).message, 'a: plain');
  t.equal(mapPgError('text thrown', { action: 'a' }).message, 'a: text thrown');
});

t.test('error codes and retry decisions of the ledger error classes', async (t) => {
  t.equal(new LedgerUnreachableError({ message: 'm' }).code, 'ERR_LEDGER_CONNECT');
  t.equal(new LedgerAuthFailedError({ message: 'm' }).code, 'ERR_LEDGER_AUTH');
  t.equal(new LedgerDatabaseMissingError({ message: 'm' }).code, 'ERR_LEDGER_MISSING');
  const sql = new LedgerSqlError({ message: 'm', sqlState: '42P01' });
  t.equal(sql.code, 'ERR_LEDGER_SQL');
  t.equal(sql.retryable, true, 'retried by default');
  t.equal(new LedgerSqlError({ message: 'm' }, false).retryable, false);
});

t.test(
  'scrubSecrets: the URL schemes postgres, postgresql and pg, any case, up to the next space',
  async (t) => {
    t.equal(scrubSecrets('at POSTGRES://u:p@h:5432/db, then'), 'at <connection string> then');
    t.equal(scrubSecrets('x postgres://a y'), 'x <connection string> y');
    t.equal(scrubSecrets('mypg://a'), 'mypg://a', 'only a whole word is a scheme');
    t.equal(scrubSecrets('no secrets given'), 'no secrets given');
  },
);
