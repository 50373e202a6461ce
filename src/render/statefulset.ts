// The node StatefulSet `<name>`: one replica running `anylog-node` with the rendered
// script, environment from the ConfigMap plus downward-API and Secret entries, sub-path mounts of one
// `data` claim, probes, a restricted security context and the config hash on the pod template.
import { resolveSpec } from '../api/defaults.js';
import { ANNOTATION_CONFIG_HASH, commonLabels, selectorLabels } from '../api/labels.js';
import { DATA_VOLUME, configMapName, headlessServiceName, nodeStatefulSetName } from '../api/names.js';
import type { AnyLogMaster, ResolvedSpec } from '../api/types.js';
import { stableHash } from '../common/hash.js';
import { childMetadata } from './common.js';
import { ANYLOG_PATH, MASTER_SCRIPT_KEY, renderConfigData } from './configmap.js';
import { RenderInputError } from './errors.js';
import type { LedgerCredentials, RenderInputs } from './inputs.js';
import type { Container, EnvVar, PodSpec, Probe, StatefulSet, Volume, VolumeMount } from './k8s-types.js';
import { PEM_DIR, REST_TLS_VOLUME, pemItems, type RestTlsRenderInputs } from './rest-tls.js';
import { REST_PORT_NAME, TCP_PORT_NAME } from './services.js';
import { claimTemplate, podSecurityContext, restrictedContainerSecurity } from './pod-parts.js';

export const NODE_CONTAINER = 'anylog-node';
export const SCRIPTS_DIR = '/etc/anylog/scripts';
export const NODE_UID = 10001;
const HOME = `${ANYLOG_PATH}/AnyLog-Network`;

/** Sub-paths of the `data` claim. */
export const DATA_MOUNTS = [
  { subPath: 'anylog', mountPath: `${HOME}/anylog` },
  { subPath: 'blockchain', mountPath: `${HOME}/blockchain` },
  { subPath: 'data', mountPath: `${HOME}/data` },
] as const;

/**
 * Hash of the ConfigMap data plus the credential Secret's name and resourceVersion (never its content)
 * and, with REST TLS, the server Secret's name and certificate hash (never the key).
 */
export function computeConfigHash(
  configData: Readonly<Record<string, string>>,
  credentials?: LedgerCredentials,
  restTls?: RestTlsRenderInputs,
): string {
  const secret =
    credentials === undefined
      ? null
      : { name: credentials.secretName, resourceVersion: credentials.resourceVersion };
  const tls =
    restTls === undefined ? undefined : { name: restTls.secretName, certificates: restTls.certificateHash };
  return stableHash({ data: configData, secret, tls });
}

const fieldEnv = (name: string, fieldPath: string): EnvVar => ({
  name,
  valueFrom: { fieldRef: { fieldPath } },
});
const secretEnv = (name: string, secret: string, key: string): EnvVar => ({
  name,
  valueFrom: { secretKeyRef: { name: secret, key } },
});

function explicitEnv(spec: ResolvedSpec, inputs: RenderInputs): EnvVar[] {
  const env = [
    fieldEnv('INTERNAL_IP', 'status.podIP'),
    fieldEnv('POD_IP', 'status.podIP'),
    fieldEnv('POD_NAME', 'metadata.name'),
  ];
  if (spec.ledger.mode === 'Embedded') return env;
  if (inputs.ledger === undefined) throw new RenderInputError('render inputs lack the ledger credentials');
  const c = inputs.ledger.credentials;
  return [
    ...env,
    secretEnv('DB_USER', c.secretName, c.usernameKey),
    secretEnv('DB_PASSWD', c.secretName, c.passwordKey),
  ];
}

/**
 * Plain REST is probed with `get status`. With TLS the REST port demands a client certificate, which the
 * kubelet's httpGet cannot present, and an exec probe would need an HTTPS client in the image; so the
 * probe checks that the port accepts connections, and the operator's own `get status` over mutual TLS
 * on every pass (NodeReachable) checks the answers.
 */
function readinessProbe(tls: boolean): Probe {
  if (tls) return { tcpSocket: { port: REST_PORT_NAME }, periodSeconds: 10 };
  return {
    httpGet: {
      path: '/',
      port: REST_PORT_NAME,
      httpHeaders: [
        { name: 'User-Agent', value: 'AnyLog/1.23' },
        { name: 'command', value: 'get status' },
      ],
    },
    periodSeconds: 10,
  };
}

