// Pure functions of the pod runner: `$(VAR)` expansion, path rewriting, image
// names, executable mapping, quantities and the pod address pool. No cluster needed.
import t from 'tap';
import { expand, rewritePaths } from '../../controlplane/src/pod-runner/materialise.js';
import { imageName, resolveProgram } from '../../controlplane/src/pod-runner/executables.js';
import { parseQuantity } from '../../controlplane/src/pod-runner/quantity.js';
import { AddressPool } from '../../controlplane/src/pod-runner/addresses.js';

t.test('$(VAR) expansion follows the kubelet', async (t) => {
  const vars = new Map([
    ['A', 'x'],
    ['POD_IP', '127.0.0.5'],
  ]);
  t.equal(expand('$(A)-$(POD_IP)', vars), 'x-127.0.0.5');
  t.equal(expand('$(MISSING)', vars), '$(MISSING)', 'unknown variables stay');
  t.equal(expand('$$(A)', vars), '$(A)', '$$ escapes');
  t.equal(expand('cost $5', vars), 'cost $5');
});

t.test('absolute paths under a mount prefix are rewritten', async (t) => {
  const root = '/run/p/root';
  t.equal(rewritePaths('/app/data', ['app'], root), '/run/p/root/app/data');
  t.equal(
    rewritePaths('--config=/etc/anylog/a.yaml', ['etc'], root),
    '--config=/run/p/root/etc/anylog/a.yaml',
  );
  t.equal(rewritePaths('/application/x', ['app'], root), '/application/x', 'only whole segments');
  t.equal(rewritePaths('/usr/bin/x', ['app'], root), '/usr/bin/x');
  t.equal(rewritePaths('http://h/app/x', ['app'], root), 'http://h/app/x', 'URL paths are left alone');
});

t.test('images and commands map to local programs', async (t) => {
  t.equal(imageName('ghcr.io/anylog-co/anylog-node:1.2@sha256:abc'), 'anylog-node');
  t.equal(imageName('postgres:16'), 'postgres');
  t.equal(resolveProgram({ image: 'x', command: ['anylog-operator', 'run'] })?.kind, 'node');
  t.same(resolveProgram({ image: 'x', command: ['/usr/local/bin/anylog-node'], args: ['--a'] })?.args, [
    '--a',
  ]);
  t.equal(resolveProgram({ image: 'docker.io/library/postgres:16' })?.kind, 'postgres');
  t.equal(resolveProgram({ image: 'nginx:1.27' }), undefined, 'unknown images are not mapped');
});

t.test('quantities and addresses', async (t) => {
  t.equal(parseQuantity('500m'), 0.5);
  t.equal(parseQuantity('128Mi'), 128 * 2 ** 20);
  t.equal(parseQuantity('1G'), 1e9);
  t.throws(() => parseQuantity('12xyz'));
  const pool = new AddressPool(150);
  t.equal(pool.allocate(), '127.0.150.2');
  t.equal(pool.allocate(), '127.0.150.3');
  pool.release('127.0.150.2');
  t.equal(pool.allocate(), '127.0.150.2', 'released addresses are reused');
  const a = new AddressPool().allocate();
  t.match(a, /^127\.0\.1\d\d\.2$/, `a run's block is 127.0.100-199.x (${a})`);
});
