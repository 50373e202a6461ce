// HttpNodeClient against a tiny HTTP server on 127.0.0.1 that answers canned bodies: request shape,
// response validation, error mapping (rejected / response / unreachable) and timeouts.
import t, { type Test } from 'tap';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpNodeClient } from '../../../src/nodeclient/http.js';
import {
  NodeRejectedError,
  NodeResponseError,
  NodeUnreachableError,
} from '../../../src/nodeclient/errors.js';
import { readVectorJson } from '../../helpers/vectors.js';

interface Seen {
  method: string;
  command: string;
  userAgent: string;
  body: string;
}

type Handler = (seen: Seen, res: ServerResponse) => void;

interface ProcessesVector {
  anylog_node: { row_names: string[]; cases: Array<{ name: string; json_form: string }> };
}
interface RestErrorCase {
  name: string;
  anylog_node?: { status: number; body?: string };
}

/** Timeouts of the client: generous by default (a loaded CI machine), short where a test is about them. */
const ANSWERING = { connectTimeoutMs: 10_000, requestTimeoutMs: 20_000 };
const SHORT = { connectTimeoutMs: 300, requestTimeoutMs: 600 };

async function serve(
  t: Test,
  handler: Handler,
  timeouts: { connectTimeoutMs: number; requestTimeoutMs: number } = ANSWERING,
): Promise<{ client: HttpNodeClient; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = req.headers['command'];
      const s: Seen = {
        method: req.method ?? '',
        command: Buffer.from(typeof raw === 'string' ? raw : '', 'latin1').toString('utf8'),
        userAgent: req.headers['user-agent'] ?? '',
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(s);
      handler(s, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const port = (server.address() as AddressInfo).port;
  const client = new HttpNodeClient({
    host: '127.0.0.1',
    port,
    ...timeouts,
  });
  return { client, seen };
}

function reply(res: ServerResponse, status: number, body: string, type = 'text/json'): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    Connection: 'close',
  });
  res.end(body);
}

function errorBody(code: number, text: string, local?: string): string {
  const tail = local === undefined ? '' : `, "local_msg": ${JSON.stringify(local)}`;
  return `{"method": "post", "node": "127.0.0.1", "err_code": ${code}, "err_text": ${JSON.stringify(text)}${tail}}`;
}

t.test('getStatus sends GET with the AnyLog user agent and validates the JSON', async (t) => {
  const { client, seen } = await serve(t, (_s, res) =>
    reply(
      res,
      200,
      '{"assigned_name": "master-node@127.0.0.1:32048", "status": "running", "profiling": false}',
    ),
  );
  t.same(await client.getStatus(), {
    assignedName: 'master-node@127.0.0.1:32048',
    status: 'running',
    profiling: false,
  });
  t.equal(seen[0]?.method, 'GET');
  t.equal(seen[0]?.userAgent, 'AnyLog/1.23');
  t.equal(seen[0]?.command, 'get status where format = json');
  t.equal(client.url, `http://127.0.0.1:${new URL(client.url).port}/`);
});

t.test('a body of the wrong shape or not JSON is a NodeResponseError', async (t) => {
  let body = '{"assigned_name": 5}';
  const { client } = await serve(t, (_s, res) => reply(res, 200, body, 'text'));
  const e1 = await client.getStatus().catch((e: unknown) => e);
  t.type(e1, NodeResponseError);
  t.equal((e1 as NodeResponseError).code, 'ERR_NODE_RESPONSE');
  body = 'master-node@127.0.0.1:32048 running';
  t.type(await client.getStatus().catch((e: unknown) => e), NodeResponseError);
  body = '';
  t.type(await client.getStatus().catch((e: unknown) => e), NodeResponseError);
});

t.test('getProcesses keeps the node order (vector loopback-master)', async (t) => {
  const vec = readVectorJson('get-processes.json') as ProcessesVector;
  const c = vec.anylog_node.cases.find((x) => x.name === 'loopback-master')!;
  const { client, seen } = await serve(t, (_s, res) => reply(res, 200, c.json_form));
  const list = await client.getProcesses();
  t.equal(seen[0]?.command, 'get processes where format = json');
  t.same(
    list.map((p) => p.name),
    vec.anylog_node.row_names,
  );
  t.same(list[0], {
    name: 'TCP',
    status: 'Running',
    details: 'Listening on: 127.0.0.1:32048, Threads Pool: 6',
  });
  t.same(list[2], { name: 'Operator', status: 'Not declared' });
});

