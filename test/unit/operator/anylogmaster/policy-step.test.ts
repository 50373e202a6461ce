// The master-policy step (steps/policy.ts) against a scripted NodeClient: what it queries, drops and
// inserts for each decision, how it verifies the posted id, the outcome, Event and metrics it reports, and
// how node errors turn into waiting, stalled or unreachable results (or are rethrown).
import t from 'tap';
import { desiredMasterPolicy } from '../../../../src/api/policy.js';
import { STATUS } from '../../../../src/contract/status-codes.js';
import {
  NodeRejectedError,
  NodeResponseError,
  NodeUnreachableError,
  type DropOutcome,
  type InsertOutcome,
  type MasterPolicy as NodePolicy,
  type MasterQuery,
  type NodeClient,
  type PolicyBody,
} from '../../../../src/nodeclient/index.js';
import type { Labels } from '../../../../src/operator/framework/metrics.js';
import type { PassEnv } from '../../../../src/operator/anylogmaster/deps.js';
import { desiredPolicyId, policyBody } from '../../../../src/operator/anylogmaster/policy.js';
import { reconcilePolicy } from '../../../../src/operator/anylogmaster/steps/policy.js';
import { crFromFixture } from '../../render/helpers.js';
import { passFor, type Pass } from './fixtures/pass-env.js';

const cr = crFromFixture('minimal.yaml');
const ADDR = '10.96.0.10';
const OLD_ADDR = '10.96.0.9';
const DESIRED = desiredMasterPolicy(cr, ADDR);
const DESIRED_ID = desiredPolicyId(DESIRED);
const OLD_ID = desiredPolicyId(desiredMasterPolicy(cr, OLD_ADDR));
const OTHER_ID = 'e'.repeat(32);
const ERROR_LEVEL = 50;

/** An own master policy (the CR's nodeName and company) as the node reports it. */
const own = (id: string): NodePolicy => ({
  id,
  name: 'anylog-master',
  company: 'New Company',
  attributes: {},
});

type Call =
  | { op: 'query'; query: MasterQuery; signal: AbortSignal | undefined }
  | { op: 'insert'; body: PolicyBody; signal: AbortSignal | undefined }
  | { op: 'drop'; id: string; signal: AbortSignal | undefined };

/**
 * A node holding `policies`: a query answers them (or the next scripted answer), an insert adds the body
 * under `insertedId` (its computed id unless set; nothing when `insertVisible` is false), a drop removes.
 */
class ScriptedNode implements NodeClient {
  readonly url = 'http://10.0.0.7:32049/';
  readonly calls: Call[] = [];
  policies: NodePolicy[];
  insertVisible = true;
  insertedId: string | undefined;
  readonly answers: NodePolicy[][] = [];
  /** The next call of `op` throws `error`, after `skip` calls of it that answer. */
  readonly failures: { op: Call['op']; error: unknown; skip?: number }[] = [];

  constructor(policies: NodePolicy[] = []) {
    this.policies = policies;
  }

  ops(): string[] {
    return this.calls.map((c) => (c.op === 'drop' ? `drop ${c.id}` : c.op));
  }

  #fail(op: Call['op']): void {
    const i = this.failures.findIndex((f) => f.op === op);
    const found = this.failures[i];
    if (found === undefined) return;
    if (found.skip !== undefined && found.skip > 0) {
      found.skip -= 1;
      return;
    }
    const [failure] = this.failures.splice(i, 1);
    throw failure?.error;
  }

  getStatus(): never {
    throw new Error('not used by the policy step');
  }
  getProcesses(): never {
    throw new Error('not used by the policy step');
  }
  readLedger(): never {
    throw new Error('not used by the policy step');
  }
  pushPolicy(): never {
    throw new Error('not used by the policy step');
  }

  queryMasterPolicies(query: MasterQuery, options?: { signal?: AbortSignal }): Promise<NodePolicy[]> {
    this.calls.push({ op: 'query', query, signal: options?.signal });
    this.#fail('query');
    return Promise.resolve(this.answers.shift() ?? [...this.policies]);
  }

  insertPolicy(body: PolicyBody, options?: { signal?: AbortSignal }): Promise<InsertOutcome> {
    this.calls.push({ op: 'insert', body, signal: options?.signal });
    this.#fail('insert');
    if (this.insertVisible) this.policies.push(own(this.insertedId ?? DESIRED_ID));
    return Promise.resolve('inserted');
  }

  dropPolicy(id: string, options?: { signal?: AbortSignal }): Promise<DropOutcome> {
    this.calls.push({ op: 'drop', id, signal: options?.signal });
    this.#fail('drop');
    const before = this.policies.length;
    this.policies = this.policies.filter((p) => p.id !== id);
    return Promise.resolve(before === this.policies.length ? 'notFound' : 'dropped');
  }
}

