// REST TLS end to end on the real control plane with a real anylog-node process: the operator issues the
// CA, server and client certificates, the master reaches Ready over mutual TLS, curl without a client
// certificate is refused and with the issued one gets `get status`, `get processes` reports SSL: True,
// and deleting the server Secret issues a new certificate, rolls the pod and keeps the master Ready.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import t from 'tap';
import { getJson, kubectl, kubectlOk, run, testNamespace, waitUntil } from '../../../helpers/cluster.js';
import { applyObject, condition, describe, ensureCrd, sample, startOperator, waitReady } from './harness.js';

const NAME = 'master';
const PORT = 32049;

const pemOf = (secret: { data: Record<string, string> }, key: string): string =>
  Buffer.from(secret.data[key] ?? '', 'base64').toString('utf8');

/** The fingerprint of the certificate the node presents (the client certificate makes the handshake succeed). */
async function presentedFingerprint(ip: string, ca: string, cert: string, key: string): Promise<string> {
  const socket = tls.connect({ host: ip, port: PORT, ca, cert, key, rejectUnauthorized: false });
  try {
    await once(socket, 'secureConnect');
    return socket.getPeerCertificate().fingerprint256;
  } finally {
    socket.destroy();
  }
}

const fingerprintOf = (pem: string): string =>
  (
    createHash('sha256')
      .update(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'))
      .digest('hex')
      .toUpperCase()
      .match(/../g) ?? []
  ).join(':');

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
  for (const name of [`${NAME}-rest-ca`, `${NAME}-rest-tls`, `${NAME}-rest-client`]) {
    const secret = await getJson(['-n', ns, 'secret', name]);
    t.equal(secret.type, 'kubernetes.io/tls', `${name} is kubernetes.io/tls`);
    t.equal(secret.metadata.ownerReferences?.[0]?.uid, uid, `${name} is owned by the CR`);
  }
  const cm = await getJson(['-n', ns, 'configmap', `${NAME}-config`]);
  t.notMatch(
    JSON.stringify(cm.data),
    /PRIVATE KEY|BEGIN CERTIFICATE/,
    'no certificate or key in the ConfigMap',
  );
  t.notMatch(JSON.stringify(ready.status), /PRIVATE KEY/, 'no key in status');

  const client = await getJson(['-n', ns, 'secret', `${NAME}-rest-client`]);
  const dir = mkdtempSync(join(tmpdir(), 'alm-tls-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const files = { cert: join(dir, 'tls.crt'), key: join(dir, 'tls.key'), ca: join(dir, 'ca.crt') };
  writeFileSync(files.cert, pemOf(client, 'tls.crt'));
  writeFileSync(files.key, pemOf(client, 'tls.key'), { mode: 0o600 });
  writeFileSync(files.ca, pemOf(client, 'ca.crt'));

  const podIP = async (): Promise<string> =>
    (await getJson(['-n', ns, 'pod', `${NAME}-0`])).status.podIP as string;
  const host = `${NAME}-0.${NAME}-headless.${ns}.svc`;
  const curl = async (withCert: boolean, command: string) => {
    const ip = await podIP();
    return run('curl', [
      '-sS',
      '--max-time',
      '10',
      '--resolve',
      `${host}:${PORT}:${ip}`,
      '--cacert',
      files.ca,
      ...(withCert ? ['--cert', files.cert, '--key', files.key] : []),
      '-H',
      'User-Agent: AnyLog/1.23',
      '-H',
      `command: ${command}`,
      `https://${host}:${PORT}/`,
    ]);
  };
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
  t.notMatch(JSON.stringify(notes), /PRIVATE KEY/, 'no key in events');

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
  const key = pemOf(client, 'tls.key');
  const cert = pemOf(client, 'tls.crt');
  const ca = pemOf(client, 'ca.crt');
  await waitUntil(
    'the node presents the new certificate',
    async () => {
      try {
        const fp = await presentedFingerprint(await podIP(), ca, cert, key);
        return fp === fingerprintOf(after) ? fp : undefined;
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
});
