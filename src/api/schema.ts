// The AnyLogMaster API in one place: identity, the TypeBox schema of the whole object
// (spec, status, the C11 name rule at the root) and the printer columns. crd.ts turns this into the
// generated CRD; validate.ts checks objects against it; types.ts derives the TypeScript types from it.
import Type from 'typebox';
import { celValidations } from './cel-rules.js';
import { AnyLogMasterSpecSchema } from './schema-spec.js';
import { AnyLogMasterStatusSchema } from './schema-status.js';

export { AnyLogMasterSpecSchema } from './schema-spec.js';
export { AnyLogMasterStatusSchema } from './schema-status.js';

export const API_GROUP = 'anylog.co';
export const API_VERSION = 'v1alpha1';
export const API_GROUP_VERSION = `${API_GROUP}/${API_VERSION}`;

/** CRD identity. */
export const ANYLOG_MASTER_RESOURCE = {
  group: API_GROUP,
  version: API_VERSION,
  kind: 'AnyLogMaster',
  listKind: 'AnyLogMasterList',
  plural: 'anylogmasters',
  singular: 'anylogmaster',
  shortNames: ['alm'],
  categories: ['anylog'],
  namespaced: true,
} as const;

/** The object as the apiserver sees it; `metadata` is open (only the name is constrained, by C11). */
export const AnyLogMasterSchema = Type.Object(
  {
    apiVersion: Type.Optional(Type.String({ maxLength: 253, description: 'anylog.co/v1alpha1' })),
    kind: Type.Optional(Type.String({ maxLength: 253, description: 'AnyLogMaster' })),
    metadata: Type.Optional(
      Type.Object(
        { name: Type.Optional(Type.String({ maxLength: 253 })) },
        { description: 'standard object metadata' },
      ),
    ),
    spec: AnyLogMasterSpecSchema,
    status: Type.Optional(AnyLogMasterStatusSchema),
  },
  {
    additionalProperties: false,
    description: 'An AnyLog master node with its ledger database, Kubernetes objects and master policy.',
    'x-kubernetes-validations': celValidations('C11'),
  },
);

export interface PrinterColumn {
  readonly name: string;
  readonly jsonPath: string;
  readonly type: 'string' | 'date' | 'integer';
  readonly priority: number;
  readonly description: string;
}

/** `kubectl get` columns. */
export const PRINTER_COLUMNS: readonly PrinterColumn[] = [
  {
    name: 'Ready',
    jsonPath: '.status.conditions[?(@.type=="Ready")].status',
    type: 'string',
    priority: 0,
    description: 'Ready condition',
  },
  { name: 'Phase', jsonPath: '.status.phase', type: 'string', priority: 0, description: 'summary phase' },
  { name: 'Node', jsonPath: '.spec.nodeName', type: 'string', priority: 0, description: 'AnyLog node name' },
  {
    name: 'Ledger',
    jsonPath: '.status.ledger.mode',
    type: 'string',
    priority: 0,
    description: 'ledger mode',
  },
  {
    name: 'Address',
    jsonPath: '.status.advertisedAddress',
    type: 'string',
    priority: 1,
    description: 'advertised address',
  },
  {
    name: 'Policy',
    jsonPath: '.status.policyId',
    type: 'string',
    priority: 1,
    description: 'master policy id',
  },
  { name: 'Age', jsonPath: '.metadata.creationTimestamp', type: 'date', priority: 0, description: 'age' },
];
