import t from 'tap';
import { parseProgram, type Statement } from '../../../src/node/interpreter/script.js';
import { renderMasterScript } from '../../../src/render/master-script.js';
import { readVectorText } from '../../helpers/vectors.js';

const commands = (statements: readonly Statement[]): string[] =>
  statements.flatMap((s) => (s.kind === 'command' ? [s.text] : []));

function load(text: string): string[] {
  const result = parseProgram(text, 'master.al');
  if (!result.ok) throw new Error(`script does not load: line ${result.line}: ${result.message}`);
  return commands(result.program.statements);
}

const embedded = renderMasterScript({ source: 'ns/m', ledgerMode: 'Embedded' });
const psql = renderMasterScript({ source: 'ns/m', ledgerMode: 'External' });
const builtin = load(readVectorText('builtin-master.al'));

t.test('the script loads in the node interpreter', async (t) => {
  t.ok(load(embedded).length > 20);
  t.ok(load(psql).length > 20);
  t.equal(
    renderMasterScript({ source: 'ns/m', ledgerMode: 'Managed' }),
    psql,
    'managed and external share the psql script',
  );
});

t.test('steps 2-4 use the same commands as the node built-in master deployment', async (t) => {
  for (const script of [embedded, psql]) {
    const ours = load(script);
    for (const prefix of [
      'run tcp server',
      'run rest server',
      'is_table = info table',
      'if !is_table == false then',
      'run scheduler',
    ]) {
      const mine = ours.find((c) => c.startsWith(prefix));
      t.ok(mine, `has ${prefix}`);
      t.equal(
        mine,
        builtin.find((c) => c.startsWith(prefix)),
        `${prefix} matches builtin-master.al`,
      );
    }
    t.ok(
      ours.indexOf(ours.find((c) => c.startsWith('is_table')) ?? '') <
        ours.findIndex((c) => c.includes('create table ledger')),
    );
    t.match(
      ours.find((c) => c.startsWith('run blockchain sync')),
      'source = master and time = !blockchain_sync and dest = file and connection = !ledger_conn',
    );
    t.equal(ours.at(-1), 'get processes', 'step 6: process check');
  }
});

t.test('parameters come from the environment, as in the built-in deployment', async (t) => {
  const assignments = load(psql).filter((c) => / = \$[A-Z_]+$/.test(c));
  t.ok(assignments.length >= 20);
  for (const line of assignments) {
    const same = builtin.find((c) => c === line);
    if (same === undefined)
      t.match(line, /^db_(name|sslmode) = \$DB_(NAME|SSLMODE)$/, `${line} is one of our two extensions`);
  }
  t.ok(assignments.includes('db_passwd = $DB_PASSWD'), 'password by reference, from the Secret-backed env');
});

t.test('no step 5: the operator owns the master policy', async (t) => {
  for (const script of [embedded, psql]) {
    t.notMatch(script, /blockchain (insert|prepare|push)|new_policy|is_hidden/);
  }
});

t.test('the connect line matches the ledger mode', async (t) => {
  t.match(load(embedded).join('\n'), 'connect dbms blockchain where type = sqlite');
  t.notMatch(embedded, /psql|db_passwd/);
  t.match(
    load(psql).find((c) => c.startsWith('connect dbms')),
    'connect dbms blockchain where type = psql and ip = !db_ip and port = !db_port and user = !db_user and password = !db_passwd and database = !db_name and sslmode = !db_sslmode',
  );
});

t.test('the text is deterministic and names its CR only in the header', async (t) => {
  t.equal(
    renderMasterScript({ source: 'a/b', ledgerMode: 'Embedded' }),
    renderMasterScript({ source: 'a/b', ledgerMode: 'Embedded' }),
  );
  t.match(embedded, /^#-+\n# about: master boot script rendered by anylog-operator for AnyLogMaster ns\/m\./);
  t.ok(embedded.endsWith('\n'));
});
