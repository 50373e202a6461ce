// TypeScript types of the AnyLogMaster API, derived from the TypeBox schemas with Static<>, plus the
// resolved spec (every schema default applied) that renderers and the reconciler work with.
import type { Static } from 'typebox';
import type { SslMode } from '../contract/ssl-mode.js';
import type { AnyLogMasterSpecSchema } from './schema-spec.js';
import type { AnyLogMasterStatusSchema, ConditionSchema, ProcessSchema } from './schema-status.js';

export type AnyLogMasterSpec = Static<typeof AnyLogMasterSpecSchema>;
export type AnyLogMasterStatus = Static<typeof AnyLogMasterStatusSchema>;
export type StatusCondition = Static<typeof ConditionSchema>;
export type StatusProcess = Static<typeof ProcessSchema>;

/** Metadata fields the operator reads from a stored AnyLogMaster (narrowed once where it enters). */
export interface AnyLogMasterMetadata {
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
  readonly generation?: number;
  readonly resourceVersion?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly finalizers?: readonly string[];
  readonly deletionTimestamp?: string;
  readonly creationTimestamp?: string;
}

export interface AnyLogMaster {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: AnyLogMasterMetadata;
  readonly spec: AnyLogMasterSpec;
  readonly status?: AnyLogMasterStatus;
}

type Spec = AnyLogMasterSpec;
type Req<T> = Required<NonNullable<T>>;

export type Quantities = Readonly<Record<string, string>>;
export interface ResolvedResources {
  readonly requests?: Quantities;
  readonly limits?: Quantities;
}
export interface ResolvedStorage {
  readonly size: string;
  readonly storageClassName?: string;
}
export interface ResolvedAdvertise {
  readonly mode: 'ClusterIP' | 'LoadBalancer' | 'Overlay';
  readonly ip?: string;
}
export type ResolvedNetwork = Omit<Req<Spec['network']>, 'advertise'> & {
  readonly advertise: ResolvedAdvertise;
};
export interface ResolvedSecretRef {
  readonly name: string;
  readonly usernameKey: string;
  readonly passwordKey: string;
}
export interface ResolvedExternalLedger {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly sslMode: SslMode;
  readonly credentialsSecretRef: ResolvedSecretRef;
  readonly adminCredentialsSecretRef?: ResolvedSecretRef;
}
export interface ResolvedManagedLedger {
  readonly storage: ResolvedStorage;
  readonly image?: string;
  readonly resources: ResolvedResources;
}
export type ResolvedLedger =
  | { readonly mode: 'External'; readonly external: ResolvedExternalLedger }
  | { readonly mode: 'Managed'; readonly managed: ResolvedManagedLedger }
  | { readonly mode: 'Embedded' };

/** `spec.rest.tls` with defaults; `renewBeforeHours` is computed when absent (a third of the duration). */
export interface ResolvedRestTls {
  readonly enabled: boolean;
  readonly secretName?: string;
  readonly clientSecretName?: string;
  readonly org: string;
  readonly durationHours: number;
  readonly renewBeforeHours: number;
}

/** The spec with every schema default applied and the ledger mode made explicit. */
export interface ResolvedSpec {
  readonly nodeName: string;
  readonly company: string;
  readonly image?: string;
  readonly imagePullPolicy: 'Always' | 'IfNotPresent' | 'Never';
  readonly imagePullSecrets: readonly { readonly name: string }[];
  readonly network: ResolvedNetwork;
  readonly rest: { readonly tls: ResolvedRestTls };
  readonly ledger: ResolvedLedger;
  readonly syncIntervalSeconds: number;
  readonly location: Req<Spec['location']>;
  readonly resources: ResolvedResources;
  readonly storage: ResolvedStorage;
  readonly service: Req<Spec['service']>;
  readonly networkPolicy: Req<Spec['networkPolicy']>;
  readonly deletionPolicy: 'Retain' | 'Delete';
  readonly scheduling: Req<Spec['scheduling']>;
  readonly progressDeadlineSeconds: number;
  readonly backup?: Req<Spec['backup']>;
}

export type LedgerMode = ResolvedLedger['mode'];