interface Run {
  readonly pass: Pass;
  readonly env: PassEnv;
  /** policyOperations increments as `operation/result`. */
  readonly ops: string[];
}

/** A pass whose policyOperations counter is recorded; `signal` replaces the context's signal. */
function run(signal?: AbortSignal): Run {
  const pass = passFor(cr);
  const ops: string[] = [];
  const base = pass.env;
  const env: PassEnv = {
    ...base,
    ctx: signal === undefined ? base.ctx : { ...base.ctx, signal },
    deps: {
      ...base.deps,
      domainMetrics: {
        ...base.deps.domainMetrics,
        policyOperations: {
          inc: (labels: Labels) => {
            ops.push(`${labels['operation'] ?? ''}/${labels['result'] ?? ''}`);
          },
        },
      },
    },
  };
  return { pass, env, ops };
}

const rejected = (httpStatus: number) =>
  new NodeRejectedError({
    httpStatus,
    errCode: STATUS.PROCESS_FAILURE,
    errText: 'Process failure',
    command: 'blockchain insert',
  });

const unreachable = () => new NodeUnreachableError('http://10.0.0.7:32049/', 'timeout', 'no answer');

t.test('no own policy: the desired policy is inserted, verified and announced', async (t) => {
  const node = new ScriptedNode();
  const { pass, env, ops } = run();
  const result = await reconcilePolicy(env, node, ADDR);
  t.same(result, {
    outcome: { status: 'True', reason: 'Posted', message: `master policy ${DESIRED_ID} posted` },
    policyId: DESIRED_ID,
  });
  t.same(node.ops(), ['query', 'insert', 'query']);
  const insert = node.calls.find((c) => c.op === 'insert');
  t.same(insert?.op === 'insert' ? insert.body : undefined, policyBody(DESIRED));
  t.match(insert, { body: { master: { ip: ADDR, local_ip: ADDR, hostname: 'minimal-0' } } });
  for (const c of node.calls) {
    if (c.op === 'query') t.same(c.query, { nodeName: 'anylog-master', company: 'New Company' });
    t.equal(c.signal, env.ctx.signal, `${c.op} carries the pass signal`);
  }
  t.same(ops, ['insert/inserted', 'verify/ok']);
  t.same(pass.events, [
    { type: 'Normal', reason: 'PolicyPosted', note: `master policy ${DESIRED_ID} posted` },
  ]);
});

t.test('the desired policy already there: nothing is written and no Event is emitted', async (t) => {
  const node = new ScriptedNode([own(DESIRED_ID)]);
  const { pass, env, ops } = run();
  const result = await reconcilePolicy(env, node, ADDR);
  t.match(result, { outcome: { status: 'True', reason: 'Posted' }, policyId: DESIRED_ID });
  t.same(node.ops(), ['query', 'query']);
  t.same(ops, ['verify/ok']);
  t.same(pass.events, []);
});

t.test('the same id twice is left alone, never posted a second time', async (t) => {
  const node = new ScriptedNode([own(DESIRED_ID), own(DESIRED_ID)]);
  const { pass, env } = run();
  const result = await reconcilePolicy(env, node, ADDR);
  t.equal(result.policyId, DESIRED_ID);
  t.same(node.ops(), ['query', 'query']);
  t.same(pass.events, []);
});

