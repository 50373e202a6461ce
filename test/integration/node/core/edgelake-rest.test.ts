// The REST answers a real node gives for the inputs of test/fixtures/edgelake/rest.json, over its real REST
// server (socket front, and node:http + fastify for the chunked request): the EdgeLake method table (POST of
// `blockchain get`/`read`, one-word commands, capitalised commands), 141 for unknown commands, 11 for an
// unbalanced JSON body line, 81 for a second TCP server, a `blockchain drop` id list that is no query, the
// last of two User-Agent headers, and the answers anylog-node keeps on purpose.
import t from 'tap';
import { connect } from 'node:net';
import {
  restRequest,
  startRealNode,
  startServers,
  type RealNode,
  type RestAnswer as Answer,
} from '../../../helpers/real-node.js';
import { edgeLakeEntry, type EdgeLakeEntry } from '../../../helpers/edgelake-fixtures.js';

interface Input {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

function send(n: RealNode, input: Input): Promise<Answer> {
  return restRequest(n.ip, n.restPort, input);
}

/** Raw request bytes (repeated headers kept), answered as status and body. */
function sendRaw(n: RealNode, bytes: string): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const socket = connect(n.restPort, n.ip);
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString();
      const blank = text.indexOf('\r\n\r\n');
      resolve({ status: Number(text.slice(9, 12)), body: blank < 0 ? '' : text.slice(blank + 4) });
    });
    socket.on('error', reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error('timeout')));
    socket.write(bytes);
  });
}

function inputOf(entry: EdgeLakeEntry): Input {
  return entry.input as unknown as Input;
}

function errCode(answer: Answer): number | undefined {
  try {
    return (JSON.parse(answer.body) as { err_code?: number }).err_code;
  } catch {
    return undefined;
  }
}

const SVC = ['s1', 's2', 's3'].map((name) => `{"svc": {"name": "${name}", "company": "c"}}`);

