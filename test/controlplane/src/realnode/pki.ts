// Certificates between kube-apiserver and the kubelet, made with the openssl command line (Node's crypto
// cannot issue X.509 certificates): one CA, the kubelet's serving certificate for the node IP, and the
// client certificate the apiserver presents to the kubelet (in system:masters, so the kubelet's webhook
// authorisation admits `kubectl logs` and `exec`). Anonymous requests to the kubelet are refused.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface NodePki {
  readonly caCert: string;
  readonly caKey: string;
  readonly kubeletCert: string;
  readonly kubeletKey: string;
  readonly apiClientCert: string;
  readonly apiClientKey: string;
}

function openssl(args: readonly string[]): void {
  execFileSync('openssl', [...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

function issue(
  dir: string,
  name: string,
  subject: string,
  ext: string,
  ca: { cert: string; key: string },
): void {
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const extFile = join(dir, `${name}.ext`);
  writeFileSync(extFile, ext);
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]);
  openssl(['req', '-new', '-key', key, '-subj', subject, '-out', csr]);
  openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca.cert,
    '-CAkey',
    ca.key,
    '-CAcreateserial',
    '-days',
    '30',
    '-extfile',
    extFile,
    '-out',
    join(dir, `${name}.crt`),
  ]);
}

export function writeNodePki(dir: string, nodeIp: string, nodeName: string): NodePki {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caKey = join(dir, 'node-ca.key');
  const caCert = join(dir, 'node-ca.crt');
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', caKey]);
  openssl([
    'req',
    '-x509',
    '-new',
    '-key',
    caKey,
    '-subj',
    '/CN=anylog-local-node-ca',
    '-days',
    '30',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-out',
    caCert,
  ]);
  const ca = { cert: caCert, key: caKey };
  issue(
    dir,
    'kubelet',
    `/CN=system:node:${nodeName}/O=system:nodes`,
    `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:${nodeIp},DNS:${nodeName}\n`,
    ca,
  );
  issue(
    dir,
    'apiserver-kubelet-client',
    '/CN=kube-apiserver-kubelet-client/O=system:masters',
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n',
    ca,
  );
  return {
    caCert,
    caKey,
    kubeletCert: join(dir, 'kubelet.crt'),
    kubeletKey: join(dir, 'kubelet.key'),
    apiClientCert: join(dir, 'apiserver-kubelet-client.crt'),
    apiClientKey: join(dir, 'apiserver-kubelet-client.key'),
  };
}
