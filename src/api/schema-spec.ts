// TypeBox schema of AnyLogMaster `.spec`: types, limits, patterns, defaults and CEL.
// Objects are closed (`additionalProperties: false`) so the operator's own validation rejects unknown
// fields like the apiserver's strict decoding; crd.ts strips that key when it emits the structural schema.
import Type from 'typebox';
import { SSL_MODES } from '../contract/ssl-mode.js';
import { celValidations } from './cel-rules.js';
import { BackupSchema, RestoreFromSchema } from './schema-backup.js';
import { NetworkPolicySpecSchema } from './schema-networkpolicy.js';
import { RestSchema } from './schema-rest.js';
import {
  COMPANY_PATTERN,
  DATABASE_PATTERN,
  DNS_SUBDOMAIN_PATTERN,
  LOCATION_PATTERN,
  NODE_NAME_PATTERN,
  SECRET_KEY_PATTERN,
} from './patterns.js';

const closed = { additionalProperties: false } as const;
const XV = 'x-kubernetes-validations';

const Quantity = (description: string, def?: string) =>
  Type.String({
    maxLength: 64,
    description,
    [XV]: celValidations('C13'),
    ...(def === undefined ? {} : { default: def }),
  });

const QuantityMap = (description: string) =>
  Type.Record(Type.String({ maxLength: 253 }), Quantity('a positive Kubernetes quantity'), {
    maxProperties: 16,
    description,
  });

const Resources = (description: string, def: Record<string, Record<string, string>>) =>
  Type.Object(
    {
      requests: Type.Optional(QuantityMap('minimum resources (cpu, memory, …)')),
      limits: Type.Optional(QuantityMap('maximum resources (cpu, memory, …)')),
    },
    { ...closed, description, default: def },
  );

const ObjectName = (description: string) =>
  Type.String({ minLength: 1, maxLength: 253, pattern: DNS_SUBDOMAIN_PATTERN, description });

const SecretRef = (description: string) =>
  Type.Object(
    {
      name: ObjectName('name of a Secret in the namespace of the AnyLogMaster'),
      usernameKey: Type.Optional(
        Type.String({
          minLength: 1,
          maxLength: 253,
          pattern: SECRET_KEY_PATTERN,
          default: 'username',
          description: 'key holding the user name',
        }),
      ),
      passwordKey: Type.Optional(
        Type.String({
          minLength: 1,
          maxLength: 253,
          pattern: SECRET_KEY_PATTERN,
          default: 'password',
          description: 'key holding the password',
        }),
      ),
    },
    { ...closed, description },
  );

const Port = (description: string, def: number, min = 1024) =>
  Type.Integer({ minimum: min, maximum: 65535, default: def, description });

const Threads = (description: string) => Type.Integer({ minimum: 1, maximum: 64, default: 6, description });

export const AdvertiseSchema = Type.Object(
  {
    mode: Type.Optional(
      Type.Enum(['ClusterIP', 'LoadBalancer', 'Overlay'], {
        default: 'ClusterIP',
        description:
          'how the advertised address is chosen: client Service cluster IP, load-balancer IP, or overlay IP',
      }),
    ),
    ip: Type.Optional(
      Type.String({
        maxLength: 45,
        description: 'overlay IPv4 address; required when, and only allowed when, mode is Overlay',
        [XV]: celValidations('C9'),
      }),
    ),
  },
  {
    ...closed,
    default: {},
    description:
      'the address written into the master policy: the client Service cluster IP (default), its load-balancer IP, or an overlay IP; it does not depend on the pod, so a pod restart never creates a new master policy',
    [XV]: celValidations('C7', 'C8'),
  },
);

export const NetworkSchema = Type.Object(
  {
    tcpPort: Type.Optional(Port('TCP port of the peer protocol (ANYLOG_SERVER_PORT)', 32048)),
    restPort: Type.Optional(Port('REST API port (ANYLOG_REST_PORT)', 32049)),
    tcpBind: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'listen on the internal IP only; forced true in Overlay mode',
      }),
    ),
    restBind: Type.Optional(
      Type.Boolean({ default: false, description: 'REST server listens on the internal IP only' }),
    ),
    tcpThreads: Type.Optional(Threads('TCP worker threads')),
    restThreads: Type.Optional(Threads('REST worker threads')),
    restTimeoutSeconds: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 3600,
        default: 30,
        description: 'REST timeout for peer replies; 0 = none',
      }),
    ),
    advertise: Type.Optional(AdvertiseSchema),
  },
  {
    ...closed,
    default: {},
    description: 'node ports, threads and advertised address',
    [XV]: celValidations('C6'),
  },
);

