// What renderers receive besides the CR: effective images, the advertised
// address, the ledger endpoint and credential reference (with the Secret's resourceVersion, never its
// content) and the operator version. Everything a renderer needs that is not in the spec comes from here.
import type { EffectiveImages } from '../api/defaults.js';
import type { SslMode } from '../contract/ssl-mode.js';
import type { OperatorPods } from './networkpolicy.js';
import type { RestTlsRenderInputs } from './rest-tls.js';

/** Where the node reaches PostgreSQL (external and managed modes). */
export interface LedgerEndpoint {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly sslMode: SslMode;
}

/** The Secret holding the node's ledger role; `resourceVersion` feeds the config hash. */
export interface LedgerCredentials {
  readonly secretName: string;
  readonly usernameKey: string;
  readonly passwordKey: string;
  readonly resourceVersion: string;
}

export interface PsqlLedgerInputs {
  readonly endpoint: LedgerEndpoint;
  readonly credentials: LedgerCredentials;
}

export interface RenderInputs {
  readonly operatorVersion: string;
  readonly images: EffectiveImages;
  /** The address in the master policy and EXTERNAL_IP. */
  readonly advertisedAddress: string;
  /** Required in external and managed modes, ignored in embedded mode. */
  readonly ledger?: PsqlLedgerInputs;
  /** Who the operator is, for the node's NetworkPolicy; absent = the chart's labels in any namespace. */
  readonly operatorPods?: OperatorPods;
  /** Present when `spec.rest.tls.enabled`: the server Secret to mount and its certificate hash. */
  readonly restTls?: RestTlsRenderInputs;
}