t.test(
  'queryMasterPolicies filters exact name and company (the node matches case-insensitively)',
  async (t) => {
    const vec = readVectorJson('blockchain-get.json') as { ledger_file: string };
    const lines = vec.ledger_file.trim().split('\n');
    const upper = lines[0]!
      .replace('"master-node"', '"MASTER-NODE"')
      .replace('9fe16415251db91760fbc5787a6eed7c', '0'.repeat(32));
    const { client, seen } = await serve(t, (_s, res) =>
      reply(res, 200, `[${[lines[0], upper, lines[1]].join(', ')}]`),
    );
    const found = await client.queryMasterPolicies({ nodeName: 'master-node', company: 'New Company' });
    t.equal(seen[0]?.command, 'blockchain get master where name = "master-node" and company = "New Company"');
    t.equal(found.length, 1);
    t.equal(found[0]?.id, '9fe16415251db91760fbc5787a6eed7c');
    t.equal(found[0]?.attributes['rest_port'], 32049);
  },
);

t.test('queryMasterPolicies: [] is no match; a master without id is a response error', async (t) => {
  let body = '[]';
  const { client } = await serve(t, (_s, res) => reply(res, 200, body));
  t.same(await client.queryMasterPolicies({ nodeName: 'm', company: 'c' }), []);
  body = '[{"master": {"name": "m", "company": "c"}}]';
  t.type(
    await client.queryMasterPolicies({ nodeName: 'm', company: 'c' }).catch((e: unknown) => e),
    NodeResponseError,
  );
  body = '{"master": {}}';
  t.type(
    await client.queryMasterPolicies({ nodeName: 'm', company: 'c' }).catch((e: unknown) => e),
    NodeResponseError,
  );
});

t.test('the command header carries UTF-8 bytes', async (t) => {
  const { client, seen } = await serve(t, (_s, res) => reply(res, 200, '[]'));
  await client.queryMasterPolicies({ nodeName: 'm', company: 'Zürich Café' });
  t.equal(seen[0]?.command, 'blockchain get master where name = "m" and company = "Zürich Café"');
});

const policy = { master: { name: 'm', company: 'c', port: 32048 } };

t.test('insertPolicy POSTs the body lines; 200 → inserted, 70 → duplicate', async (t) => {
  let status = 200;
  const { client, seen } = await serve(t, (_s, res) =>
    status === 200
      ? reply(res, 200, '', 'text')
      : reply(
          res,
          status,
          errorBody(70, 'Duplicate blockchain object id', 'duplicate id'),
          'application/json',
        ),
  );
  t.equal(await client.insertPolicy(policy), 'inserted');
  t.equal(seen[0]?.method, 'POST');
  t.equal(
    seen[0]?.command,
    'blockchain insert where policy = !new_policy and local = true and master = !ledger_conn',
  );
  t.equal(
    seen[0]?.body,
    'new_policy = {"master": {"name": "m", "company": "c", "port": 32048}}\nblockchain prepare policy !new_policy\n',
  );
  status = 409;
  t.equal(await client.insertPolicy(policy), 'duplicate');
});

t.test('a 4xx rejection is permanent, a 5xx rejection temporary, both carry err_code', async (t) => {
  let answer: [number, string] = [
    400,
    errorBody(87, 'Wrong policy structure', 'String is not representative of JSON'),
  ];
  const { client } = await serve(t, (_s, res) => reply(res, answer[0], answer[1], 'application/json'));
  const e1 = await client.insertPolicy(policy).catch((e: unknown) => e);
  t.type(e1, NodeRejectedError);
  const r1 = e1 as NodeRejectedError;
  t.equal(r1.errCode, 87);
  t.equal(r1.httpStatus, 400);
  t.equal(r1.localMsg, 'String is not representative of JSON');
  t.equal(r1.retryable, false);
  t.equal(r1.code, 'ERR_NODE_REJECTED');
  answer = [503, errorBody(50, 'DBMS not connected', "Logical DBMS 'blockchain' not connected")];
  const e2 = (await client
    .dropPolicy('9fe16415251db91760fbc5787a6eed7c')
    .catch((e: unknown) => e)) as NodeRejectedError;
  t.type(e2, NodeRejectedError);
  t.equal(e2.errCode, 50);
  t.equal(e2.retryable, true);
  answer = [500, '<html>oops</html>'];
  t.type(await client.insertPolicy(policy).catch((e: unknown) => e), NodeResponseError);
  answer = [400, '{"Error": "x"}'];
  t.type(await client.insertPolicy(policy).catch((e: unknown) => e), NodeResponseError);
});