const StorageSchema = (description: string) =>
  Type.Object(
    {
      size: Type.Optional(Quantity('volume size', '1Gi')),
      storageClassName: Type.Optional(ObjectName('storage class; absent = the cluster default class')),
    },
    { ...closed, default: {}, description, [XV]: celValidations('C5') },
  );

export const ExternalLedgerSchema = Type.Object(
  {
    host: Type.String({ minLength: 1, maxLength: 253, description: 'PostgreSQL host name or IP' }),
    port: Type.Optional(Port('PostgreSQL port', 5432, 1)),
    database: Type.Optional(
      Type.String({
        maxLength: 63,
        pattern: DATABASE_PATTERN,
        default: 'blockchain',
        description: 'physical PostgreSQL database behind the logical database `blockchain`; immutable',
        [XV]: celValidations('C12', 'C4'),
      }),
    ),
    sslMode: Type.Optional(
      Type.Enum(SSL_MODES, {
        default: 'require',
        description: 'TLS mode of the connection',
      }),
    ),
    credentialsSecretRef: SecretRef('Secret with the role the node uses'),
    adminCredentialsSecretRef: Type.Optional(
      SecretRef('optional Secret with an admin role that may create the role and the database'),
    ),
  },
  { ...closed, description: 'an existing PostgreSQL server' },
);

export const ManagedLedgerSchema = Type.Object(
  {
    storage: Type.Optional(StorageSchema('PostgreSQL volume claim template; immutable')),
    image: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 512,
        description: 'PostgreSQL image; default from the operator setting DEFAULT_LEDGER_IMAGE',
      }),
    ),
    resources: Type.Optional(
      Resources('PostgreSQL container resources', {
        requests: { cpu: '100m', memory: '256Mi' },
        limits: { memory: '512Mi' },
      }),
    ),
  },
  { ...closed, description: 'a single PostgreSQL instance run by the operator' },
);

export const LedgerSchema = Type.Object(
  {
    external: Type.Optional(ExternalLedgerSchema),
    managed: Type.Optional(ManagedLedgerSchema),
    embedded: Type.Optional(
      Type.Object({}, { ...closed, description: 'SQLite on the node volume (marker object)' }),
    ),
    restoreFrom: Type.Optional(RestoreFromSchema),
  },
  {
    ...closed,
    default: { embedded: {} },
    description: 'where the ledger lives: exactly one of external, managed, embedded',
    [XV]: celValidations('C1', 'C2'),
  },
);

