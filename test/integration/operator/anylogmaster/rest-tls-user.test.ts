// REST TLS with the user's own Secrets (cert-manager layout) on the real control plane with a real
// anylog-node process. The test is the user: it makes its own CA and certificates, names the Secrets in
// the CR and rotates them by hand. Checked: a missing Secret stalls naming it; the master reaches Ready over
// mutual TLS with those certificates; curl without a client certificate is refused and with the user's gets
// answers, `get processes` shows SSL: True; a new server certificate, a new client certificate and a new CA
// each reach the node or the operator without any change to the CR; and no key or certificate ever shows
// up in the operator's own objects, status or Events.
import t from 'tap';
import {
  getJson,
  kubectl,
  kubectlOk,
  testNamespace,
  waitUntil,
  type KubeObject,
} from '../../../helpers/cluster.js';
import {
  applyObject,
  condition,
  describe,
  ensureCrd,
  sample,
  startOperator,
  waitCondition,
  waitPasses,
  waitReady,
} from './harness.js';
import {
  clientFiles,
  fingerprintOf,
  leakedMaterial,
  podHost,
  podIP,
  presentedCertificate,
  restCurl,
  type ClientPems,
} from '../../../helpers/rest-tls.js';
import { userCa, userTlsSecret, type UserCertificate } from './user-pki.js';

// Three pod rolls and two stalled rechecks a minute apart take longer than tap's default file timeout.
t.setTimeout(600_000);

const NAME = 'master';
const SERVER_SECRET = 'master-rest-server';
const CLIENT_SECRET = 'master-rest-ops';

/** The pod template's config hash and the running pod's uid: a roll changes both. */
async function rollState(ns: string): Promise<{ hash: string; podUid: string }> {
  const sts = await getJson(['-n', ns, 'statefulset', NAME]);
  const pod = await getJson(['-n', ns, 'pod', `${NAME}-0`]);
  return {
    hash: sts.spec.template.metadata.annotations['anylog.co/config-hash'] as string,
    podUid: pod.metadata.uid as string,
  };
}

/** Waits until the node presents `server` (the handshake presents `client`); returns its serial number. */
async function waitPresented(ns: string, server: UserCertificate, client: ClientPems): Promise<string> {
  const want = fingerprintOf(server.cert);
  return waitUntil(
    `the node presents the certificate ${want.slice(0, 23)}…`,
    async () => {
      try {
        const peer = await presentedCertificate(await podIP(ns, NAME), client);
        return peer.fingerprint256 === want ? peer.serialNumber : undefined;
      } catch {
        return undefined;
      }
    },
    240_000,
    1000,
  );
}

