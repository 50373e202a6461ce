// `blockchain get` and `blockchain insert` through an assembled node's interpreter.
// Quoted `!vars` stay in the stored policy (EdgeLake's id), an undefined `!var` as an
// exact-match value answers 240, a bring that yields nothing answers `[]` (an assignment stores '').
import t, { type Test } from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../../src/node/config.js';
import type { CommandResult } from '../../../../src/node/ports/command.js';
import { bootNode } from '../../../helpers/boot-node.js';
import { edgeLakeEntry, entryCommand } from '../../../helpers/edgelake-fixtures.js';

async function boot(t: Test): Promise<(text: string, assigned?: boolean) => Promise<CommandResult>> {
  const home = mkdtempSync(join(tmpdir(), 'al-get-'));
  const config = loadConfig(
    { NODE_TYPE: 'generic', NODE_NAME: 'get-node', INTERNAL_IP: '127.0.0.1', ANYLOG_PATH: home },
    { hostname: 'get-host', cwd: home, interfaces: {} },
  );
  const { running } = await bootNode(t, config, home);
  const console = (): void => undefined;
  return (text, assigned = false) => running.node.execute(text, { source: 'script', assigned, console });
}

t.test('quoted !vars stay in the inserted policy, with EdgeLake id', async (t) => {
  const run = await boot(t);
  const entry = edgeLakeEntry('query', 'insert-quoted-variables');
  for (const line of entry.input['script'] as string[]) t.equal((await run(line)).code, 0, line);
  const expected = entry.edgelake['policy'] as { qstr2: { name: string; id: string } };
  const got = await run('blockchain get qstr2 bring [*][name] : [*][id]');
  t.equal(got.text, `${expected.qstr2.name}:${expected.qstr2.id}`);
});

t.test('undefined !var in an exact-match where value: 240; defined: the value', async (t) => {
  const run = await boot(t);
  t.equal((await run('blockchain insert where policy = {"svc": {"name": "op1"}} and local = true')).code, 0);
  const entry = edgeLakeEntry('query', 'where-undefined-variable');
  t.equal((await run(entryCommand(entry))).code, entry.edgelake['code']);
  t.equal((await run('blockchain get svc {"name": !undefined_var}')).code, 240);
  t.equal((await run('nm = op1')).code, 0);
  t.equal((await run('blockchain get svc where name = !nm bring [*][name]')).text, 'op1');
  t.equal((await run('blockchain get svc {"name": !nm} bring [*][name]')).text, 'op1');
  t.equal(
    (await run('blockchain get svc where [name] == !undefined_var')).text,
    '[]',
    'condition form: empty value',
  );
  const incomplete = edgeLakeEntry('query', 'where-incomplete-condition');
  t.equal((await run(entryCommand(incomplete))).code, incomplete.edgelake['code']);
});

t.test('a bring that yields nothing answers [] (assigned: the empty string)', async (t) => {
  const run = await boot(t);
  t.equal(
    (await run('blockchain insert where policy = {"svc": {"name": "op1", "nothing": null}} and local = true'))
      .code,
    0,
  );
  for (const command of ['blockchain get svc bring [*][missing]', 'blockchain get svc bring [*][nothing]']) {
    t.same(await run(command), { code: 0, text: '[]' }, command);
    t.same(await run(command, true), { code: 0, text: '' }, `${command} (assigned)`);
  }
  t.equal((await run('blockchain get svc bring')).code, 2);
});
