// ProcessesHealthy and status.processes from `get processes`, using the
// JSON form observed on EdgeLake (vectors/get-processes.json), plus Secret credential decoding.
import t from 'tap';
import { processesToList, type ProcessJsonEntry } from '../../../../src/contract/processes.js';
import {
  processesCondition,
  statusProcesses,
} from '../../../../src/operator/anylogmaster/steps/processes.js';
import { credentialsFrom, SecretNotFoundError } from '../../../../src/operator/anylogmaster/steps/secrets.js';
import { readVectorJson } from '../../../helpers/vectors.js';
import { STATUS } from '../../../../src/contract/status-codes.js';
import { NodeRejectedError, NodeUnreachableError } from '../../../../src/nodeclient/index.js';
import { reconcileProcesses } from '../../../../src/operator/anylogmaster/steps/processes.js';
import { crFromFixture } from '../../render/helpers.js';
import { passFor } from './fixtures/pass-env.js';
import { fakeNode } from './fixtures/pass-world.js';

const vector = readVectorJson('get-processes.json') as { edgelake_observed: { json_form: string } };
const observed = processesToList(
  JSON.parse(vector.edgelake_observed.json_form) as Record<string, ProcessJsonEntry>,
);

t.test('the observed EdgeLake master is healthy', async (t) => {
  t.match(processesCondition(observed), { status: 'True', reason: 'AllRunning' });
  t.same(
    statusProcesses(observed).map((p) => p.name),
    observed.map((p) => p.name),
    'node order kept',
  );
});

t.test('a stopped or missing required process is named', async (t) => {
  const stopped = observed.map((p) =>
    p.name === 'Scheduler' ? { name: p.name, status: 'Not declared' } : p,
  );
  t.match(processesCondition(stopped), {
    status: 'False',
    reason: 'ProcessesNotRunning',
    message: /Scheduler/,
  });
  const missing = observed.filter((p) => p.name !== 'TCP' && p.name !== 'Blockchain Sync');
  t.match(processesCondition(missing), { message: /TCP, Blockchain Sync/ });
});

t.test('status.processes is capped to the schema limits', async (t) => {
  const many = Array.from({ length: 70 }, (_, i) => ({
    name: `p${i}`,
    status: 'Running',
    details: 'x'.repeat(2000),
  }));
  const capped = statusProcesses(many);
  t.equal(capped.length, 64);
  t.equal(capped[0]?.details?.length, 1024);
});

t.test('credentials come from base64 Secret data; missing keys are SecretNotFound', async (t) => {
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's' },
    data: {
      username: Buffer.from('anylog').toString('base64'),
      password: Buffer.from('pw').toString('base64'),
    },
  };
  t.same(credentialsFrom(secret, 'username', 'password'), { username: 'anylog', password: 'pw' });
  t.throws(() => credentialsFrom(secret, 'user', 'password'), SecretNotFoundError);
  t.throws(() => credentialsFrom(secret, 'username', 'pass'), SecretNotFoundError);
  t.throws(
    () => credentialsFrom({ ...secret, data: undefined }, 'username', 'password'),
    SecretNotFoundError,
  );
});

t.test(
  'a failed get processes: a coded node error leaves the condition unchecked, anything else throws',
  async (t) => {
    const cr = crFromFixture('minimal.yaml');
    const rejected = new NodeRejectedError({
      httpStatus: 400,
      errCode: STATUS.UNRECOGNIZED_COMMAND,
      errText: 'unknown command',
      command: 'get processes',
    });
    const answered = fakeNode({ insertId: 'x', fail: { method: 'getProcesses', error: rejected } });
    const r = await reconcileProcesses(passFor(cr).env, answered.client);
    t.same(r, {
      outcome: {
        status: 'Unknown',
        reason: 'NotChecked',
        message: `get processes failed: ${rejected.message}`,
      },
    });
    const unreachable = new NodeUnreachableError('http://10.0.0.7:32049/', 'timeout', 'no answer');
    const silent = fakeNode({ insertId: 'x', fail: { method: 'getProcesses', error: unreachable } });
    const u = await reconcileProcesses(passFor(cr).env, silent.client);
    t.equal(u.outcome.reason, 'NotChecked');
    t.match(u.unreachable, { status: 'False', reason: 'NodeUnreachable' });
    const bug = new TypeError('not a coded error');
    const broken = fakeNode({ insertId: 'x', fail: { method: 'getProcesses', error: bug } });
    await t.rejects(reconcileProcesses(passFor(cr).env, broken.client), bug);
  },
);