t.test('EdgeLake REST conformance on a real node', async (t) => {
  const n = await startRealNode(t, '127.0.0.71', { NODE_NAME: 'conformance-node' });
  await startServers(t, n, true);
  await n.run('connect dbms blockchain where type = sqlite and memory = true');
  await n.run('create table ledger where dbms = blockchain');
  for (const policy of SVC) {
    n.node.dict.set('p', policy);
    t.equal((await n.run('blockchain insert where policy = !p and local = true')).code, 0);
  }

  t.test('POST of blockchain get / read is answered like GET', async (t) => {
    for (const name of ['post-blockchain-get', 'post-blockchain-read']) {
      const entry = edgeLakeEntry('rest', name);
      const answer = await send(n, inputOf(entry));
      t.same(answer, { status: entry.edgelake['status'], body: entry.edgelake['body'] }, name);
    }
  });

  t.test('method refusals EdgeLake shares: 156 / 405', async (t) => {
    for (const name of ['get-blockchain-drop', 'get-print', 'post-one-word-unknown']) {
      const entry = edgeLakeEntry('rest', name);
      const answer = await send(n, inputOf(entry));
      t.equal(answer.status, 405, name);
      t.equal(errCode(answer), entry.edgelake['err_code'], name);
    }
    const wait = edgeLakeEntry('rest', 'get-wait');
    t.same(await send(n, inputOf(wait)), { status: wait.edgelake['status'], body: wait.edgelake['body'] });
  });

  t.test('unknown and capitalised commands: 141', async (t) => {
    for (const name of ['post-unknown-command', 'get-upper-case-status', 'get-capitalised-blockchain-get']) {
      const entry = edgeLakeEntry('rest', name);
      const answer = await send(n, inputOf(entry));
      t.equal(answer.status, 400, name);
      t.match(JSON.parse(answer.body), { err_code: 141, err_text: entry.edgelake['err_text'] }, name);
    }
  });

  t.test('an unbalanced JSON body line fails on that line with 11', async (t) => {
    const entry = edgeLakeEntry('rest', 'unbalanced-json-body-line');
    const input = inputOf(entry);
    const answer = await send(n, input);
    const line = (input.body ?? '').split('\n')[Number(entry.edgelake['failing_line']) - 1];
    t.match(JSON.parse(answer.body), {
      err_code: entry.edgelake['err_code'],
      err_text: entry.edgelake['err_text'],
      local_msg: `Error with command #${String(entry.edgelake['failing_line'])} in the message body: '${line}'`,
    });
    t.equal(n.node.dict.get('a'), '1', 'the lines before it ran');
    t.equal(n.node.dict.get('c'), undefined, 'the lines after it did not');
  });

  t.test('a second run tcp server: 81', async (t) => {
    const entry = edgeLakeEntry('rest', 'second-run-tcp-server');
    const input = inputOf(entry);
    const command = (input.headers['command'] ?? '')
      .replace('<ip>', n.ip)
      .replace('<port>', String(n.tcpPort));
    const answer = await send(n, { ...input, headers: { ...input.headers, command } });
    t.match(JSON.parse(answer.body), { err_code: 81, err_text: entry.edgelake['err_text'] });
  });

  t.test('blockchain drop policy: a nested blockchain get without where is no query', async (t) => {
    n.node.dict.set('d', '{"deep": {"name": "d1", "company": "c"}}');
    t.equal((await n.run('blockchain prepare policy !d')).code, 0);
    t.equal((await n.run('blockchain insert where policy = !d and local = true')).code, 0);
    t.equal((await n.run('blockchain push !d')).code, 0);
    const without = edgeLakeEntry('rest', 'drop-by-nested-get-without-where');
    const refused = await send(n, inputOf(without));
    t.equal(errCode(refused), without.edgelake['err_code']);
    t.equal((await n.node.dbms.get('blockchain')?.dump())?.length, 1, 'nothing deleted');
    const withWhere = edgeLakeEntry('rest', 'drop-by-nested-get-with-where');
    const dropped = await send(n, inputOf(withWhere));
    t.equal(dropped.status, withWhere.edgelake['status']);
    t.equal((await n.node.dbms.get('blockchain')?.dump())?.length, 0, 'deleted');
  });

  t.test('two User-Agent headers: the last counts, on both transports', async (t) => {
    const entry = edgeLakeEntry('rest', 'two-user-agent-headers');
    const headers = entry.input['headers'] as [string, string][];
    const head = headers.map(([k, v]) => `${k}: ${v}\r\n`).join('');
    const front = await sendRaw(n, `POST / HTTP/1.1\r\nHost: x\r\n${head}Content-Length: 0\r\n\r\n`);
    t.same(front, { status: entry.edgelake['status'], body: 'hello' }, 'socket front');
    const chunked = await sendRaw(
      n,
      `POST / HTTP/1.1\r\nHost: x\r\n${head}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n`,
    );
    t.same(chunked, { status: entry.edgelake['status'], body: 'hello' }, 'node:http and fastify');
    const reversed = headers.slice(0, 2).reverse();
    const last = reversed.map(([k, v]) => `${k}: ${v}\r\n`).join('');
    const refused = await sendRaw(
      n,
      `POST / HTTP/1.1\r\nHost: x\r\n${last}command: print hello\r\nContent-Length: 0\r\n\r\n`,
    );
    t.equal(errCode(refused), 163, 'a browser agent last is an unknown agent');
  });

  t.test('kept on purpose: command output in the body, assigned run client', async (t) => {
    for (const name of [
      'print-over-rest',
      'echo-over-rest',
      'if-then-print-over-rest',
      'info-table-exists-over-rest',
    ]) {
      const entry = edgeLakeEntry('rest', name);
      t.same(entry.edgelake, { status: 200, body: '' }, `${name}: EdgeLake answers an empty body`);
      t.same(await send(n, inputOf(entry)), entry.anylog_node, name);
    }
    const entry = edgeLakeEntry('rest', 'assigned-run-client');
    const own = `${n.ip}:${n.tcpPort}`;
    const input = inputOf(entry);
    const command = (input.headers['command'] ?? '').replace('<own tcp address>', own);
    t.equal((await send(n, { ...input, headers: { ...input.headers, command } })).status, 200);
    t.equal(n.node.dict.get('x'), `\r\n[From Node ${own}] conformance-node@${own} running`);
  });

  t.test('a no-match assignment leaves the variable undefined', async (t) => {
    const entry = edgeLakeEntry('rest', 'assigned-no-match-first');
    n.node.dict.set('x', 'stale');
    t.equal((await send(n, inputOf(entry))).status, entry.edgelake['status']);
    t.equal(n.node.dict.has('x'), false);
  });
});
