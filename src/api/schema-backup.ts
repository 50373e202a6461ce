// TypeBox schema of the ledger backup fields of AnyLogMaster `.spec`: `backup` (schedule, retention, claim)
// and `ledger.restoreFrom` (claim and file). Kept apart from schema-spec.ts, which composes them.
import Type from 'typebox';
import { DNS_SUBDOMAIN_PATTERN } from './patterns.js';

const closed = { additionalProperties: false } as const;

const ObjectName = (description: string) =>
  Type.String({ minLength: 1, maxLength: 253, pattern: DNS_SUBDOMAIN_PATTERN, description });

const FileName = (description: string) =>
  Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', description });

export const RestoreFromSchema = Type.Object(
  {
    claimName: ObjectName('PersistentVolumeClaim holding the backup, mounted read-only by the restore Job'),
    file: FileName(
      'backup file name, such as `master-20260101T000000Z.json.gz`; its `.sha256` must sit beside it',
    ),
  },
  {
    ...closed,
    description:
      'start a new master from a backup: its policies are loaded, ids unchanged, before the operator posts the master policy',
  },
);

export const BackupSchema = Type.Object(
  {
    schedule: Type.String({
      minLength: 9,
      maxLength: 128,
      description: 'CronJob schedule of the backup, five cron fields (such as `0 * * * *`)',
    }),
    retention: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1000, default: 7, description: 'backups kept on the claim' }),
    ),
    claimName: ObjectName('PersistentVolumeClaim the backups are written to'),
  },
  {
    ...closed,
    description:
      'scheduled backup of the ledger: a CronJob reads every policy over REST and writes a gzip JSON file with a SHA-256 file beside it',
  },
);
