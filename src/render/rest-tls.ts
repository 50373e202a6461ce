// REST TLS pieces of the node pod: the Secret layout (`tls.crt`, `tls.key`, `ca.crt`, as cert-manager
// writes it), the file names AnyLog reads from its pem directory for `ssl = true`, and the Secret bodies
// the operator applies when it issues certificates. Pure: certificate material comes in as PEM text.
import type { AnyLogMaster } from '../api/types.js';
import { childMetadata } from './common.js';
import type { KeyToPath, Secret } from './k8s-types.js';

export const TLS_CERT_KEY = 'tls.crt';
export const TLS_KEY_KEY = 'tls.key';
export const TLS_CA_KEY = 'ca.crt';
/** Where the server Secret is mounted; the boot script points `pem_dir` at it. */
export const PEM_DIR = '/etc/anylog/pem';
export const REST_TLS_VOLUME = 'rest-tls';

/** What renderers need when TLS is on: which Secret to mount, the org, and a hash of the certificates. */
export interface RestTlsRenderInputs {
  readonly secretName: string;
  readonly org: string;
  /** Hash of the server certificate and CA (never the key); a change rolls the pod. */
  readonly certificateHash: string;
}

/** The three files `run rest server ... ssl = true and ca_org = <org> and server_org = <org>` reads. */
export function pemFileNames(org: string): { cert: string; key: string; ca: string } {
  return {
    cert: `server-${org}-public-key.crt`,
    key: `server-${org}-private-key.key`,
    ca: `ca-${org}-public-key.crt`,
  };
}

/** Secret keys → pem file names, for the volume's `items`. */
export function pemItems(org: string): KeyToPath[] {
  const files = pemFileNames(org);
  return [
    { key: TLS_CERT_KEY, path: files.cert },
    { key: TLS_KEY_KEY, path: files.key },
    { key: TLS_CA_KEY, path: files.ca },
  ];
}

export interface TlsSecretInputs {
  readonly name: string;
  readonly operatorVersion: string;
  readonly certPem: string;
  readonly keyPem: string;
  /** Absent for the CA's own Secret. */
  readonly caPem?: string;
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** A `kubernetes.io/tls` Secret owned by the CR. */
export function renderTlsSecret(cr: AnyLogMaster, inputs: TlsSecretInputs): Secret {
  const data: Record<string, string> = {
    [TLS_CERT_KEY]: b64(inputs.certPem),
    [TLS_KEY_KEY]: b64(inputs.keyPem),
  };
  if (inputs.caPem !== undefined) data[TLS_CA_KEY] = b64(inputs.caPem);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: childMetadata(cr, { name: inputs.name, operatorVersion: inputs.operatorVersion }),
    data,
  };
}
