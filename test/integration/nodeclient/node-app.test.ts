// NodeClient against the real anylog-node: starts `bin/anylog-node.js`
// as a hidden master (no policy of its own) on 127.0.0.x ports, then status, processes, query, insert
// (and duplicate), drop (and not found), and an unreachable node once it is stopped.
import t from 'tap';
import { notRunningRequired } from '../../../src/contract/processes.js';
import { parseOrderedJson } from '../../../src/contract/ordered-json.js';
import { addIdAndDate } from '../../../src/contract/policy-id.js';
import { NodeUnreachableError, policyText, type PolicyBody } from '../../../src/nodeclient/index.js';
import { COMPANY, HOST, NAME, sleep, startNode, stopNode } from './fixtures/node-process.js';

t.test('NodeClient against a running anylog-node master', async (t) => {
  const node = await startNode(t);
  const { client } = node;

  const status = await client.getStatus();
  t.equal(status.assignedName, `${NAME}@${HOST}:${node.tcpPort}`);
  t.equal(status.status, 'running');

  let missing: string[] = ['?'];
  for (let i = 0; i < 50 && missing.length > 0; i++) {
    missing = notRunningRequired(await client.getProcesses());
    if (missing.length > 0) await sleep(200);
  }
  t.same(missing, [], 'TCP, REST, Blockchain Sync and Scheduler are running');
  const processes = await client.getProcesses();
  t.equal(processes[0]?.name, 'TCP');

  const query = { nodeName: NAME, company: COMPANY };
  t.same(await client.queryMasterPolicies(query), [], 'hidden master declares no policy');

  const policy: PolicyBody = {
    master: {
      name: NAME,
      company: COMPANY,
      hostname: `${NAME}-0`,
      ip: HOST,
      local_ip: HOST,
      port: node.tcpPort,
      rest_port: 1,
      loc: '0.0, 0.0',
      country: 'Unknown',
      state: 'Unknown',
      city: 'Unknown',
    },
  };
  const expectedId = addIdAndDate(parseOrderedJson(policyText(policy)), '2026-01-01T00:00:00.000000Z').id;
  t.equal(await client.insertPolicy(policy), 'inserted');
  let found = await client.queryMasterPolicies(query);
  t.equal(found.length, 1);
  t.equal(found[0]?.id, expectedId, 'the node computes the id the contract computes');
  t.equal(found[0]?.attributes['hostname'], `${NAME}-0`);
  t.same(
    await client.queryMasterPolicies({ nodeName: NAME.toUpperCase(), company: COMPANY }),
    [],
    'exact match only',
  );

  t.equal(await client.insertPolicy(policy), 'duplicate');
  t.equal((await client.queryMasterPolicies(query)).length, 1);

  t.equal(await client.dropPolicy(expectedId), 'dropped');
  t.equal(await client.dropPolicy(expectedId), 'notFound');
  found = await client.queryMasterPolicies(query);
  t.same(found, [], 'dropped from the local file too');

  await stopNode(node);
  const err = await client.getStatus().catch((e: unknown) => e);
  t.type(err, NodeUnreachableError);
  t.equal((err as NodeUnreachableError).retryable, true);
});
