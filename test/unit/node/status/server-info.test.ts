// `get rest server info`, `get tcp pool`, `get ip list` and `get servers`:
// the renderers against EdgeLake's layouts and texts (test/fixtures/edgelake/commands.json), and the commands
// through an assembled node (no servers started; a ledger file with operator policies).
import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../../src/node/config.js';
import {
  ipListOutput,
  restServerInfoOutput,
  tcpPoolOutput,
} from '../../../../src/node/status/server-info.js';
import { peerPermission } from '../../../../src/node/tcp/dispatch.js';
import { bootNode } from '../../../helpers/boot-node.js';
import { edgeLakeEntry } from '../../../helpers/edgelake-fixtures.js';

const MASTER_TCP = {
  externalIp: '127.0.0.1',
  externalPort: 32048,
  internalIp: '127.0.0.1',
  internalPort: 32048,
  bind: false,
  threads: 6,
};
const MASTER_REST = { ...MASTER_TCP, externalPort: 32049, internalPort: 32049, timeoutSeconds: 30 };

t.test('get rest server info: EdgeLake attribute table with this node values', async (t) => {
  const fact = edgeLakeEntry('commands', 'get-rest-server-info').edgelake;
  t.equal(restServerInfoOutput(MASTER_REST, 2048), fact['text'], 'the loopback master');
  const bound = restServerInfoOutput({ ...MASTER_REST, bind: true }, 2048);
  t.match(bound, /\r\nconnection      \| http:\/\/127\.0\.0\.1:32049 \|\r\n/, 'bound: the internal IP');
  t.match(bound, /\r\nis_bind         \| True /);
  const idle = restServerInfoOutput(undefined, 2048);
  t.match(idle, /\r\nbuff_size       \| 0     \|\r\n/, 'no server: the class defaults');
  t.match(idle, /\r\nconnection      \| {7}\|\r\n/, 'an empty connection is two spaces');
  t.match(idle, /\r\nserver          \| None  \|\r\n[\s\S]*\r\nworkers_pool    \| None  \|\r\n$/);
});

t.test('get tcp pool: summary padded to 60, worker states', async (t) => {
  const fact = edgeLakeEntry('commands', 'get-tcp-pool').edgelake;
  t.equal(tcpPoolOutput(MASTER_TCP), fact['text']);
  t.equal(tcpPoolOutput(undefined), 'Tcp Pool is not declared');
  t.equal(tcpPoolOutput({ ...MASTER_TCP, threads: 1 }), `${'TCP Pool with 1 threads:'.padEnd(60)}[0]`);
});

t.test('get ip list: IPv4 then IPv6, link-local scoped', async (t) => {
  const fact = edgeLakeEntry('commands', 'get-ip-list').edgelake;
  const loopback = {
    lo: [
      { family: 'IPv4' as const, address: '127.0.0.1' },
      { family: 'IPv6' as const, address: '::1', scopeid: 0 },
    ],
  };
  t.equal(ipListOutput(loopback), fact['text'], 'the loopback-only namespace');
  const two = ipListOutput({
    lo: loopback.lo,
    eth0: [
      { family: 'IPv6', address: 'fe80::1', scopeid: 2 },
      { family: 'IPv4', address: '10.0.0.5' },
    ],
  });
  t.same(
    two
      .split('\r\n')
      .slice(3)
      .map((l) => l.replace(/ /g, '')),
    ['IPv4|lo|127.0.0.1|', 'IPv4|eth0|10.0.0.5|', 'IPv6|lo|::1|', 'IPv6|eth0|fe80::1%eth0|', ''],
  );
});

const OPERATORS = [
  {
    operator: {
      name: 'op1',
      company: 'acme',
      dbms: 'lsl',
      table: 'ping',
      ip: '10.0.0.1',
      port: 32148,
      id: 'a1',
    },
  },
  {
    operator: {
      name: 'op2',
      company: 'acme',
      dbms: 'lsl',
      table: 'ping',
      ip: '10.0.0.2',
      port: 32148,
      id: 'a2',
    },
  },
  {
    operator: {
      name: 'op3',
      company: 'beta',
      dbms: 'db2',
      table: 'temp',
      ip: '10.0.0.3',
      port: 32158,
      id: 'a3',
    },
  },
  { master: { name: 'm', company: 'acme', ip: '127.0.0.1', port: 32048, id: 'm1' } },
];

t.test('the commands through the node', async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'al-srvinfo-'));
  const config = loadConfig(
    { NODE_TYPE: 'master', NODE_NAME: 'info-master', INTERNAL_IP: '127.0.0.1', ANYLOG_PATH: home },
    { hostname: 'info-host', cwd: home, interfaces: {} },
  );
  const { running } = await bootNode(t, config, home);
  const console = (): void => undefined;
  const run = (text: string) => running.node.execute(text, { source: 'rest', assigned: false, console });

  t.equal((await run('get tcp pool')).text, 'Tcp Pool is not declared');
  t.equal((await run('get rest server info')).text, restServerInfoOutput(undefined, 2048));
  t.match((await run('get ip list')).text, /^\r\nFamily +Interface +Address +\r\n/);
  t.equal((await run('get rest server')).code, 2);
  t.equal((await run('get tcp pool now')).code, 2);
  t.equal((await run('get ip')).code, 2);
  for (const command of ['get rest server info', 'get tcp pool', 'get ip list', 'get servers']) {
    t.equal(peerPermission(command), 0, `peers may run '${command}'`);
  }

  t.equal((await run('get servers')).text, '', 'no operators in the ledger');
  const file = config.dirs['blockchain_file'] ?? '';
  writeFileSync(file, OPERATORS.map((p) => JSON.stringify(p)).join('\n') + '\n');
  t.equal((await run('blockchain reload metadata')).code, 0);
  t.match(edgeLakeEntry('commands', 'get-servers').edgelake['layout'], /one line with the operators/);
  t.equal((await run('get servers')).text, '10.0.0.1:32148,10.0.0.2:32148\r\n10.0.0.3:32158\r\n');
  t.equal((await run('get servers where company = beta')).text, '10.0.0.3:32158\r\n');
  t.equal(
    (await run('get servers where dbms = lsl and table = ping')).text,
    '10.0.0.1:32148,10.0.0.2:32148\r\n',
  );
  t.equal((await run('get servers where company = * and table = temp')).text, '10.0.0.3:32158\r\n');
  t.equal((await run('get servers where company = nobody')).text, '');
  t.equal(
    (await run('get servers where company = acme bring [operator][name] : [operator][port] separator = ,'))
      .text,
    'op1:32148,op2:32148',
  );
  t.equal((await run('get servers bring')).code, 2, "'bring' without instructions");
  t.equal((await run('get servers where color = red')).code, 2, 'unknown where key');
  t.equal((await run('get servers everything')).code, 2);
});