const Toleration = Type.Object(
  {
    key: Type.Optional(Type.String({ maxLength: 316 })),
    operator: Type.Optional(Type.Enum(['Exists', 'Equal'])),
    value: Type.Optional(Type.String({ maxLength: 63 })),
    effect: Type.Optional(Type.Enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute'])),
    tolerationSeconds: Type.Optional(Type.Integer()),
  },
  { ...closed, description: 'as core/v1 Toleration' },
);

export const SchedulingSchema = Type.Object(
  {
    nodeSelector: Type.Optional(
      Type.Record(Type.String({ maxLength: 317 }), Type.String({ maxLength: 63 }), {
        maxProperties: 32,
        default: {},
        description: 'node labels the pod must match',
      }),
    ),
    tolerations: Type.Optional(
      Type.Array(Toleration, {
        maxItems: 32,
        default: [],
        'x-kubernetes-list-type': 'atomic',
        description: 'pod tolerations',
      }),
    ),
    affinity: Type.Optional(
      Type.Unsafe<Record<string, unknown>>({
        type: 'object',
        default: {},
        'x-kubernetes-preserve-unknown-fields': true,
        description: 'core/v1 Affinity, validated by the apiserver when the StatefulSet is applied',
      }),
    ),
    priorityClassName: Type.Optional(
      Type.String({ maxLength: 253, default: '', description: 'pod priority class' }),
    ),
  },
  { ...closed, default: {}, description: 'pod scheduling' },
);

const LocationText = (description: string) =>
  Type.String({ minLength: 1, maxLength: 64, pattern: COMPANY_PATTERN, default: 'Unknown', description });

export const LocationSchema = Type.Object(
  {
    loc: Type.Optional(
      Type.String({
        maxLength: 64,
        pattern: LOCATION_PATTERN,
        default: '0.0, 0.0',
        description: '"lat, long" of the policy',
      }),
    ),
    country: Type.Optional(LocationText('policy country')),
    state: Type.Optional(LocationText('policy state')),
    city: Type.Optional(LocationText('policy city')),
  },
  { ...closed, default: {}, description: 'location in the master policy; never looked up on the internet' },
);

export const ServiceSchema = Type.Object(
  {
    type: Type.Optional(
      Type.Enum(['ClusterIP', 'NodePort', 'LoadBalancer'], {
        default: 'ClusterIP',
        description: 'client Service type',
      }),
    ),
    annotations: Type.Optional(
      Type.Record(Type.String({ maxLength: 317 }), Type.String({ maxLength: 4096 }), {
        maxProperties: 32,
        default: {},
        description: 'client Service annotations',
      }),
    ),
    loadBalancerSourceRanges: Type.Optional(
      Type.Array(Type.String({ maxLength: 64, [XV]: celValidations('CIDR') }), {
        maxItems: 32,
        default: [],
        'x-kubernetes-list-type': 'atomic',
        description: 'CIDRs allowed to reach a LoadBalancer Service',
      }),
    ),
  },
  { ...closed, default: {}, description: 'the client Service' },
);

export const AnyLogMasterSpecSchema = Type.Object(
  {
    nodeName: Type.String({
      minLength: 1,
      maxLength: 63,
      pattern: NODE_NAME_PATTERN,
      description: 'policy `name`; immutable',
      [XV]: celValidations('C3'),
    }),
    company: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: COMPANY_PATTERN,
      description:
        'policy `company`; words of letters, digits and . _ - , & ( ) separated by single spaces; immutable',
      [XV]: celValidations('C3'),
    }),
    image: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 512,
        description: 'node image providing `anylog-node`; default from DEFAULT_NODE_IMAGE',
      }),
    ),
    imagePullPolicy: Type.Optional(
      Type.Enum(['Always', 'IfNotPresent', 'Never'], {
        default: 'IfNotPresent',
        description: 'node image pull policy',
      }),
    ),
    imagePullSecrets: Type.Optional(
      Type.Array(Type.Object({ name: ObjectName('Secret name') }, closed), {
        maxItems: 8,
        default: [],
        'x-kubernetes-list-type': 'atomic',
        description: 'pull secrets for the node and ledger images',
      }),
    ),
    network: Type.Optional(NetworkSchema),
    rest: Type.Optional(RestSchema),
    ledger: Type.Optional(LedgerSchema),
    syncIntervalSeconds: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 86400,
        default: 30,
        description: 'period of `run blockchain sync` (BLOCKCHAIN_SYNC)',
      }),
    ),
    location: Type.Optional(LocationSchema),
    resources: Type.Optional(
      Resources('node container resources', {
        requests: { cpu: '100m', memory: '128Mi' },
        limits: { memory: '512Mi' },
      }),
    ),
    storage: Type.Optional(StorageSchema('node volume claim template; immutable')),
    service: Type.Optional(ServiceSchema),
    networkPolicy: Type.Optional(NetworkPolicySpecSchema),
    deletionPolicy: Type.Optional(
      Type.Enum(['Retain', 'Delete'], {
        default: 'Retain',
        description:
          'what deleting the AnyLogMaster removes: Retain keeps the node and ledger volumes, the ledger Secret, the master policy and any external database; Delete removes them (an external database or role only if the operator created it)',
      }),
    ),
    scheduling: Type.Optional(SchedulingSchema),
    backup: Type.Optional(BackupSchema),
    progressDeadlineSeconds: Type.Optional(
      Type.Integer({
        minimum: 60,
        maximum: 86400,
        default: 600,
        description: 'Reconciling longer than this becomes Stalled',
      }),
    ),
  },
  { ...closed, description: 'desired state of an AnyLog master node', [XV]: celValidations('C10') },
);
