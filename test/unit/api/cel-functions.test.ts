import t from 'tap';
import {
  isCIDR,
  isIP,
  isIPv4,
  isIPv6,
  ipFamily,
  isLoopback,
  isNonLoopbackIPv4,
} from '../../../src/api/ip.js';
import { isPositiveQuantity, isQuantity, quantitySign } from '../../../src/api/quantity.js';

t.test('isIP / family / loopback follow the Kubernetes CEL IP library', async (t) => {
  for (const ip of ['10.8.0.5', '0.0.0.0', '255.255.255.255', '192.168.1.1']) t.ok(isIPv4(ip), ip);
  for (const ip of [
    '256.1.1.1',
    '10.8.0',
    '10.8.0.5.1',
    '010.0.0.1',
    '1.2.3.-4',
    'a.b.c.d',
    '',
    ' 1.2.3.4',
  ]) {
    t.notOk(isIPv4(ip), ip);
  }
  for (const ip of ['::1', 'fd00::5', '2001:db8:0:0:0:0:0:1', '::', 'fe80::1:2']) t.ok(isIPv6(ip), ip);
  for (const ip of ['fd00::5::1', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0', '::ffff:1.2.3.4', 'g::1', '12345::']) {
    t.notOk(isIPv6(ip), ip);
  }
  t.ok(isIP('10.0.0.1'));
  t.ok(isIP('::1'));
  t.notOk(isIP('localhost'));
  t.equal(ipFamily('10.0.0.1'), 4);
  t.equal(ipFamily('fd00::1'), 6);
  t.ok(isLoopback('127.0.0.1'));
  t.ok(isLoopback('127.255.0.9'));
  t.ok(isLoopback('::1'));
  t.ok(isLoopback('0:0:0:0:0:0:0:1'));
  t.notOk(isLoopback('10.0.0.1'));
  t.notOk(isLoopback('::2'));
  t.notOk(isLoopback('nonsense'));
  t.ok(isNonLoopbackIPv4('10.8.0.5'));
  t.notOk(isNonLoopbackIPv4('127.0.0.5'));
  t.notOk(isNonLoopbackIPv4('fd00::5'));
});

t.test('isCIDR accepts an address and a prefix valid for its family', async (t) => {
  for (const c of ['10.0.0.0/8', '0.0.0.0/0', '192.168.1.7/32', '2001:db8::/32', '::/0', '::1/128'])
    t.ok(isCIDR(c), c);
  for (const c of ['10.0.0.0', '10.0.0.0/33', '10.0.0.0/08', '2001:db8::/129', 'x/8', '10.0.0.0/', '/8']) {
    t.notOk(isCIDR(c), c);
  }
});

t.test('quantities follow the apimachinery grammar; C13 wants a positive one', async (t) => {
  for (const q of ['1Gi', '100m', '128Mi', '1.5G', '1e3', '0.5', '.5', '2E', '+1k', '1E-3', '500M'])
    t.ok(isQuantity(q), q);
  for (const q of ['lots', '1GB', '1 Gi', '', 'Gi', '1.2.3', '--1', '1iB']) t.notOk(isQuantity(q), q);
  t.equal(quantitySign('1Gi'), 1);
  t.equal(quantitySign('0'), 0);
  t.equal(quantitySign('0.000m'), 0);
  t.equal(quantitySign('-1Gi'), -1);
  t.equal(quantitySign('bad'), undefined);
  t.ok(isPositiveQuantity('0.1'));
  t.notOk(isPositiveQuantity('0'));
  t.notOk(isPositiveQuantity('-5Mi'));
  t.notOk(isPositiveQuantity('x'));
});
