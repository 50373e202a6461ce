// The ledger table's statements against EdgeLake's text in vectors/ledger-ddl.sql, and the SQLite ones run
// on an in-memory database: the table and index names, the existence test, the insert and the dump order.
import t from 'tap';
import { DatabaseSync } from 'node:sqlite';
import {
  LEDGER_DUMP_SQL,
  LEDGER_INDEXES,
  LEDGER_INSERT_SQL_PG,
  LEDGER_INSERT_SQL_SQLITE,
  LEDGER_TABLE,
  PG_LEDGER_DDL,
  PG_LEDGER_DDL_IF_NOT_EXISTS,
  PG_TABLE_EXISTS_SQL,
  SQLITE_LEDGER_DDL,
  SQLITE_TABLE_EXISTS_SQL,
} from '../../../src/contract/ledger-ddl.js';
import { readVectorText } from '../../helpers/vectors.js';

const vector = readVectorText('ledger-ddl.sql').split('\n');
const noSemicolon = (line: string): string => line.replace(/;$/, '');

/** The vector's PostgreSQL statements: the uncommented lines. */
const pgVector = vector.filter((l) => l.trim() !== '' && !l.startsWith('--')).map(noSemicolon);

/** The statement the vector quotes in a comment after `label` (indented comment lines). */
function quoted(label: RegExp): string {
  const line = vector.find((l) => label.test(l));
  if (line === undefined) throw new Error(`vector lacks ${String(label)}`);
  return noSemicolon(line.replace(label, '').trim());
}

t.test('the PostgreSQL statements are the ones EdgeLake executes', async (t) => {
  t.equal(pgVector.length, 3);
  t.same(PG_LEDGER_DDL, pgVector);
  t.same(
    PG_LEDGER_DDL_IF_NOT_EXISTS,
    pgVector.map((s) => s.replace(/^(CREATE (?:UNIQUE )?(?:TABLE|INDEX)) /, '$1 IF NOT EXISTS ')),
    'the same statements, each guarded with IF NOT EXISTS',
  );
  t.equal(PG_TABLE_EXISTS_SQL, quoted(/^--\s+PostgreSQL:/));
  t.equal(LEDGER_DUMP_SQL, quoted(/^--\s+(?=SELECT host)/));
});

t.test('the PostgreSQL insert is the SQLite one with numbered parameters', async (t) => {
  let n = 0;
  t.equal(
    LEDGER_INSERT_SQL_PG,
    LEDGER_INSERT_SQL_SQLITE.replace(/\?/g, () => `$${++n}`),
  );
  t.equal(n, 7);
  t.match(LEDGER_INSERT_SQL_PG, quoted(/^--\s+(?=INSERT INTO)/));
});

t.test("the SQLite statements are EdgeLake's rewrite and build the table the rest relies on", async (t) => {
  const sqliteVector = vector.filter((l) => l.startsWith('--   create')).map((l) => noSemicolon(l.slice(5)));
  t.same(SQLITE_LEDGER_DDL, sqliteVector);

  const db = new DatabaseSync(':memory:');
  t.teardown(() => db.close());
  t.same(db.prepare(SQLITE_TABLE_EXISTS_SQL).all(), [], 'no table before');
  for (const statement of SQLITE_LEDGER_DDL) db.exec(statement);
  t.equal(db.prepare(SQLITE_TABLE_EXISTS_SQL).all().length, 1, 'the existence test finds it');
  t.equal(quoted(/^--\s+SQLite:/), SQLITE_TABLE_EXISTS_SQL);

  const objects = db
    .prepare(
      "SELECT type, name FROM sqlite_master WHERE tbl_name = ? AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all(LEDGER_TABLE)
    .map((r) => `${String(r['type'])} ${String(r['name'])}`);
  t.same(objects, ['index hash_index', 'table ledger', 'index time_index'], 'named as EdgeLake names them');
  t.same([...LEDGER_INDEXES], ['hash_index', 'time_index']);

  const insert = db.prepare(LEDGER_INSERT_SQL_SQLITE);
  insert.run('p', 'b', 'acme', '2026-01-02 00:00:00', '10.0.0.2', null, '{"p": "b"}');
  insert.run('p', 'a', null, '2026-01-01 00:00:00', '10.0.0.1', null, '{"p": "a"}');
  insert.run('p', 'c', null, '2026-01-02 00:00:00', '10.0.0.3', 'x', '{"p": "c"}');
  t.throws(
    () => insert.run('p', 'a', null, '2026-01-03 00:00:00', '10.0.0.4', null, '{}'),
    'policy ids are unique',
  );
  t.same(
    db
      .prepare(LEDGER_DUMP_SQL)
      .all()
      .map((r) => [r['host'], r['policy']]),
    [
      ['10.0.0.1', '{"p": "a"}'],
      ['10.0.0.2', '{"p": "b"}'],
      ['10.0.0.3', '{"p": "c"}'],
    ],
    'the dump is ordered by date, then by insertion',
  );
});
