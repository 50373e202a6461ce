// The commands EdgeLake answers and the node used to refuse, on the wire: `help` forms, `get rest server info`,
// `get tcp pool`, `get ip list` and `get servers` over a real
// REST socket with AnyLog's headers, `help` refused from a TCP peer, and the system task already run.
import t from 'tap';
import { startRealNode, startServers } from '../../../helpers/real-node.js';
import { edgeLakeEntry } from '../../../helpers/edgelake-fixtures.js';

async function restGet(ip: string, port: number, command: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://${ip}:${port}/`, { headers: { 'User-Agent': 'AnyLog/1.23', command } });
  return { status: res.status, body: await res.text() };
}

t.test('help and the server status commands over REST', async (t) => {
  const n = await startRealNode(t, '127.0.0.71', { NODE_NAME: 'cmds-master' });
  await startServers(t, n, true);
  const get = (command: string) => restGet(n.ip, n.restPort, command);

  const all = await get('help');
  t.equal(all.status, 200);
  t.match(all.body, /^blockchain \[operation\] \[arguments\]\r\ncall \[name\]\r\n/, 'the command list');
  const pythonClient = edgeLakeEntry('commands', 'help-command').input['headers'] as Record<string, string>;
  const one = await get(pythonClient['command'] ?? '');
  t.equal(one.status, 200);
  t.match(
    one.body,
    /^Usage:\r\n\tget status \[where format = json\]\r\n\nExplanation:\r\n\t/,
    "the Python client's form",
  );
  t.match((await get('help index')).body, /^api\r\nbackground processes\r\nblockchain\r\n/);
  t.match((await get('help tcp')).body, /^Unrecognized command\r\n\r\nMaybe: get tcp pool\r\n/);

  const info = await get('get rest server info');
  t.equal(info.status, 200);
  t.match(
    info.body,
    new RegExp(`\\r\\nconnection      \\| http://${n.ip.replace(/\./g, '\\.')}:${n.restPort} +\\|\\r\\n`),
  );
  t.match(info.body, /\r\ntimeout         \| 5 +\|\r\n[\s\S]*\r\nworkers_count   \| 6 +\|\r\n$/);
  t.equal((await get('get tcp pool')).body, edgeLakeEntry('commands', 'get-tcp-pool').edgelake['text']);
  t.match((await get('get ip list')).body, /\r\nIPv4  \|lo +\| +127\.0\.0\.1\|\r\n/);
  const servers = await get('get servers');
  t.same(servers, { status: 200, body: '' }, 'no operators: an empty answer');

  t.equal((await n.run(`x = run client (${n.ip}:${n.tcpPort}) help`, true)).code, 0);
  t.match(n.node.dict.get('x'), /212|Unauthorized/, 'help is not run for peers');
  t.match(
    (await n.run('get scheduler 0')).text,
    /\r\n 1\|Active\|Metadata Ping\| +1\|Success +\|/,
    'the system task ran when the node started',
  );
});
