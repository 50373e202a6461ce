// The built-in master deployment on the real ledger code: a fresh boot on SQLite declares one
// master policy (its id computed as EdgeLake computes it, global after the self-sync), and running its step 5 again inserts nothing.
import t from 'tap';
import { BUILTIN_MASTER_NAME, BUILTIN_MASTER_SCRIPT } from '../../../../src/node/builtin-master.js';
import { startTestNode } from './fixtures/node-harness.js';

t.test('built-in master: one policy, idempotent on a second run', async (t) => {
  const n = await startTestNode(
    t,
    { NODE_NAME: 'bm', COMPANY_NAME: 'Acme Co', DB_TYPE: 'sqlite', BLOCKCHAIN_SYNC: '1 hour' },
    { processEnv: true },
  );
  const ctx = { source: 'script' as const, assigned: false, console: (s: string) => n.console.push(s) };
  const text = BUILTIN_MASTER_SCRIPT;
  const first = await n.running.interpreter.runScriptText(text, BUILTIN_MASTER_NAME, ctx, n.node);
  t.equal(first.result.code, 0, `first run: ${n.console.join(' | ')}`);
  t.equal(await n.ok('blockchain get master bring.count'), '1');
  t.equal(await n.ok('blockchain get master bring [*][company]'), 'Acme Co');
  await n.ok('run blockchain sync');
  t.equal(
    await n.ok('blockchain get master bring [*][ledger]'),
    'global',
    'global after one self-sync cycle',
  );
  const step5 = text.slice(text.indexOf('# Step 5'));
  const second = await n.running.interpreter.runScriptText(step5, BUILTIN_MASTER_NAME, ctx, n.node);
  t.equal(second.result.code, 0, 'step 5 again succeeds');
  t.equal(await n.ok('blockchain get master bring.count'), '1', 'no second master policy');
  t.ok(
    n.console.some((l) => l.startsWith('Master policy exists: ')),
    'second run saw the existing policy',
  );
});