t.test('dropPolicy: 200 → dropped, 101 → notFound', async (t) => {
  let status = 200;
  const { client, seen } = await serve(t, (_s, res) =>
    status === 200
      ? reply(res, 200, '', 'text')
      : reply(res, 404, errorBody(101, 'DBMS error: delete row failed - wrong key'), 'application/json'),
  );
  const id = '9fe16415251db91760fbc5787a6eed7c';
  t.equal(await client.dropPolicy(id), 'dropped');
  t.equal(seen[0]?.method, 'POST');
  t.equal(seen[0]?.command, `blockchain drop policy where id = ${id}`);
  status = 404;
  t.equal(await client.dropPolicy(id), 'notFound');
});

t.test('error bodies of the REST error vectors map to NodeRejectedError', async (t) => {
  const vec = readVectorJson('rest-errors.json') as { cases: RestErrorCase[] };
  const cases = vec.cases.flatMap((c) =>
    c.anylog_node?.body !== undefined && c.anylog_node.status >= 400
      ? [{ name: c.name, status: c.anylog_node.status, body: c.anylog_node.body }]
      : [],
  );
  t.ok(cases.length >= 5);
  let current = { status: 0, body: '' };
  const { client } = await serve(t, (_s, res) =>
    reply(res, current.status, current.body, 'application/json'),
  );
  for (const c of cases) {
    current = c;
    const expected = JSON.parse(c.body);
    const err = (await client.getStatus().catch((e: unknown) => e)) as NodeRejectedError;
    t.type(err, NodeRejectedError, c.name);
    t.equal(err.errCode, expected.err_code, c.name);
    t.equal(err.errText, expected.err_text, c.name);
    t.equal(err.localMsg, expected.local_msg, c.name);
    t.equal(err.retryable, c.status >= 500, c.name);
  }
});

t.test('a server that never answers → NodeUnreachableError within the timeout', async (t) => {
  const { client } = await serve(
    t,
    () => {
      /* never answer */
    },
    SHORT,
  );
  const started = Date.now();
  const err = await client.getStatus().catch((e: unknown) => e);
  const elapsed = Date.now() - started;
  t.type(err, NodeUnreachableError);
  t.equal((err as NodeUnreachableError).reachCause, 'timeout');
  t.ok((err as NodeUnreachableError).retryable);
  t.ok(elapsed >= 250, `not before the connect timeout (${elapsed} ms)`);
  t.match((err as Error).message, /no answer within 300 ms \(connect timeout\)/, 'the configured timeout');
});

t.test('headers sent but the body stalls → request timeout', async (t) => {
  const { client } = await serve(
    t,
    (_s, res) => {
      res.writeHead(200, { 'Content-Type': 'text/json', 'Content-Length': 100 });
      res.write('{"assigned');
    },
    SHORT,
  );
  const err = await client.getStatus().catch((e: unknown) => e);
  t.type(err, NodeUnreachableError);
  t.match((err as Error).message, /no answer within 600 ms \(request timeout\)/, 'the configured timeout');
});

t.test('connection refused → NodeUnreachableError (connect)', async (t) => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const client = new HttpNodeClient({
    host: '127.0.0.1',
    port,
    connectTimeoutMs: 1_000,
    requestTimeoutMs: 2_000,
  });
  const err = await client.getStatus().catch((e: unknown) => e);
  t.type(err, NodeUnreachableError);
  t.equal((err as NodeUnreachableError).reachCause, 'connect');
  t.match((err as Error).message, /ECONNREFUSED/);
});

t.test('the caller signal aborts the call', async (t) => {
  const { client } = await serve(
    t,
    () => {
      /* never answer */
    },
    // Timeouts no test reaches: only the caller's abort can end this call.
    { connectTimeoutMs: 600_000, requestTimeoutMs: 600_000 },
  );
  const ctrl = new AbortController();
  setTimeout(() => ctrl.abort(), 50);
  const err = await client.getStatus({ signal: ctrl.signal }).catch((e: unknown) => e);
  t.type(err, NodeUnreachableError);
  t.equal((err as NodeUnreachableError).reachCause, 'aborted');
});
