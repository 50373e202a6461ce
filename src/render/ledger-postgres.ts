// Managed ledger: the PostgreSQL StatefulSet `<name>-ledger`, its client and headless
// Services, and the shape of the credential Secret. The password is an input of the Secret builder only;
// it is generated once in the apply step and never rendered into any other object.
import { resolveSpec } from '../api/defaults.js';
import { commonLabels, selectorLabels } from '../api/labels.js';
import {
  LEDGER_VOLUME,
  ledgerCredentialsSecretName,
  ledgerHeadlessServiceName,
  ledgerServiceHost,
  ledgerServiceName,
  ledgerStatefulSetName,
} from '../api/names.js';
import type { AnyLogMaster, ResolvedManagedLedger } from '../api/types.js';
import { childMetadata } from './common.js';
import type { Secret, Service, ServicePort, StatefulSet } from './k8s-types.js';
import { RenderInputError } from './errors.js';
import type { LedgerCredentials, LedgerEndpoint } from './inputs.js';
import { claimTemplate, podSecurityContext, restrictedContainerSecurity } from './pod-parts.js';

export const POSTGRES_PORT = 5432;
export const POSTGRES_UID = 999;
export const LEDGER_DATABASE = 'blockchain';
export const LEDGER_USERNAME = 'anylog';
export const SECRET_USERNAME_KEY = 'username';
export const SECRET_PASSWORD_KEY = 'password';
const PGDATA_MOUNT = '/var/lib/postgresql/data';

export interface LedgerRenderInputs {
  readonly operatorVersion: string;
  /** Effective ledger image (spec or DEFAULT_LEDGER_IMAGE). */
  readonly image: string;
}

function managedSpec(cr: AnyLogMaster): ResolvedManagedLedger {
  const { ledger } = resolveSpec(cr.spec);
  if (ledger.mode !== 'Managed')
    throw new RenderInputError(`AnyLogMaster ${cr.metadata.name} has no managed ledger`);
  return ledger.managed;
}

/** The endpoint the node uses for a managed ledger: the Service DNS name, or a pod IP (LEDGER_ADDRESSING=pod-ip). */
export function managedLedgerEndpoint(cr: AnyLogMaster, podIP?: string): LedgerEndpoint {
  return {
    host: podIP ?? ledgerServiceHost(cr),
    port: POSTGRES_PORT,
    database: LEDGER_DATABASE,
    sslMode: 'disable',
  };
}

/** The credential reference for a managed ledger; `resourceVersion` is the Secret's as observed. */
export function managedLedgerCredentials(cr: AnyLogMaster, resourceVersion: string): LedgerCredentials {
  return {
    secretName: ledgerCredentialsSecretName(cr),
    usernameKey: SECRET_USERNAME_KEY,
    passwordKey: SECRET_PASSWORD_KEY,
    resourceVersion,
  };
}

export interface LedgerSecretInputs {
  readonly operatorVersion: string;
  /** Generated in the apply step (32 random bytes, base64url); never produced here. */
  readonly password: string;
  /** False under `deletionPolicy: Retain`: the Secret outlives the CR. */
  readonly owned: boolean;
}

/** The Secret to create once with POST; its data is never applied again. */
export function renderLedgerSecret(cr: AnyLogMaster, inputs: LedgerSecretInputs): Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/basic-auth',
    metadata: childMetadata(cr, {
      name: ledgerCredentialsSecretName(cr),
      operatorVersion: inputs.operatorVersion,
      component: 'ledger',
      owned: inputs.owned,
    }),
    stringData: { [SECRET_USERNAME_KEY]: LEDGER_USERNAME, [SECRET_PASSWORD_KEY]: inputs.password },
  };
}

/** Metadata-only apply body that sets or removes the Secret's owner reference (no data). */
export function renderLedgerSecretOwnership(
  cr: AnyLogMaster,
  inputs: Omit<LedgerSecretInputs, 'password'>,
): Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: childMetadata(cr, {
      name: ledgerCredentialsSecretName(cr),
      operatorVersion: inputs.operatorVersion,
      component: 'ledger',
      owned: inputs.owned,
    }),
  };
}

