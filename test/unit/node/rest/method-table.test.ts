// The REST method table as a client meets it: for each kind of command (every listed key among them),
// which of GET and POST is refused with 405 and the Allow header naming the accepted methods.
import t from 'tap';
import { buildApp } from '../../../../src/node/rest/app.js';
import { ConcurrencyLimiter } from '../../../../src/node/http/limiter.js';
import { createFakeNode } from '../../../helpers/fake-node.js';

const AL = { 'user-agent': 'AnyLog/1.23' };

// command → the methods the node accepts for it
const TABLE: readonly (readonly [string, readonly ('GET' | 'POST')[]])[] = [
  ['get status', ['GET']],
  // listed for GET; POST falls back to the unlisted first word `blockchain`, which allows POST
  ['blockchain get operator', ['GET', 'POST']],
  ['blockchain read operator', ['GET', 'POST']],
  ['help', ['GET']],
  ['print hello', ['POST']],
  ['wait 1 seconds', ['GET', 'POST']],
  // a one-word command passes only when listed with a single method
  ['wait', []],
  ['sql mydb select 1', ['GET', 'POST']],
  ['blockchain drop policy where id = x', ['POST']],
  ['set node name x', ['POST']],
  ['waitress', []],
  // every other listed key: GET from the table; POST, for the two- and three-word keys, from the unlisted
  // first word (an unlisted key would give POST alone)
  ['query status', ['GET', 'POST']],
  ['query explain select 1', ['GET', 'POST']],
  ['query destination select 1', ['GET', 'POST']],
  ['analyze output', ['GET', 'POST']],
  ['time file summary', ['GET', 'POST']],
  ['job status', ['GET', 'POST']],
  ['job active', ['GET', 'POST']],
  ['file get !src !dest', ['GET', 'POST']],
  ['file retrieve where dbms = d', ['GET', 'POST']],
  // one-word keys decide for longer commands by their first word
  ['test network', ['GET']],
  ['subprocess run x', ['GET', 'POST']],
  // words are separated by any run of white space
  ['blockchain  get \t operator', ['GET', 'POST']],
];

t.test('each command kind is refused with 405 exactly for the methods it does not accept', async (t) => {
  const fake = createFakeNode({ name: 'master-node' });
  const app = buildApp({ node: fake.node, limiter: new ConcurrencyLimiter(5, 100), timeoutSeconds: () => 5 });
  t.teardown(() => app.close());
  for (const [command, accepted] of TABLE) {
    for (const method of ['GET', 'POST'] as const) {
      const r = await app.inject({ method, url: '/', headers: { ...AL, command } });
      if (accepted.includes(method)) {
        t.not(r.statusCode, 405, `${method} ${command}: accepted`);
        t.equal(r.headers['allow'], undefined, `${method} ${command}: no Allow header`);
      } else {
        t.equal(r.statusCode, 405, `${method} ${command}: refused`);
        t.equal(r.headers['allow'], accepted.join(', '), `${method} ${command}: Allow`);
      }
    }
  }
});
