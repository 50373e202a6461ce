// REST TLS end to end on the real control plane with a real anylog-node process: the operator issues the
// CA, server and client certificates, the master reaches Ready over mutual TLS, curl without a client
// certificate is refused and with the issued one gets `get status`, `get processes` reports SSL: True,
// and deleting the server Secret issues a new certificate, rolls the pod and keeps the master Ready.
import { X509Certificate } from 'node:crypto';
import t from 'tap';
import { getJson, kubectl, kubectlOk, testNamespace, waitUntil } from '../../../helpers/cluster.js';
import { applyObject, condition, describe, ensureCrd, sample, startOperator, waitReady } from './harness.js';
import {
  clientFiles,
  clientPemsOf,
  fingerprintOf,
  leakedMaterial,
  pemOf,
  podIP,
  presentedCertificate,
  restCurl,
} from '../../../helpers/rest-tls.js';

// Three pod rolls take longer than tap's default file timeout.
t.setTimeout(600_000);

const NAME = 'master';

t.test('an AnyLogMaster with rest.tls is Ready over mutual TLS and survives a rotation', async (t) => {
  const ns = await testNamespace(t, 'alm-tls');
  await ensureCrd();
  await startOperator(t, ns);
  const cr = sample('anylogmaster-embedded.yaml', NAME, ns) as { spec: Record<string, unknown> };
  cr.spec['rest'] = { tls: { enabled: true } };
  await applyObject(cr);
  let ready;
  try {
    ready = await waitReady(ns, NAME, 240_000);
  } catch (err) {
    t.comment(await describe(ns, NAME));
    throw err;
  }
  t.equal(condition(ready, 'NodeReachable')?.status, 'True', 'the operator reached the node over TLS');
  const rest = (ready.status.processes as { name: string; details?: string }[]).find(
    (p) => p.name === 'REST',
  );
  t.match(rest?.details, /SSL: True/, 'get processes reports SSL: True');

  const uid = ready.metadata.uid as string;
  /** The issued keys and certificates, which must appear nowhere but in their Secrets. */
  const material: string[] = [];
  for (const name of [`${NAME}-rest-ca`, `${NAME}-rest-tls`, `${NAME}-rest-client`]) {
    const secret = await getJson(['-n', ns, 'secret', name]);
    t.equal(secret.type, 'kubernetes.io/tls', `${name} is kubernetes.io/tls`);
    t.equal(secret.metadata.ownerReferences?.[0]?.uid, uid, `${name} is owned by the CR`);
    material.push(pemOf(secret, 'tls.key'), pemOf(secret, 'tls.crt'));
  }
  const cm = await getJson(['-n', ns, 'configmap', `${NAME}-config`]);
  t.same(leakedMaterial(JSON.stringify(cm), material), [], 'no certificate or key in the ConfigMap');
  t.same(leakedMaterial(JSON.stringify(ready.status), material), [], 'no certificate or key in status');

  const client = await getJson(['-n', ns, 'secret', `${NAME}-rest-client`]);
  const pems = clientPemsOf(client);
  const files = clientFiles(t, pems);
  const curl = (withCert: boolean, command: string) => restCurl(ns, NAME, files, command, withCert);
  const refused = await curl(false, 'get status');
  t.not(refused.code, 0, `curl without a client certificate is refused (${refused.stderr.trim()})`);
  const status = await curl(true, 'get status');
  t.equal(status.code, 0, `curl with the issued client certificate succeeds (${status.stderr.trim()})`);
  t.match(status.stdout, /running/i, 'get status answers');
  const processes = await curl(true, 'get processes');
  t.match(processes.stdout, /SSL: True/, 'get processes over curl shows SSL: True');

  const events = await getJson(['-n', ns, 'events.events.k8s.io']);
  const notes = (events.items as { reason: string; note?: string }[]).filter((e) =>
    e.reason.startsWith('Certificate'),
  );
  t.ok(
    notes.some((e) => e.reason === 'CertificateIssued'),
    'CertificateIssued event',
  );
  t.same(leakedMaterial(JSON.stringify(events.items), material), [], 'no certificate or key in Events');

  // Rotation: the server Secret is deleted; the operator issues a new one and rolls the pod.
  const before = pemOf(await getJson(['-n', ns, 'secret', `${NAME}-rest-tls`]), 'tls.crt');
  await kubectlOk(['-n', ns, 'delete', 'secret', `${NAME}-rest-tls`]);
  const after = await waitUntil(
    'a new server certificate',
    async () => {
      const r = await kubectl(['-n', ns, 'get', 'secret', `${NAME}-rest-tls`, '-o', 'json']);
      if (r.code !== 0) return undefined;
      const pem = pemOf(JSON.parse(r.stdout), 'tls.crt');
      return pem !== '' && pem !== before ? pem : undefined;
    },
    60_000,
    500,
  );
  await waitUntil(
    'the node presents the new certificate',
    async () => {
      try {
        const peer = await presentedCertificate(await podIP(ns, NAME), pems);
        return peer.fingerprint256 === fingerprintOf(after) ? peer : undefined;
      } catch {
        return undefined;
      }
    },
    180_000,
    1000,
  );
  const again = await waitReady(ns, NAME, 120_000);
  t.equal(condition(again, 'Ready')?.status, 'True', 'Ready after the rotation');
  t.equal(condition(again, 'NodeReachable')?.status, 'True');
  const statusAfter = await curl(true, 'get status');
  t.equal(statusAfter.code, 0, 'the same client certificate works after the rotation');
  // Events of one reason within ten minutes share one Event whose series counts them: the CA, server and
  // client issues plus the re-issue after the deletion make four.
  const renewedEvents = await getJson(['-n', ns, 'events.events.k8s.io']);
  const issued = (renewedEvents.items as { reason: string; series?: { count: number } }[]).find(
    (e) => e.reason === 'CertificateIssued',
  );
  t.ok((issued?.series?.count ?? 1) >= 4, `the re-issue is counted (series ${issued?.series?.count})`);

  // Scheduled renewal without waiting weeks: a longer lifetime whose renewBeforeHours exceeds what the held
  // leaves have left makes both due on the next pass, by the same expiry rule that fires at two thirds of
  // their life. The CA, valid for ten years, is not due.
  const leaf = async (suffix: string) =>
    pemOf(await getJson(['-n', ns, 'secret', `${NAME}-${suffix}`]), 'tls.crt');
  const caBefore = await leaf('rest-ca');
  const serverBefore = await leaf('rest-tls');
  cr.spec['rest'] = { tls: { enabled: true, durationHours: 4320, renewBeforeHours: 4319 } };
  await applyObject(cr);
  const renewed = await waitUntil(
    'the server and client certificates renewed',
    async () => {
      const server = await leaf('rest-tls');
      const clientCert = await leaf('rest-client');
      return server !== serverBefore && clientCert !== pems.cert ? { server, client: clientCert } : undefined;
    },
    60_000,
    500,
  );
  const hoursLeft = (pem: string) => (Date.parse(new X509Certificate(pem).validTo) - Date.now()) / 3_600_000;
  t.ok(
    hoursLeft(renewed.server) > 4300,
    `the new server certificate has the new lifetime (${hoursLeft(renewed.server)} h)`,
  );
  t.ok(hoursLeft(renewed.client) > 4300, 'the new client certificate has the new lifetime');
  t.equal(await leaf('rest-ca'), caBefore, 'the CA is kept');
  const renewal = await waitUntil(
    'a CertificateRenewed Event',
    async () =>
      ((await getJson(['-n', ns, 'events.events.k8s.io'])).items as { reason: string; note?: string }[]).find(
        (e) => e.reason === 'CertificateRenewed',
      ),
    30_000,
    500,
  );
  t.match(renewal.note, /renewed \(expiring\)/, `the renewal is reported as due to expiry (${renewal.note})`);
  await waitUntil(
    'the node presents the renewed certificate',
    async () => {
      try {
        const peer = await presentedCertificate(await podIP(ns, NAME), pems);
        return peer.fingerprint256 === fingerprintOf(renewed.server) ? peer : undefined;
      } catch {
        return undefined;
      }
    },
    180_000,
    1000,
  );
  const afterRenewal = await waitReady(ns, NAME, 120_000);
  t.equal(condition(afterRenewal, 'NodeReachable')?.status, 'True', 'Ready and reachable after the renewal');
  t.equal((await curl(true, 'get status')).code, 0, 'a client certificate of the same CA keeps working');
});
