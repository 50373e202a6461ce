// The ConfigMap `<name>-config`: the node environment, named as the upstream
// deployment scripts read it, and `master.al`. Never a password or any other secret value; the
// credentials reach the pod through secretKeyRef entries rendered by statefulset.ts.
import { resolveSpec } from '../api/defaults.js';
import { configMapName } from '../api/names.js';
import type { AnyLogMaster } from '../api/types.js';
import { childMetadata } from './common.js';
import { RenderInputError } from './errors.js';
import type { RenderInputs } from './inputs.js';
import type { ConfigMap } from './k8s-types.js';
import { renderMasterScript } from './master-script.js';
import { PEM_DIR } from './rest-tls.js';

export const MASTER_SCRIPT_KEY = 'master.al';
/** Home of the node inside the container (ANYLOG_PATH). */
export const ANYLOG_PATH = '/app';

/** Environment keys that must never appear in the ConfigMap. */
export const FORBIDDEN_CONFIG_KEYS = [
  'SYNC_TIME',
  'BLOCKCHAIN_DESTINATION',
  'LICENSE_KEY',
  'DB_PASSWD',
  'DB_USER',
] as const;

/** The environment part of the ConfigMap data. */
export function renderNodeEnvironment(cr: AnyLogMaster, inputs: RenderInputs): Record<string, string> {
  const spec = resolveSpec(cr.spec);
  const { network, location } = spec;
  const overlay = network.advertise.mode === 'Overlay';
  const env: Record<string, string> = {
    NODE_TYPE: 'master',
    NODE_NAME: spec.nodeName,
    COMPANY_NAME: spec.company,
    ANYLOG_SERVER_PORT: String(network.tcpPort),
    ANYLOG_REST_PORT: String(network.restPort),
    TCP_BIND: String(overlay || network.tcpBind),
    REST_BIND: String(network.restBind),
    TCP_THREADS: String(network.tcpThreads),
    REST_THREADS: String(network.restThreads),
    REST_TIMEOUT: String(network.restTimeoutSeconds),
    OVERLAY_NETWORK: String(overlay),
    EXTERNAL_IP: inputs.advertisedAddress,
    LOCATION: location.loc,
    COUNTRY: location.country,
    STATE: location.state,
    CITY: location.city,
    DB_TYPE: spec.ledger.mode === 'Embedded' ? 'sqlite' : 'psql',
    BLOCKCHAIN_SYNC: `${spec.syncIntervalSeconds} seconds`,
    IS_HIDDEN: 'true',
    ANYLOG_PATH,
  };
  if (overlay && network.advertise.ip !== undefined) env['OVERLAY_IP'] = network.advertise.ip;
  if (spec.ledger.mode !== 'Embedded') Object.assign(env, ledgerEnvironment(inputs));
  if (spec.rest.tls.enabled) Object.assign(env, { PEM_DIR, REST_SSL_ORG: spec.rest.tls.org });
  return env;
}

function ledgerEnvironment(inputs: RenderInputs): Record<string, string> {
  if (inputs.ledger === undefined) {
    throw new RenderInputError(
      'render inputs lack the ledger endpoint required by external and managed modes',
    );
  }
  const { endpoint } = inputs.ledger;
  return {
    DB_IP: endpoint.host,
    DB_PORT: String(endpoint.port),
    DB_NAME: endpoint.database,
    DB_SSLMODE: endpoint.sslMode,
  };
}

/** ConfigMap data: the environment plus `master.al`, keys sorted for stable output. */
export function renderConfigData(cr: AnyLogMaster, inputs: RenderInputs): Record<string, string> {
  const spec = resolveSpec(cr.spec);
  const data: Record<string, string> = {
    ...renderNodeEnvironment(cr, inputs),
    [MASTER_SCRIPT_KEY]: renderMasterScript({
      source: `${cr.metadata.namespace}/${cr.metadata.name}`,
      ledgerMode: spec.ledger.mode,
      restTls: spec.rest.tls.enabled,
    }),
  };
  return Object.fromEntries(Object.entries(data).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function renderConfigMap(cr: AnyLogMaster, inputs: RenderInputs): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: childMetadata(cr, { name: configMapName(cr), operatorVersion: inputs.operatorVersion }),
    data: renderConfigData(cr, inputs),
  };
}
