// The process environment port: a frozen snapshot, and the live read and write the node's `$NAME`
// statements use.
import t from 'tap';
import { readProcessEnv, readProcessEnvVar, writeProcessEnv } from '../../../src/common/env.js';

t.test('the snapshot is a frozen copy of the environment', async (t) => {
  const name = 'ANYLOG_ENV_TEST_SNAPSHOT';
  process.env[name] = 'before';
  const snapshot = readProcessEnv();
  t.ok(Object.isFrozen(snapshot));
  t.equal(snapshot[name], 'before');
  process.env[name] = 'after';
  t.equal(snapshot[name], 'before', 'later changes do not reach the snapshot');
  t.not(snapshot, process.env);
  Reflect.deleteProperty(process.env, name);
});

t.test('a written variable is read back live', async (t) => {
  const name = 'ANYLOG_ENV_TEST_LIVE';
  t.equal(readProcessEnvVar(name), undefined);
  writeProcessEnv(name, 'value');
  t.equal(readProcessEnvVar(name), 'value');
  t.equal(process.env[name], 'value');
  Reflect.deleteProperty(process.env, name);
});
