// What a REST request says beyond its head: the JSON-body form (which bodies count, which keys become
// headers and how their values are written), the user agent's product, and the client IP of error bodies.
import t from 'tap';
import { agentOf, clientIpOf, jsonBodyHeaders } from '../../../../src/node/rest/request-info.js';

const json = (text: string): Buffer => Buffer.from(text, 'utf8');

t.test('a JSON body counts when it is an object with a string command', async (t) => {
  t.same(jsonBodyHeaders(json('{"Command": "get status"}')), { command: 'get status' }, 'keys lower-cased');
  t.same(
    jsonBodyHeaders(json('\r\n  {"command": "get status"}\n')),
    { command: 'get status' },
    'white space around the object',
  );
  t.equal(jsonBodyHeaders(json('{"destination": "network"}')), undefined, 'no command key');
  t.equal(jsonBodyHeaders(json('{"command": 5}')), undefined, 'a command that is not a string');
  t.equal(jsonBodyHeaders(json('{"command": null, "other": "x"}')), undefined, 'null command, string other');
  t.equal(jsonBodyHeaders(json('["command", "get status"]')), undefined, 'an array');
  t.equal(jsonBodyHeaders(json('{"command": "get status"')), undefined, 'not JSON');
  t.equal(jsonBodyHeaders(json('')), undefined, 'empty');
  t.equal(jsonBodyHeaders(undefined), undefined, 'no body');
});

t.test('JSON body values: strings, numbers and booleans as trimmed text; other values dropped', async (t) => {
  t.same(
    jsonBodyHeaders(
      json(
        '{"command": "  get status ", "timeout": 20, "subset": true, "destination": " network ",' +
          ' "nested": {"a": 1}, "list": [1], "none": null}',
      ),
    ),
    { command: 'get status', timeout: '20', subset: 'true', destination: 'network' },
  );
});

t.test('JSON bodies up to 1 MiB are read, larger ones are not', async (t) => {
  const sized = (size: number): Buffer => {
    const head = '{"command": "get status", "pad": "';
    const tail = '"}';
    return json(head + 'x'.repeat(size - head.length - tail.length) + tail);
  };
  const limit = sized(1024 * 1024);
  t.equal(limit.length, 1024 * 1024);
  t.same(jsonBodyHeaders(limit)?.['command'], 'get status', 'exactly 1 MiB');
  t.equal(jsonBodyHeaders(sized(1024 * 1024 + 1)), undefined, 'one byte more');
});

t.test("the agent's product: the text before '/', trimmed and lower-cased", async (t) => {
  t.same(agentOf({ 'user-agent': 'AnyLog/1.23' }), { product: 'anylog', value: 'AnyLog/1.23' });
  t.same(agentOf({ 'user-agent': 'curl' }), { product: 'curl', value: 'curl' }, 'no slash: the whole value');
  t.equal(agentOf({ 'user-agent': ' Curl /8.5' }).product, 'curl', 'spaces before the slash');
  t.equal(agentOf({ 'anylog-agent': 'AnyLog/1.0', 'user-agent': 'curl/8' }).product, 'anylog');
  t.same(agentOf({}), { product: '', value: '' }, 'no agent header');
});

t.test('client IP: the IPv4-mapped prefix removed, other addresses as they are', async (t) => {
  t.equal(clientIpOf('::ffff:10.0.0.7'), '10.0.0.7');
  t.equal(clientIpOf('10.0.0.7'), '10.0.0.7');
  t.equal(clientIpOf('::1'), '::1');
  t.equal(clientIpOf('fe80::ffff:1'), 'fe80::ffff:1');
  // a socket's remote address is undefined once the client is gone
  t.equal(clientIpOf(undefined), '');
});
