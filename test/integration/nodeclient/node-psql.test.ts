// The whole external-ledger path against real processes: provisionLedger creates role, database and
// table with admin credentials; the real anylog-node connects with the node role (DB_TYPE=psql) and
// accepts the operator's table; a policy posted through NodeClient lands in it; the operator's direct
// cleanup deletes the row by policy_id and drops what it created.
import t from 'tap';
import { parseOrderedJson } from '../../../src/contract/ordered-json.js';
import { addIdAndDate } from '../../../src/contract/policy-id.js';
import { cleanupLedger, deletePolicyRows, provisionLedger } from '../../../src/ledger/index.js';
import { policyText, type PolicyBody } from '../../../src/nodeclient/index.js';
import { silentLogger } from '../../../src/common/logger.js';
import {
  admin,
  adminQuery,
  cleanupAfter,
  endpointFor,
  randomName,
  randomPassword,
} from '../ledger/fixtures/pg-ledger.js';
import { COMPANY, HOST, NAME, sleep, startNode, stopNode } from './fixtures/node-process.js';

t.test('anylog-node runs on the ledger the operator provisioned', async (t) => {
  const a = admin();
  const database = randomName('lnode');
  const role = randomName('lnoder');
  cleanupAfter(t, a, database, role);
  const node = { username: role, password: randomPassword() };
  const endpoint = endpointFor(a, database);
  const logger = silentLogger();
  const provisioned = await provisionLedger({
    endpoint,
    nodeCredentials: node,
    adminCredentials: a.credentials,
    logger,
  });
  t.same(provisioned.createdByOperator, { database: true, role: true });

  const running = await startNode(t, {
    DB_TYPE: 'psql',
    DB_IP: a.host,
    DB_PORT: String(a.port),
    DB_USER: node.username,
    DB_PASSWD: node.password,
    DB_NAME: database,
    DB_SSLMODE: 'disable',
  });
  const { client } = running;
  const policy: PolicyBody = {
    master: {
      name: NAME,
      company: COMPANY,
      ip: HOST,
      local_ip: HOST,
      port: running.tcpPort,
      rest_port: running.restPort,
    },
  };
  const id = addIdAndDate(parseOrderedJson(policyText(policy)), '2026-01-01T00:00:00.000000Z').id;
  t.equal(await client.insertPolicy(policy), 'inserted');

  // the push to the master (itself) is asynchronous: wait for the row in the operator-created table
  let rows: Array<{ policy_type: string; host: string }> = [];
  for (let i = 0; i < 50 && rows.length === 0; i++) {
    rows = await adminQuery(a, 'SELECT policy_type, host FROM ledger WHERE policy_id = $1', [id], database);
    if (rows.length === 0) await sleep(200);
  }
  t.same(rows, [{ policy_type: 'master', host: HOST }]);
  t.notMatch(running.output(), node.password, 'the node never prints the ledger password');

  // deletion flow when the node does not answer: delete the row directly, then drop what we created
  await stopNode(running);
  t.equal(await deletePolicyRows({ endpoint, credentials: node, policyIds: [id] }), 1);
  const out = await cleanupLedger({
    endpoint,
    nodeCredentials: node,
    adminCredentials: a.credentials,
    createdByOperator: provisioned.createdByOperator,
    logger,
  });
  t.same(out, { droppedDatabase: true, droppedRole: true, skipped: [] });
});
