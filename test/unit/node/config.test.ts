// Configuration: defaults, legacy aliases, derived addresses, defaulted environment and the
// single error listing every problem.
import t from 'tap';
import { bootDictionary, loadConfig } from '../../../src/node/config.js';
import { ConfigError } from '../../../src/common/errors.js';

const host = {
  hostname: 'pod-0',
  cwd: '/srv/anylog',
  interfaces: {
    eth0: [
      {
        address: '10.1.2.3',
        netmask: '255.0.0.0',
        family: 'IPv4' as const,
        mac: '00:00:00:00:00:00',
        internal: false,
        cidr: null,
      },
    ],
  },
};

t.test('defaults for a master', async (t) => {
  const c = loadConfig({ NODE_TYPE: 'master' }, host);
  t.match(c, {
    nodeName: 'anylog-master',
    companyName: 'New Company',
    serverPort: 32048,
    restPort: 32049,
    tcpThreads: 6,
    restTimeout: 30,
    internalIp: '10.1.2.3',
    externalIp: '10.1.2.3',
    dbType: 'sqlite',
    ledgerConn: '10.1.2.3:32048',
    blockchainSyncSeconds: 30,
    destination: 'file',
    anylogPath: '/srv/anylog',
  });
  t.equal(c.defaultedEnv['SYNC_TIME'], '30 seconds');
  t.equal(c.defaultedEnv['BLOCKCHAIN_DESTINATION'], 'file');
  t.equal(c.defaultedEnv['LOCATION'], '0.0, 0.0');
  t.equal(c.dirs['blockchain_file'], '/srv/anylog/AnyLog-Network/blockchain/blockchain.json');
  t.ok(Object.isFrozen(c));
  t.match(bootDictionary(c), { hostname: 'pod-0', ip: '10.1.2.3', io_buff_size: '2048' });
  t.equal(loadConfig({}, host).nodeName, 'AnyLog');
  t.equal(loadConfig({ NODE_TYPE: 'query' }, host).serverPort, 32348);
  t.equal(loadConfig({ NODE_TYPE: 'generic' }, host).restPort, 32549);
});

t.test('aliases, overlay and ignored values', async (t) => {
  const c = loadConfig(
    {
      NODE_TYPE: 'master',
      SYNC_TIME: '1 minute',
      BLOCKCHAIN_DESTINATION: '10.0.0.1:32048',
      OVERLAY_IP: '100.64.0.9',
      INTERNAL_IP: '10.9.9.9',
      REST_TIMEOUT: '-5',
    },
    host,
  );
  t.equal(c.blockchainSyncSeconds, 60);
  t.equal(c.destination, 'file');
  t.equal(c.defaultedEnv['BLOCKCHAIN_DESTINATION'], 'file');
  t.equal(c.internalIp, '100.64.0.9');
  t.equal(c.defaultedEnv['INTERNAL_IP'], '100.64.0.9');
  t.equal(c.restTimeout, 0);
  t.equal(loadConfig({ BLOCKCHAIN_SYNC: '10', SYNC_TIME: '99' }, host).blockchainSyncSeconds, 10);
  const both = loadConfig({ DESTINATION: 'dbms', BLOCKCHAIN_DESTINATION: 'file' }, host);
  t.equal(both.destination, 'dbms', 'DESTINATION wins over BLOCKCHAIN_DESTINATION');
  t.equal(both.defaultedEnv['BLOCKCHAIN_DESTINATION'], 'dbms', 'and the sync script sees the value used');
  t.notOk(
    'BLOCKCHAIN_DESTINATION' in loadConfig({ BLOCKCHAIN_DESTINATION: 'DBMS' }, host).defaultedEnv,
    'a value that agrees (in any case) is left as given',
  );
  t.equal(loadConfig({ POD_IP: '10.7.7.7' }, host).internalIp, '10.7.7.7');
});

t.test('every problem in one error', async (t) => {
  try {
    loadConfig(
      {
        ANYLOG_SERVER_PORT: '70000',
        TCP_BIND: 'maybe',
        DB_TYPE: 'psql',
        BLOCKCHAIN_SYNC: '0',
        OVERLAY_NETWORK: 'true',
        BLOCKCHAIN_SOURCE: 'dbms',
      },
      host,
    );
    t.fail('expected ConfigError');
  } catch (error) {
    t.type(error, ConfigError);
    t.equal((error as ConfigError).problems.length, 6);
  }
});
