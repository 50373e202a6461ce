// The REST app writes nothing of its own to stdout: fastify's request logging is off,
// so a node's console output carries only what its commands print. Run in a child process, whose stdout
// the test reads whole.
import t from 'tap';
import { spawnSync } from 'node:child_process';

t.test('serving requests writes nothing to stdout', async (t) => {
  const href = (path: string) => JSON.stringify(new URL(path, import.meta.url).href);
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `import { buildApp } from ${href('../../../../src/node/rest/app.ts')};
       import { ConcurrencyLimiter } from ${href('../../../../src/node/http/limiter.ts')};
       import { createFakeNode } from ${href('../../../helpers/fake-node.ts')};
       const app = buildApp({
         node: createFakeNode().node,
         limiter: new ConcurrencyLimiter(1, 1),
         timeoutSeconds: () => 5,
         bodyLimit: 4,
       });
       const ok = await app.inject({ method: 'GET', url: '/', headers: { 'user-agent': 'curl/8' } });
       const big = await app.inject({ method: 'POST', url: '/', headers: { 'user-agent': 'curl/8', command: 'print x' }, payload: 'a = 12345' });
       await app.close();
       process.stderr.write(ok.statusCode + ' ' + big.statusCode);`,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  t.equal(run.status, 0, run.stderr);
  t.equal(run.stderr, '200 413', 'both requests were answered');
  t.equal(run.stdout, '', 'nothing on stdout');
});