const postgresPorts = (): ServicePort[] => [
  { name: 'postgres', port: POSTGRES_PORT, targetPort: 'postgres', protocol: 'TCP' },
];

/** `<name>-ledger` (ClusterIP) and `<name>-ledger-headless`. */
export function renderLedgerServices(
  cr: AnyLogMaster,
  inputs: Pick<LedgerRenderInputs, 'operatorVersion'>,
): Service[] {
  const meta = (name: string) =>
    childMetadata(cr, { name, operatorVersion: inputs.operatorVersion, component: 'ledger' });
  const selector = selectorLabels(cr, 'ledger');
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(ledgerServiceName(cr)),
      spec: { type: 'ClusterIP', selector, ports: postgresPorts() },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(ledgerHeadlessServiceName(cr)),
      spec: {
        type: 'ClusterIP',
        clusterIP: 'None',
        publishNotReadyAddresses: true,
        selector,
        ports: postgresPorts(),
      },
    },
  ];
}

/** The PostgreSQL StatefulSet, credentials from the generated Secret by reference. */
export function renderLedgerStatefulSet(cr: AnyLogMaster, inputs: LedgerRenderInputs): StatefulSet {
  const managed = managedSpec(cr);
  const spec = resolveSpec(cr.spec);
  const secret = ledgerCredentialsSecretName(cr);
  const probe = { tcpSocket: { port: 'postgres' } };
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: childMetadata(cr, {
      name: ledgerStatefulSetName(cr),
      operatorVersion: inputs.operatorVersion,
      component: 'ledger',
    }),
    spec: {
      replicas: 1,
      serviceName: ledgerHeadlessServiceName(cr),
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate' },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: spec.deletionPolicy, whenScaled: 'Retain' },
      selector: { matchLabels: selectorLabels(cr, 'ledger') },
      template: {
        metadata: { labels: commonLabels(cr, inputs.operatorVersion, 'ledger') },
        spec: {
          enableServiceLinks: false,
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: 30,
          securityContext: podSecurityContext(POSTGRES_UID),
          ...(spec.imagePullSecrets.length > 0
            ? { imagePullSecrets: spec.imagePullSecrets.map((s) => ({ name: s.name })) }
            : {}),
          containers: [
            {
              name: 'postgres',
              image: inputs.image,
              imagePullPolicy: spec.imagePullPolicy,
              ports: [{ name: 'postgres', containerPort: POSTGRES_PORT, protocol: 'TCP' }],
              env: [
                {
                  name: 'POSTGRES_USER',
                  valueFrom: { secretKeyRef: { name: secret, key: SECRET_USERNAME_KEY } },
                },
                {
                  name: 'POSTGRES_PASSWORD',
                  valueFrom: { secretKeyRef: { name: secret, key: SECRET_PASSWORD_KEY } },
                },
                { name: 'POSTGRES_DB', value: LEDGER_DATABASE },
                { name: 'PGDATA', value: `${PGDATA_MOUNT}/pgdata` },
              ],
              resources: { ...managed.resources },
              startupProbe: { ...probe, periodSeconds: 2, failureThreshold: 60 },
              readinessProbe: { ...probe, periodSeconds: 5 },
              livenessProbe: { ...probe, periodSeconds: 20, failureThreshold: 3 },
              securityContext: restrictedContainerSecurity(false),
              volumeMounts: [
                { name: LEDGER_VOLUME, mountPath: PGDATA_MOUNT },
                { name: 'run', mountPath: '/var/run/postgresql' },
              ],
            },
          ],
          volumes: [{ name: 'run', emptyDir: {} }],
        },
      },
      volumeClaimTemplates: [
        claimTemplate(cr, { name: LEDGER_VOLUME, storage: managed.storage, component: 'ledger' }),
      ],
    },
  };
}