t.test('an AnyLogMaster serves REST TLS from the Secrets the user names and follows them', async (t) => {
  const ns = await testNamespace(t, 'alm-tlsu');
  await ensureCrd();
  const op = await startOperator(t, ns);
  const host = podHost(ns, NAME);
  /** Every key and certificate the user wrote, for the leak search at the end. */
  const material: string[] = [];
  const remember = (...pairs: UserCertificate[]) => {
    for (const p of pairs) material.push(p.cert, p.key, p.ca);
  };

  const ca1 = await userCa('user REST CA one');
  const server1 = await ca1.server([host]);
  const ops1 = await ca1.client('anylog-operator');
  remember(server1, ops1);

  // The CR comes first: each Secret it names is reported missing by name until it exists.
  const cr = sample('anylogmaster-embedded.yaml', NAME, ns) as { spec: Record<string, unknown> };
  cr.spec['rest'] = { tls: { enabled: true, secretName: SERVER_SECRET, clientSecretName: CLIENT_SECRET } };
  await applyObject(cr);
  const noServer = await waitCondition(
    ns,
    NAME,
    'Stalled',
    (c) => c.status === 'True' && c.reason === 'SecretNotFound',
    60_000,
  );
  t.match(condition(noServer, 'Stalled').message, SERVER_SECRET, 'Stalled names the missing server Secret');
  t.equal(condition(noServer, 'Ready')?.status, 'False', 'not Ready while the Secret is missing');
  await applyObject(userTlsSecret(ns, SERVER_SECRET, server1));
  // The user's Secrets are not watched: the stalled pass rechecks them after a minute.
  const noClient = await waitCondition(
    ns,
    NAME,
    'Stalled',
    (c) => c.status === 'True' && String(c.message).includes(CLIENT_SECRET),
    150_000,
  );
  t.equal(condition(noClient, 'Stalled').reason, 'SecretNotFound', 'then the client Secret is named');
  await applyObject(userTlsSecret(ns, CLIENT_SECRET, ops1));

  let ready;
  try {
    ready = await waitReady(ns, NAME, 300_000);
  } catch (err) {
    t.comment(await describe(ns, NAME));
    throw err;
  }
  t.equal(condition(ready, 'NodeReachable')?.status, 'True', 'the operator reached the node over TLS');
  t.not(condition(ready, 'Stalled')?.status, 'True', 'no longer Stalled');
  const rest = (ready.status.processes as { name: string; details?: string }[]).find(
    (p) => p.name === 'REST',
  );
  t.match(rest?.details, /SSL: True/, 'status: get processes reports SSL: True');

  const sts = await getJson(['-n', ns, 'statefulset', NAME]);
  const volumes = JSON.stringify(sts.spec.template.spec.volumes);
  t.match(volumes, `"secretName":"${SERVER_SECRET}"`, 'the pod mounts the user server Secret');
  for (const issued of ['rest-ca', 'rest-tls', 'rest-client']) {
    const r = await kubectl(['-n', ns, 'get', 'secret', `${NAME}-${issued}`]);
    t.not(r.code, 0, `the operator issues no ${NAME}-${issued} Secret of its own`);
  }

  // The user calls the node with the client certificate of their Secret.
  const files1 = clientFiles(t, ops1);
  const refused = await restCurl(ns, NAME, files1, 'get status', false);
  t.not(refused.code, 0, `curl without a client certificate is refused (${refused.stderr.trim()})`);
  const status = await restCurl(ns, NAME, files1, 'get status', true);
  t.equal(status.code, 0, `curl with the user's client certificate succeeds (${status.stderr.trim()})`);
  t.match(status.stdout, /running/i, 'get status answers');
  const processes = await restCurl(ns, NAME, files1, 'get processes', true);
  t.match(processes.stdout, /SSL: True/, 'get processes over curl shows SSL: True');
  const serial1 = await waitPresented(ns, server1, ops1);
  t.pass(`the node presents the user's server certificate (serial ${serial1})`);

  // Rotation 1: a new server certificate from the same CA. The pod rolls; clients keep working.
  const roll0 = await rollState(ns);
  const server2 = await ca1.server([host]);
  remember(server2);
  await applyObject(userTlsSecret(ns, SERVER_SECRET, server2));
  const serial2 = await waitPresented(ns, server2, ops1);
  t.not(serial2, serial1, `the node presents the new server certificate (serial ${serial2})`);
  const roll1 = await rollState(ns);
  t.not(roll1.hash, roll0.hash, 'the pod template hash changed');
  t.not(roll1.podUid, roll0.podUid, 'the pod was replaced');
  await waitPasses(op, 1);
  const afterServer = await waitReady(ns, NAME, 120_000);
  t.equal(
    condition(afterServer, 'NodeReachable')?.status,
    'True',
    'Ready and reachable after the new server certificate',
  );
  t.equal(
    (await restCurl(ns, NAME, files1, 'get status', true)).code,
    0,
    'the same client certificate still works',
  );

  // The operator follows the client Secret too, without a roll: a certificate from a CA the node does not
  // trust makes the node unreachable; a good one from the user's CA brings it back.
  const stranger = await (await userCa('a CA the node does not trust')).client('anylog-operator');
  remember(stranger);
  await applyObject(userTlsSecret(ns, CLIENT_SECRET, { ...stranger, ca: ca1.cert }));
  await waitCondition(ns, NAME, 'NodeReachable', (c) => c.status === 'False', 120_000);
  t.pass('an untrusted client certificate in the client Secret makes the node unreachable');
  const ops1b = await ca1.client('anylog-operator');
  remember(ops1b);
  await applyObject(userTlsSecret(ns, CLIENT_SECRET, ops1b));
  const afterClient = await waitReady(ns, NAME, 120_000);
  t.equal(
    condition(afterClient, 'NodeReachable')?.status,
    'True',
    'reachable again with the new client certificate',
  );
  const roll2 = await rollState(ns);
  t.same(roll2, roll1, 'a new client certificate neither changes the template nor replaces the pod');

  // Rotation 2: a new CA with new server and client certificates.
  const ca2 = await userCa('user REST CA two');
  const server3 = await ca2.server([host]);
  const ops2 = await ca2.client('anylog-operator');
  remember(server3, ops2);
  await kubectlOk(['apply', '--server-side', '--field-manager=test', '--force-conflicts', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [userTlsSecret(ns, SERVER_SECRET, server3), userTlsSecret(ns, CLIENT_SECRET, ops2)],
    }),
  });
  const serial3 = await waitPresented(ns, server3, ops2);
  t.pass(`the node presents the certificate of the new CA (serial ${serial3})`);
  const roll3 = await rollState(ns);
  t.not(roll3.hash, roll2.hash, 'the pod template hash changed again');
  t.not(roll3.podUid, roll2.podUid, 'the pod was replaced again');
  await waitPasses(op, 1);
  const afterCa = await waitReady(ns, NAME, 180_000);
  t.equal(condition(afterCa, 'NodeReachable')?.status, 'True', 'Ready and reachable with the new CA');
  const files2 = clientFiles(t, ops2);
  t.equal((await restCurl(ns, NAME, files2, 'get status', true)).code, 0, 'the new client certificate works');
  const oldClient = await restCurl(ns, NAME, { ...files1, ca: files2.ca }, 'get status', true);
  t.not(oldClient.code, 0, `a client certificate of the old CA is refused (${oldClient.stderr.trim()})`);

  // Keys and certificates stay in the user's Secrets: nothing of them in the operator's objects.
  const secrets = await getJson(['-n', ns, 'secret', '--show-managed-fields']);
  const operatorSecrets = (secrets.items as { metadata: { name: string } }[]).filter(
    (s) => s.metadata.name !== SERVER_SECRET && s.metadata.name !== CLIENT_SECRET,
  );
  const userSecret = (secrets.items as { metadata: { name: string } }[]).find(
    (s) => s.metadata.name === SERVER_SECRET,
  );
  t.not(
    leakedMaterial(JSON.stringify(userSecret), [server3.key]).length,
    0,
    'the search finds the key where it belongs (the user Secret)',
  );
  for (const name of [SERVER_SECRET, CLIENT_SECRET]) {
    const secret = (secrets.items as KubeObject[]).find((s) => s.metadata.name === name);
    const managers = (secret?.metadata.managedFields as { manager: string }[] | undefined)?.map(
      (m) => m.manager,
    );
    t.same(managers, ['test'], `only the user wrote ${name}`);
    t.notOk(secret?.metadata.ownerReferences, `the operator does not take ${name} over`);
  }
  const configMaps = await getJson(['-n', ns, 'configmap']);
  const events = await getJson(['-n', ns, 'events.events.k8s.io']);
  const coreEvents = await getJson(['-n', ns, 'events']);
  const final = await getJson(['-n', ns, 'anylogmaster', NAME]);
  const places: [string, unknown][] = [
    ['the operator Secrets', operatorSecrets],
    [
      'the ConfigMaps',
      (configMaps.items as { metadata: { name: string } }[]).filter(
        (c) => c.metadata.name !== 'kube-root-ca.crt',
      ),
    ],
    ['the StatefulSet', await getJson(['-n', ns, 'statefulset', NAME])],
    ['the status', final.status],
    ['the Events', [...events.items, ...coreEvents.items]],
  ];
  for (const [where, what] of places) {
    t.same(leakedMaterial(JSON.stringify(what), material), [], `no key or certificate in ${where}`);
  }
});
