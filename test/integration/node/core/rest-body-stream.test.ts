// POST body lines over a real REST server: the body's one-line `if`
// state reaches its `do` / `else` lines, brace blocks span body lines (the operator's policy post shape with
// a condition), each request is its own stream, and an unbalanced block answers 400 / code 2 at once.
import t from 'tap';
import {
  restRequest,
  startRealNode,
  startServers,
  type RealNode,
  type RestAnswer as Answer,
} from '../../../helpers/real-node.js';

function post(n: RealNode, command: string, body: string): Promise<Answer> {
  return restRequest(n.ip, n.restPort, {
    method: 'POST',
    headers: { 'User-Agent': 'AnyLog/1.23', command, 'content-type': 'text/plain' },
    body,
  });
}

t.test('body lines form one stream per request', async (t) => {
  const n = await startRealNode(t, '127.0.0.68', { NODE_NAME: 'body-node' });
  await startServers(t, n, true);
  await n.run('connect dbms blockchain where type = sqlite and memory = true');
  await n.run('create table ledger where dbms = blockchain');

  const oneLine = await post(
    n,
    'print !chosen',
    [
      'company = New Company',
      'if !company == "New Company" then chosen = first',
      'do chosen = !chosen + -do',
      'else chosen = wrong',
    ].join('\n'),
  );
  t.same(oneLine, { status: 200, body: 'first-do' }, 'do ran after the true if; else skipped');

  const policyPost = await post(
    n,
    'blockchain push !new_policy',
    [
      'hidden = false',
      'if !hidden == true {',
      '  new_policy = {"master": {"name": "hidden-master", "company": "c"}}',
      '} else {',
      '  <new_policy = {"master": {"name": "body-master",',
      '     "company": "c", "port": 7600}}>',
      '}',
    ].join('\n'),
  );
  t.same(policyPost, { status: 200, body: '' }, 'the header command used the branch’s policy');
  const names = await n.run('blockchain get master bring [*][name]');
  t.equal(names.text ?? '', '[]', 'the file follows the table only after a sync');
  const stored = (await n.node.dbms.get('blockchain')?.dump()) ?? [];
  t.equal(stored.length, 1);
  t.match(stored[0] ?? '', /"name": "body-master"/);

  const next = await post(n, 'print !leak', ['leak = none', 'else leak = from-previous-request'].join('\n'));
  t.same(next, { status: 200, body: 'none' }, 'an else line does not see another request’s if');

  const open = await post(n, 'print never', ['a = 1', 'if !a == 1 {', 'b = 2'].join('\n'));
  t.equal(open.status, 400);
  const err = JSON.parse(open.body) as { err_code: number; local_msg: string };
  t.equal(err.err_code, 2);
  t.equal(err.local_msg, "Error with command #2 in the message body: 'if !a == 1 {'");
});