function nodeContainer(cr: AnyLogMaster, spec: ResolvedSpec, inputs: RenderInputs): Container {
  const { tcpPort, restPort } = spec.network;
  const mounts: VolumeMount[] = [
    { name: 'scripts', mountPath: SCRIPTS_DIR, readOnly: true },
    ...DATA_MOUNTS.map((m) => ({ name: DATA_VOLUME, mountPath: m.mountPath, subPath: m.subPath })),
    { name: 'tmp', mountPath: '/tmp' },
  ];
  if (spec.rest.tls.enabled) mounts.push({ name: REST_TLS_VOLUME, mountPath: PEM_DIR, readOnly: true });
  return {
    name: NODE_CONTAINER,
    image: inputs.images.node,
    imagePullPolicy: spec.imagePullPolicy,
    command: ['anylog-node', `${SCRIPTS_DIR}/${MASTER_SCRIPT_KEY}`],
    ports: [
      { name: TCP_PORT_NAME, containerPort: tcpPort, protocol: 'TCP' },
      { name: REST_PORT_NAME, containerPort: restPort, protocol: 'TCP' },
    ],
    envFrom: [{ configMapRef: { name: configMapName(cr) } }],
    env: explicitEnv(spec, inputs),
    resources: { ...spec.resources },
    startupProbe: { tcpSocket: { port: REST_PORT_NAME }, periodSeconds: 2, failureThreshold: 60 },
    readinessProbe: readinessProbe(spec.rest.tls.enabled),
    livenessProbe: { tcpSocket: { port: TCP_PORT_NAME }, periodSeconds: 20, failureThreshold: 3 },
    securityContext: restrictedContainerSecurity(),
    volumeMounts: mounts,
  };
}

/** The server Secret mounted with the file names AnyLog reads; group-readable for the node's fsGroup. */
function restTlsVolume(spec: ResolvedSpec, inputs: RenderInputs): Volume[] {
  if (!spec.rest.tls.enabled) return [];
  if (inputs.restTls === undefined) throw new RenderInputError('render inputs lack the REST TLS Secret');
  return [
    {
      name: REST_TLS_VOLUME,
      secret: {
        secretName: inputs.restTls.secretName,
        items: pemItems(spec.rest.tls.org),
        defaultMode: 0o440,
      },
    },
  ];
}

function volumes(cr: AnyLogMaster, spec: ResolvedSpec, inputs: RenderInputs): Volume[] {
  return [
    {
      name: 'scripts',
      configMap: {
        name: configMapName(cr),
        items: [{ key: MASTER_SCRIPT_KEY, path: MASTER_SCRIPT_KEY }],
        defaultMode: 0o444,
      },
    },
    { name: 'tmp', emptyDir: {} },
    ...restTlsVolume(spec, inputs),
  ];
}

function podSpec(cr: AnyLogMaster, spec: ResolvedSpec, inputs: RenderInputs): PodSpec {
  const { scheduling } = spec;
  const pod: PodSpec = {
    enableServiceLinks: false,
    automountServiceAccountToken: false,
    terminationGracePeriodSeconds: 30,
    securityContext: podSecurityContext(NODE_UID),
    containers: [nodeContainer(cr, spec, inputs)],
    volumes: volumes(cr, spec, inputs),
  };
  if (spec.imagePullSecrets.length > 0)
    pod.imagePullSecrets = spec.imagePullSecrets.map((s) => ({ name: s.name }));
  if (Object.keys(scheduling.nodeSelector).length > 0) pod.nodeSelector = { ...scheduling.nodeSelector };
  if (scheduling.tolerations.length > 0) pod.tolerations = scheduling.tolerations.map((t) => ({ ...t }));
  if (Object.keys(scheduling.affinity).length > 0) pod.affinity = structuredClone(scheduling.affinity);
  if (scheduling.priorityClassName !== '') pod.priorityClassName = scheduling.priorityClassName;
  return pod;
}

/** The node StatefulSet; its pod template carries the config hash so a config change rolls the pod. */
export function renderNodeStatefulSet(cr: AnyLogMaster, inputs: RenderInputs): StatefulSet {
  const spec = resolveSpec(cr.spec);
  const hash = computeConfigHash(
    renderConfigData(cr, inputs),
    spec.ledger.mode === 'Embedded' ? undefined : inputs.ledger?.credentials,
    spec.rest.tls.enabled ? inputs.restTls : undefined,
  );
  const retention = spec.deletionPolicy === 'Delete' ? 'Delete' : 'Retain';
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: childMetadata(cr, { name: nodeStatefulSetName(cr), operatorVersion: inputs.operatorVersion }),
    spec: {
      replicas: 1,
      serviceName: headlessServiceName(cr),
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate' },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: retention, whenScaled: 'Retain' },
      selector: { matchLabels: selectorLabels(cr) },
      template: {
        metadata: {
          labels: commonLabels(cr, inputs.operatorVersion),
          annotations: { [ANNOTATION_CONFIG_HASH]: hash },
        },
        spec: podSpec(cr, spec, inputs),
      },
      volumeClaimTemplates: [
        claimTemplate(cr, { name: DATA_VOLUME, storage: spec.storage, component: 'master' }),
      ],
    },
  };
}
