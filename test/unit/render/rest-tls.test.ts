// Rendering with spec.rest.tls: the server Secret mounted under AnyLog's file names, the boot script's
// TLS clause, the probe choice, and the pod template hash following the certificate but not the key.
import t from 'tap';
import type { AnyLogMaster } from '../../../src/api/types.js';
import {
  PEM_DIR,
  renderConfigMap,
  renderNodeStatefulSet,
  renderTlsSecret,
  type RestTlsRenderInputs,
} from '../../../src/render/index.js';
import { ANNOTATION_CONFIG_HASH } from '../../../src/api/labels.js';
import { crFromSample, inputsFor } from './helpers.js';

function withTls(tls: Record<string, unknown>): AnyLogMaster {
  const cr = crFromSample('embedded');
  return { ...cr, spec: { ...cr.spec, rest: { tls } } };
}

const restTls: RestTlsRenderInputs = { secretName: 'master-rest-tls', org: 'acme', certificateHash: 'h1' };

t.test('the server Secret is mounted at the pem directory with the AnyLog file names', async (t) => {
  const cr = withTls({ enabled: true, org: 'acme' });
  const sts = renderNodeStatefulSet(cr, inputsFor(cr, { restTls }));
  const pod = sts.spec.template.spec;
  const volume = pod.volumes.find((v) => v.name === 'rest-tls');
  t.same(volume?.secret, {
    secretName: 'master-rest-tls',
    items: [
      { key: 'tls.crt', path: 'server-acme-public-key.crt' },
      { key: 'tls.key', path: 'server-acme-private-key.key' },
      { key: 'ca.crt', path: 'ca-acme-public-key.crt' },
    ],
    defaultMode: 0o440,
  });
  const container = pod.containers[0];
  t.same(
    container?.volumeMounts.find((m) => m.name === 'rest-tls'),
    { name: 'rest-tls', mountPath: PEM_DIR, readOnly: true },
  );
  t.same(container?.readinessProbe, { tcpSocket: { port: 'rest' }, periodSeconds: 10 }, 'tcpSocket');
});

t.test('the ConfigMap names the pem directory and org; the script adds the TLS clause', async (t) => {
  const cr = withTls({ enabled: true, org: 'acme' });
  const cm = renderConfigMap(cr, inputsFor(cr, { restTls }));
  t.equal(cm.data['PEM_DIR'], PEM_DIR);
  t.equal(cm.data['REST_SSL_ORG'], 'acme');
  const script = cm.data['master.al'] ?? '';
  t.match(script, /pem_dir = \$PEM_DIR/);
  t.match(
    script,
    /timeout = !rest_timeout and\n\s+ssl = true and ca_org = !rest_ssl_org and server_org = !rest_ssl_org>/,
  );
  t.notMatch(JSON.stringify(cm), /PRIVATE KEY|BEGIN CERTIFICATE/);
});

t.test('without TLS nothing changes: no pem entries, the httpGet probe, the same hash', async (t) => {
  const cr = crFromSample('embedded');
  const off = withTls({ enabled: false, org: 'acme' });
  const plain = renderNodeStatefulSet(cr, inputsFor(cr));
  const disabled = renderNodeStatefulSet(off, inputsFor(off, { restTls }));
  t.notOk(plain.spec.template.spec.volumes.some((v) => v.name === 'rest-tls'));
  t.ok(plain.spec.template.spec.containers[0]?.readinessProbe.httpGet);
  t.equal(
    disabled.spec.template.metadata.annotations?.[ANNOTATION_CONFIG_HASH],
    plain.spec.template.metadata.annotations?.[ANNOTATION_CONFIG_HASH],
    'turning TLS off restores the plain pod template',
  );
  const cm = renderConfigMap(cr, inputsFor(cr));
  t.equal(cm.data['PEM_DIR'], undefined);
  t.notMatch(cm.data['master.al'] ?? '', /ssl = true/);
});

t.test('a new certificate changes the pod template hash', async (t) => {
  const cr = withTls({ enabled: true });
  const hash = (h: string) =>
    renderNodeStatefulSet(cr, inputsFor(cr, { restTls: { ...restTls, org: 'anylog', certificateHash: h } }))
      .spec.template.metadata.annotations?.[ANNOTATION_CONFIG_HASH];
  t.equal(hash('a'), hash('a'));
  t.not(hash('a'), hash('b'));
  t.throws(() => renderNodeStatefulSet(cr, inputsFor(cr)), /REST TLS Secret/);
});

t.test('an issued Secret is kubernetes.io/tls, owned by the CR, with base64 PEM data', async (t) => {
  const cr = crFromSample('embedded');
  const s = renderTlsSecret(cr, {
    name: 'master-rest-client',
    operatorVersion: '0.1.0',
    certPem: 'CERT',
    keyPem: 'KEY',
    caPem: 'CA',
  });
  t.equal(s.type, 'kubernetes.io/tls');
  t.equal(s.metadata.ownerReferences?.[0]?.uid, cr.metadata.uid);
  t.same(s.data, {
    'tls.crt': Buffer.from('CERT').toString('base64'),
    'tls.key': Buffer.from('KEY').toString('base64'),
    'ca.crt': Buffer.from('CA').toString('base64'),
  });
});
