import t from 'tap';
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/shared/logger.js';

t.test('redacts secrets at any depth', async (t) => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const log = createLogger({ destination: sink });
  log.info(
    { password: 'p1', db: { DB_PASSWD: 'p2', nested: { token: 'p3', x: { authorization: 'p4' } } } },
    'hello',
  );
  const text = lines.join('');
  for (const secret of ['p1', 'p2', 'p3', 'p4']) t.notMatch(text, `"${secret}"`);
  t.match(text, '******');
});
