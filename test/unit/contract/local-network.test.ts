// Which addresses count as a local network: the five ranges at and just past their edges, multi-digit octets
// in every position, and text that is not a dotted IPv4 address. Public examples are documentation addresses.
import t from 'tap';
import { isLocalNetwork } from '../../../src/contract/local-network.js';

t.test('each local range is local, including multi-digit octets', async (t) => {
  for (const ip of [
    '10.0.0.1',
    '10.20.30.40',
    '127.0.0.1',
    '127.100.200.250',
    '172.16.0.1',
    '172.31.255.254',
    '192.168.0.1',
    '192.168.100.200',
    '100.64.0.1',
    '100.127.255.254',
  ]) {
    t.ok(isLocalNetwork(ip), `${ip} is local`);
  }
});

t.test('addresses just outside a range, or in no range, are not local', async (t) => {
  for (const ip of [
    '172.15.255.255',
    '172.32.0.1',
    '173.20.0.1',
    '192.169.0.1',
    '193.168.0.1',
    '192.0.2.10',
    '100.63.255.255',
    '100.128.0.1',
    '101.64.0.1',
    '11.0.0.1',
    '126.0.0.1',
    '203.0.113.5',
  ]) {
    t.notOk(isLocalNetwork(ip), `${ip} is not local`);
  }
});

t.test('only a whole dotted IPv4 address is read', async (t) => {
  for (const text of [
    '',
    'localhost',
    'node-a',
    '10.0.0',
    'a10.0.0.1',
    '1.10.0.0.1',
    '10.0.0.1.5',
    '10.0.0.1:32048',
  ]) {
    t.notOk(isLocalNetwork(text), `${JSON.stringify(text)} is not local`);
  }
});
