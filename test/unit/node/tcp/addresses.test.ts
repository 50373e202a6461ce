// Self-detection of this node's TCP addresses and the source address written into outgoing
// messages: which host and port pairs count as "this node", and internal versus external source.
import t from 'tap';
import type { NodeServices } from '../../../../src/node/ports/runtime.js';
import type { ServerAddress } from '../../../../src/node/ports/network.js';
import { isOwnAddress, sourceFor } from '../../../../src/node/tcp/addresses.js';

function fakeNode(opts: {
  info?: ServerAddress;
  env?: Record<string, string>;
  overlayIp?: string;
}): NodeServices {
  const env = opts.env ?? {};
  return {
    tcp: { info: () => opts.info },
    env: { get: (name: string) => env[name], set: () => undefined },
    identity: {
      nodeName: 'n',
      hostname: 'h',
      internalIp: '10.1.1.1',
      externalIp: '203.0.113.1',
      overlayIp: opts.overlayIp,
    },
  } as unknown as NodeServices;
}

const INFO: ServerAddress = {
  internalIp: '10.2.2.2',
  internalPort: 32048,
  externalIp: '203.0.113.2',
  externalPort: 32049,
  bind: false,
  threads: 1,
};

t.test('with a running server, both its ports and every own host count', async (t) => {
  const node = fakeNode({ info: INFO, overlayIp: '100.64.0.9' });
  for (const host of [
    '127.0.0.1',
    'localhost',
    '0.0.0.0',
    '10.1.1.1',
    '203.0.113.1',
    '100.64.0.9',
    '10.2.2.2',
    '203.0.113.2',
  ]) {
    t.ok(isOwnAddress(node, `${host}:32048`), `${host} internal port`);
    t.ok(isOwnAddress(node, `${host}:32049`), `${host} external port`);
  }
  t.notOk(isOwnAddress(node, '127.0.0.1:32050'), 'another port');
  t.notOk(isOwnAddress(node, '10.9.9.9:32048'), 'another host');
  t.notOk(isOwnAddress(node, 'no address'), 'unparsable');
});

t.test('without a running server, ANYLOG_SERVER_PORT is the own port', async (t) => {
  const node = fakeNode({ env: { ANYLOG_SERVER_PORT: '32048' } });
  t.ok(isOwnAddress(node, '127.0.0.1:32048'));
  t.ok(isOwnAddress(node, '203.0.113.1:32048'));
  t.notOk(isOwnAddress(node, '127.0.0.1:32049'));
  t.notOk(isOwnAddress(node, '10.2.2.2:32048'), 'hosts of a server that is not running');
  t.notOk(isOwnAddress(fakeNode({}), '127.0.0.1:32048'), 'no port known');
  t.notOk(isOwnAddress(fakeNode({ overlayIp: '' }), '127.0.0.1:32048'), 'empty overlay, no port');
});

t.test('an overlay address counts only when set', async (t) => {
  const env = { ANYLOG_SERVER_PORT: '32048' };
  t.ok(isOwnAddress(fakeNode({ env, overlayIp: '100.64.0.9' }), '100.64.0.9:32048'));
  t.notOk(isOwnAddress(fakeNode({ env }), '100.64.0.9:32048'));
});

t.test('source address: internal towards local networks and localhost, external otherwise', async (t) => {
  const node = fakeNode({ info: INFO, env: { ANYLOG_SERVER_PORT: '1' } });
  t.same(sourceFor(node, '10.5.5.5'), { ip: '10.2.2.2', port: 32048 });
  t.same(sourceFor(node, 'localhost'), { ip: '10.2.2.2', port: 32048 });
  t.same(sourceFor(node, '203.0.113.50'), { ip: '203.0.113.2', port: 32049 });
});

t.test('source address without a running server: identity and ANYLOG_SERVER_PORT', async (t) => {
  const node = fakeNode({ env: { ANYLOG_SERVER_PORT: '32048' } });
  t.same(sourceFor(node, '192.168.0.7'), { ip: '10.1.1.1', port: 32048 });
  t.same(sourceFor(node, 'localhost'), { ip: '10.1.1.1', port: 32048 });
  t.same(sourceFor(node, '203.0.113.50'), { ip: '203.0.113.1', port: 32048 });
  for (const bad of ['-5', '3.5', '0', 'abc']) {
    t.same(
      sourceFor(fakeNode({ env: { ANYLOG_SERVER_PORT: bad } }), '10.5.5.5'),
      { ip: '10.1.1.1', port: 0 },
      bad,
    );
  }
  t.same(sourceFor(fakeNode({}), '10.5.5.5'), { ip: '10.1.1.1', port: 0 }, 'unset');
});