t.test('a stale own policy is dropped before the new one is inserted', async (t) => {
  const node = new ScriptedNode([own(OLD_ID)]);
  const { pass, env, ops } = run();
  const result = await reconcilePolicy(env, node, ADDR);
  t.same(result, {
    outcome: { status: 'True', reason: 'Posted', message: `master policy ${DESIRED_ID} posted` },
    policyId: DESIRED_ID,
  });
  t.same(node.ops(), ['query', `drop ${OLD_ID}`, 'insert', 'query']);
  const drop = node.calls.find((c) => c.op === 'drop');
  t.equal(drop?.signal, env.ctx.signal);
  t.same(ops, ['drop/dropped', 'insert/inserted', 'verify/ok']);
  t.same(pass.events, [
    {
      type: 'Normal',
      reason: 'PolicyReplaced',
      note: `master policy ${DESIRED_ID} replaced ${OLD_ID}`,
    },
  ]);
});

t.test('a duplicate beside the desired policy is dropped and nothing inserted', async (t) => {
  const node = new ScriptedNode([own(DESIRED_ID), own(OLD_ID), own(OTHER_ID)]);
  const { pass, env, ops } = run();
  const result = await reconcilePolicy(env, node, ADDR);
  t.equal(result.policyId, DESIRED_ID);
  t.same(node.ops(), ['query', `drop ${OLD_ID}`, `drop ${OTHER_ID}`, 'query']);
  t.same(ops, ['drop/dropped', 'drop/dropped', 'verify/ok']);
  t.same(pass.events, [
    {
      type: 'Normal',
      reason: 'PolicyReplaced',
      note: `master policy ${DESIRED_ID} replaced ${OLD_ID}, ${OTHER_ID}`,
    },
  ]);
});

t.test('policies of another name or company are neither dropped nor taken as ours', async (t) => {
  const foreign: NodePolicy[] = [
    { id: OLD_ID, name: 'ANYLOG-MASTER', company: 'New Company', attributes: {} },
    { id: OTHER_ID, name: 'anylog-master', company: 'new company', attributes: {} },
    { id: DESIRED_ID, name: 'other-master', company: 'New Company', attributes: {} },
  ];
  const node = new ScriptedNode([...foreign]);
  node.insertVisible = false;
  const { env } = run();
  const result = await reconcilePolicy(env, node, ADDR);
  t.same(node.ops(), ['query', 'insert', 'query'], 'inserted, nothing dropped');
  t.equal(result.policyId, undefined, 'a foreign policy with the desired id does not verify');
  t.same(node.policies, foreign);
});

t.test('an inserted policy not visible yet: waiting on PostingPolicy, no id, no Event', async (t) => {
  const node = new ScriptedNode();
  node.insertVisible = false;
  const { pass, env, ops } = run();
  const result = await reconcilePolicy(env, node, ADDR);
  const message = `master policy ${DESIRED_ID} not visible on the node yet`;
  t.same(result, {
    outcome: { status: 'False', reason: 'WaitingForNode', message },
    waiting: { reason: 'PostingPolicy', message },
  });
  t.same(ops, ['insert/inserted', 'verify/missing']);
  t.same(pass.events, []);
});

t.test('a replacement not visible yet: waiting on ReplacingPolicy', async (t) => {
  const node = new ScriptedNode([own(OLD_ID)]);
  node.insertVisible = false;
  const { pass, env } = run();
  const result = await reconcilePolicy(env, node, ADDR);
  const message = `master policy ${DESIRED_ID} not visible on the node yet`;
  t.same(result, {
    outcome: { status: 'False', reason: 'ReplacingPolicy', message },
    waiting: { reason: 'ReplacingPolicy', message },
  });
  t.same(pass.events, []);
});

