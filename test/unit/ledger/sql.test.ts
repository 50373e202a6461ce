// Identifier quoting, credential-free utility statements and sslMode mapping.
import t from 'tap';
import { sslOptions } from '../../../src/ledger/connect.js';
import {
  alterRolePasswordSql,
  createDatabaseSql,
  createRoleSql,
  dropDatabaseSql,
  dropRoleSql,
  grantRoleToCurrentUserSql,
  quoteIdent,
} from '../../../src/ledger/sql.js';

t.test('identifiers are double-quoted with embedded quotes doubled', async (t) => {
  t.equal(quoteIdent('blockchain'), '"blockchain"');
  t.equal(quoteIdent('we"ird'), '"we""ird"');
  t.equal(createDatabaseSql('block"chain', 'any log'), 'CREATE DATABASE "block""chain" OWNER "any log"');
  t.equal(createDatabaseSql('blockchain'), 'CREATE DATABASE "blockchain"');
  t.equal(dropDatabaseSql('blockchain'), 'DROP DATABASE IF EXISTS "blockchain" WITH (FORCE)');
  t.equal(dropRoleSql('anylog'), 'DROP ROLE IF EXISTS "anylog"');
  t.equal(grantRoleToCurrentUserSql('any"log'), 'GRANT "any""log" TO CURRENT_USER');
});

t.test('role statements carry the verifier as a literal', async (t) => {
  const v = 'SCRAM-SHA-256$4096:c2FsdA==$a:b';
  t.equal(createRoleSql('anylog', v), `CREATE ROLE "anylog" WITH LOGIN PASSWORD '${v}'`);
  t.equal(alterRolePasswordSql('anylog', v), `ALTER ROLE "anylog" WITH LOGIN PASSWORD '${v}'`);
  t.equal(createRoleSql('x', "it's"), `CREATE ROLE "x" WITH LOGIN PASSWORD 'it''s'`);
});

t.test('sslMode maps to TLS options', async (t) => {
  t.equal(sslOptions('disable'), false);
  t.same(sslOptions('require'), { rejectUnauthorized: false });
  const ca = sslOptions('verify-ca', 'PEM');
  t.ok(ca !== false && ca.rejectUnauthorized === true && ca.ca === 'PEM');
  t.type(ca !== false && ca.checkServerIdentity, 'function', 'verify-ca skips the host name check');
  t.equal(ca !== false && ca.checkServerIdentity?.('h', {} as never), undefined);
  t.same(sslOptions('verify-full'), { rejectUnauthorized: true });
});
