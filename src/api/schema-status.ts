// TypeBox schema of AnyLogMaster `.status`: conditions and processes are list-maps,
// messages are capped, and nothing here can hold a secret or a per-poll timestamp.
// The operator writes it with server-side apply; the CRD carries it so `kubectl` shows typed status.
import Type from 'typebox';

const closed = { additionalProperties: false } as const;

const Text = (maxLength: number, description: string) => Type.String({ maxLength, description });

export const ConditionSchema = Type.Object(
  {
    type: Type.String({ minLength: 1, maxLength: 316, description: 'condition type' }),
    status: Type.Enum(['True', 'False', 'Unknown'], { description: 'condition status' }),
    observedGeneration: Type.Optional(
      Type.Integer({ minimum: 0, description: 'generation the condition was computed for' }),
    ),
    lastTransitionTime: Type.Optional(Text(64, 'RFC 3339 time of the last status change')),
    reason: Type.Optional(Text(1024, 'PascalCase reason')),
    message: Type.Optional(Text(1024, 'human-readable detail')),
  },
  { ...closed, description: 'a status condition' },
);

export const ProcessSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 128, description: 'process name as the node reports it' }),
    status: Type.String({ maxLength: 128, description: 'process status, such as Running or Not declared' }),
    details: Type.Optional(Text(1024, 'process details')),
  },
  { ...closed, description: 'one row of `get processes`' },
);

/** Every ledger mode, in the order the CRD lists them; metrics walk it to drop a deleted object's series. */
export const LEDGER_MODES = ['External', 'Managed', 'Embedded'] as const;

export const LedgerStatusSchema = Type.Object(
  {
    mode: Type.Enum(LEDGER_MODES, { description: 'ledger mode in use' }),
    host: Type.Optional(Text(253, 'PostgreSQL host the node uses')),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'PostgreSQL port' })),
    database: Type.Optional(Text(63, 'physical database')),
    secretName: Type.Optional(Text(253, 'credential Secret name (never a value)')),
    createdByOperator: Type.Optional(
      Type.Object(
        {
          database: Type.Optional(Type.Boolean({ description: 'the operator created the database' })),
          role: Type.Optional(Type.Boolean({ description: 'the operator created the role' })),
        },
        { ...closed, description: 'what this operator created in an external PostgreSQL' },
      ),
    ),
  },
  { ...closed, description: 'the ledger in use' },
);

const Sha256 = Type.String({
  maxLength: 64,
  pattern: '^[0-9a-f]{64}$',
  description: 'SHA-256 of the file, hex',
});
const BackupFile = Text(253, 'backup file name on the claim');

export const BackupStatusSchema = Type.Object(
  {
    lastSuccessTime: Type.Optional(Text(64, 'RFC 3339 time of the last successful backup')),
    policyCount: Type.Optional(Type.Integer({ minimum: 0, description: 'policies in the last backup' })),
    file: Type.Optional(BackupFile),
    checksum: Type.Optional(Sha256),
    lastFailureTime: Type.Optional(Text(64, 'RFC 3339 time of the last failed backup')),
    lastError: Type.Optional(Text(1024, 'error of the last failed backup, cleared by a success')),
  },
  { ...closed, description: 'the scheduled ledger backup, from the backup Jobs' },
);

export const RestoreStatusSchema = Type.Object(
  {
    file: BackupFile,
    policyCount: Type.Optional(Type.Integer({ minimum: 0, description: 'policies loaded' })),
    completionTime: Type.Optional(Text(64, 'RFC 3339 time the restore finished')),
  },
  { ...closed, description: 'the backup this master was started from' },
);

export const AnyLogMasterStatusSchema = Type.Object(
  {
    observedGeneration: Type.Optional(
      Type.Integer({ minimum: 0, description: 'generation last brought to a terminal outcome' }),
    ),
    phase: Type.Optional(
      Type.Enum(['Pending', 'Provisioning', 'Running', 'Degraded', 'Failed', 'Terminating'], {
        description: 'human summary of the conditions',
      }),
    ),
    conditions: Type.Optional(
      Type.Array(ConditionSchema, {
        maxItems: 16,
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['type'],
        description:
          'Ready, Reconciling, Stalled, LedgerReady, NodeReachable, PolicyPosted, ProcessesHealthy, BackupHealthy',
      }),
    ),
    advertisedAddress: Type.Optional(Text(64, 'the address written into the master policy')),
    endpoints: Type.Optional(
      Type.Object(
        {
          tcp: Type.Optional(Text(128, 'ip:port of the peer protocol')),
          rest: Type.Optional(Text(128, 'ip:port of the REST API')),
        },
        { ...closed, description: 'advertised endpoints' },
      ),
    ),
    policyId: Type.Optional(
      Type.String({ maxLength: 32, pattern: '^[0-9a-f]{32}$', description: 'id of the master policy' }),
    ),
    ledger: Type.Optional(LedgerStatusSchema),
    images: Type.Optional(
      Type.Object(
        {
          node: Type.Optional(Text(512, 'effective node image')),
          ledger: Type.Optional(Text(512, 'effective ledger image')),
        },
        { ...closed, description: 'effective images' },
      ),
    ),
    processes: Type.Optional(
      Type.Array(ProcessSchema, {
        maxItems: 64,
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        description: 'node processes, in the order the node reports them',
      }),
    ),
    backup: Type.Optional(BackupStatusSchema),
    restore: Type.Optional(RestoreStatusSchema),
  },
  { ...closed, description: 'observed state, written by the operator' },
);