t.test('the node gave the inserted policy another id: that id is taken and logged as a bug', async (t) => {
  const node = new ScriptedNode();
  node.insertedId = OTHER_ID;
  const { pass, env, ops } = run();
  const result = await reconcilePolicy(env, node, ADDR);
  t.same(result, {
    outcome: { status: 'True', reason: 'Posted', message: `master policy ${OTHER_ID} posted` },
    policyId: OTHER_ID,
  });
  t.same(ops, ['insert/inserted', 'verify/missing']);
  t.equal(pass.log.lines.filter((l) => l.level === ERROR_LEVEL).length, 1);
  t.same(pass.events, [{ type: 'Normal', reason: 'PolicyPosted', note: `master policy ${OTHER_ID} posted` }]);
});

t.test('the other-id fallback needs exactly one own policy after a write', async (t) => {
  const two = new ScriptedNode();
  two.answers.push([], [own(OLD_ID), own(OTHER_ID)]);
  const a = run();
  const twoResult = await reconcilePolicy(a.env, two, ADDR);
  t.match(twoResult, { waiting: { reason: 'PostingPolicy' }, outcome: { reason: 'WaitingForNode' } });
  t.equal(twoResult.policyId, undefined, 'two unknown ids: none is taken');
  t.equal(a.pass.log.lines.filter((l) => l.level === ERROR_LEVEL).length, 0);

  const vanished = new ScriptedNode();
  vanished.answers.push([own(DESIRED_ID)], [own(OTHER_ID)]);
  const b = run();
  const noneResult = await reconcilePolicy(b.env, vanished, ADDR);
  t.same(vanished.ops(), ['query', 'query'], 'nothing was written');
  t.match(noneResult, { waiting: { reason: 'PostingPolicy' }, outcome: { reason: 'WaitingForNode' } });
  t.equal(noneResult.policyId, undefined, 'without a write another id is not ours to take');
  t.same(b.pass.events, []);
});

t.test('a policy just dropped but still listed is never taken for the new one', async (t) => {
  const node = new ScriptedNode([own(OLD_ID)]);
  node.insertVisible = false;
  // The drop is answered, but the next query still lists the stale policy.
  node.answers.push([own(OLD_ID)], [own(OLD_ID)]);
  const { pass, env } = run();
  const result = await reconcilePolicy(env, node, ADDR);
  const message = `master policy ${DESIRED_ID} not visible on the node yet`;
  t.same(result, {
    outcome: { status: 'False', reason: 'ReplacingPolicy', message },
    waiting: { reason: 'ReplacingPolicy', message },
  });
  t.same(node.ops(), ['query', `drop ${OLD_ID}`, 'insert', 'query']);
  t.same(pass.events, [], 'no PolicyReplaced Event for a replacement not seen yet');
  t.equal(pass.log.lines.filter((l) => l.level === ERROR_LEVEL).length, 0);
});

t.test('a 4xx answer to the insert stalls on PolicyRejected', async (t) => {
  const node = new ScriptedNode();
  node.failures.push({ op: 'insert', error: rejected(400) });
  const { pass, env, ops } = run();
  const result = await reconcilePolicy(env, node, ADDR);
  t.equal(result.outcome.status, 'False');
  t.equal(result.outcome.reason, 'PolicyRejected');
  t.equal(result.stalled?.reason, 'PolicyRejected');
  t.equal(result.stalled?.message, result.outcome.message);
  t.match(result.stalled?.message, /^the node rejected the master policy: /);
  t.equal(result.waiting, undefined);
  t.equal(result.unreachable, undefined);
  t.equal(result.policyId, undefined);
  t.same(node.ops(), ['query', 'insert'], 'no verify after a failed insert');
  t.same(ops, []);
  t.same(pass.events, []);
});

t.test('a 4xx answer to a drop of a replacement stalls too', async (t) => {
  const node = new ScriptedNode([own(OLD_ID)]);
  node.failures.push({ op: 'drop', error: rejected(404) });
  const { env } = run();
  const result = await reconcilePolicy(env, node, ADDR);
  t.match(result, { stalled: { reason: 'PolicyRejected' }, outcome: { reason: 'PolicyRejected' } });
  t.same(node.ops(), ['query', `drop ${OLD_ID}`], 'nothing inserted after the failed drop');
});

