// Aggregation of peer replies and the wire form of command words.
import t from 'tap';
import { aggregateReplies, labelText, wireText } from '../../../../../src/node/commands/network/index.js';
import type { PeerReply } from '../../../../../src/node/ports/network.js';
import { STATUS } from '../../../../../src/contract/status-codes.js';

const text = (destination: string, s: string): PeerReply => ({
  destination,
  kind: 'text',
  text: s,
  code: STATUS.SUCCESS,
});
const json = (destination: string, s: string): PeerReply => ({
  destination,
  kind: 'json',
  text: s,
  code: STATUS.SUCCESS,
});

t.test('text replies: short on the label line, long or multi-line below it', async (t) => {
  t.equal(
    aggregateReplies([text('127.0.0.1:32048', 'master-node@127.0.0.1:32048 running')]),
    '\r\n[From Node 127.0.0.1:32048] master-node@127.0.0.1:32048 running',
  );
  const long = 'x'.repeat(121);
  t.equal(labelText('a:1', long), `\r\n[From Node a:1]\r\n${long}`);
  t.equal(labelText('a:1', 'x'.repeat(120)), `\r\n[From Node a:1] ${'x'.repeat(120)}`);
  t.equal(labelText('a:1', 'l1\nl2'), '\r\n[From Node a:1]\r\nl1\nl2');
});

t.test('silent and unreachable destinations say Not responding; errors aggregate as text', async (t) => {
  const out = aggregateReplies([
    { destination: 'a:1', kind: 'timeout', text: '', code: STATUS.TIMEOUT },
    {
      destination: 'b:2',
      kind: 'unreachable',
      text: 'Failed to create a socket using: b:2',
      code: STATUS.PEER_REFUSED,
    },
    { destination: 'c:3', kind: 'error', text: 'Unauthorized command', code: STATUS.UNAUTHORIZED },
  ]);
  t.equal(
    out,
    '\r\n[From Node a:1] Not responding\r\n[From Node b:2] Not responding\r\n[From Node c:3] Unauthorized command',
  );
});

t.test('all JSON: one object; a mix: a JSON-escaped messages member', async (t) => {
  t.equal(aggregateReplies([json('a:1', '{"x": 1}'), json('b:2', '[1]')]), '{"a:1" : {"x": 1},"b:2" : [1]}');
  t.equal(
    aggregateReplies([json('a:1', '{"x": 1}'), text('b:2', 'say "hi"')]),
    '{"a:1" : {"x": 1},"messages" : "\\r\\n[From Node b:2] say \\"hi\\""}',
  );
});

t.test('wire text: spaces inside a word become TABs, JSON words travel unchanged', async (t) => {
  t.equal(wireText(['get', 'status']), 'get status');
  t.equal(wireText(['x', 'my policy 3']), 'x my\tpolicy\t3');
  t.equal(wireText(['blockchain', 'push', '{"a": "b c"}']), 'blockchain push {"a": "b c"}');
});