t.test('a 5xx answer is temporary: waiting, never stalled', async (t) => {
  const insert = new ScriptedNode();
  insert.failures.push({ op: 'insert', error: rejected(503) });
  const a = await reconcilePolicy(run().env, insert, ADDR);
  t.same(a.waiting?.reason, 'PostingPolicy');
  t.same(a.outcome.status, 'False');
  t.same(a.outcome.reason, 'WaitingForNode');
  t.equal(a.waiting?.message, a.outcome.message);
  t.equal(a.stalled, undefined);
  t.equal(a.unreachable, undefined);

  const drop = new ScriptedNode([own(OLD_ID)]);
  drop.failures.push({ op: 'drop', error: rejected(500) });
  const b = await reconcilePolicy(run().env, drop, ADDR);
  t.match(b, { waiting: { reason: 'ReplacingPolicy' }, outcome: { reason: 'WaitingForNode' } });
  t.equal(b.stalled, undefined);
});

t.test('a 4xx answer before any write is decided is not a rejection of the policy', async (t) => {
  const first = new ScriptedNode();
  first.failures.push({ op: 'query', error: rejected(400) });
  const a = await reconcilePolicy(run().env, first, ADDR);
  t.match(a, { waiting: { reason: 'PostingPolicy' }, outcome: { reason: 'WaitingForNode' } });
  t.equal(a.stalled, undefined, 'no action decided yet');

  const verify = new ScriptedNode([own(DESIRED_ID)]);
  verify.failures.push({ op: 'query', error: rejected(400), skip: 1 });
  const b = await reconcilePolicy(run().env, verify, ADDR);
  t.same(verify.ops(), ['query', 'query']);
  t.match(b, { waiting: { reason: 'PostingPolicy' }, outcome: { reason: 'WaitingForNode' } });
  t.equal(b.stalled, undefined, 'action none is never PolicyRejected');
});

t.test('an unreachable node is temporary and reported as NodeUnreachable', async (t) => {
  const node = new ScriptedNode();
  const error = unreachable();
  node.failures.push({ op: 'query', error });
  const result = await reconcilePolicy(run().env, node, ADDR);
  t.same(result, {
    outcome: { status: 'False', reason: 'WaitingForNode', message: error.message },
    waiting: { reason: 'PostingPolicy', message: error.message },
    unreachable: { status: 'False', reason: 'NodeUnreachable', message: error.message },
  });

  const replacing = new ScriptedNode([own(OLD_ID)]);
  replacing.failures.push({ op: 'insert', error: unreachable() });
  const during = await reconcilePolicy(run().env, replacing, ADDR);
  t.match(during, {
    waiting: { reason: 'ReplacingPolicy' },
    unreachable: { reason: 'NodeUnreachable' },
  });
  t.equal(during.stalled, undefined);
});

t.test('any other retryable error waits; an unknown error is rethrown', async (t) => {
  const odd = new ScriptedNode();
  odd.failures.push({ op: 'query', error: new NodeResponseError('blockchain get', 200, 'not JSON') });
  const a = await reconcilePolicy(run().env, odd, ADDR);
  t.match(a, { waiting: { reason: 'PostingPolicy' }, outcome: { reason: 'WaitingForNode' } });
  t.equal(a.unreachable, undefined);

  const boom = new Error('boom');
  const bug = new ScriptedNode();
  bug.failures.push({ op: 'insert', error: boom });
  await t.rejects(reconcilePolicy(run().env, bug, ADDR), boom);

  const text = new ScriptedNode();
  text.failures.push({ op: 'query', error: 'not an Error' });
  await t.rejects(reconcilePolicy(run().env, text, ADDR));
});

t.test('an aborted pass rethrows even a temporary error', async (t) => {
  const controller = new AbortController();
  controller.abort();
  const node = new ScriptedNode();
  const error = new NodeUnreachableError('http://10.0.0.7:32049/', 'aborted', 'aborted');
  node.failures.push({ op: 'query', error });
  const { env } = run(controller.signal);
  await t.rejects(reconcilePolicy(env, node, ADDR), error);
  t.equal(node.calls[0]?.signal, controller.signal);
});
