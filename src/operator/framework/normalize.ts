// Normalisation of objects entering the operator: apiVersion and kind set (list
// items lack them), managedFields stripped, metadata checked against a schema of the fields ObjectMeta
// types once, so no caller needs non-null assertions or casts. Also parses metav1.Status error bodies. Pure.
import Type from 'typebox';
import { Value } from 'typebox/value';
import { KubeApiError, apiVersionOf, type KubeObject, type ObjectMeta, type ResourceType } from './kube.js';
import { isRecord } from '../../common/is-record.js';

const Str = Type.Optional(Type.String());
const StringMap = Type.Optional(Type.Record(Type.String(), Type.String()));

/** The metadata fields ObjectMeta types, checked once; other fields pass through unchecked. */
const ObjectMetaSchema = Type.Object({
  name: Type.String(),
  namespace: Str,
  uid: Str,
  resourceVersion: Str,
  generation: Type.Optional(Type.Integer()),
  labels: StringMap,
  annotations: StringMap,
  finalizers: Type.Optional(Type.Array(Type.String())),
  ownerReferences: Type.Optional(
    Type.Array(
      Type.Object({
        apiVersion: Type.String(),
        kind: Type.String(),
        name: Type.String(),
        uid: Type.String(),
        controller: Type.Optional(Type.Boolean()),
        blockOwnerDeletion: Type.Optional(Type.Boolean()),
      }),
    ),
  ),
  deletionTimestamp: Str,
  creationTimestamp: Str,
  generateName: Str,
});

function malformed(type: ResourceType): KubeApiError {
  return new KubeApiError({ status: 0, reason: 'InvalidObject', message: `malformed ${type.kind} object` });
}

/** Returns the object with apiVersion/kind filled in and metadata.managedFields removed. */
export function normalizeObject(raw: unknown, type: ResourceType): KubeObject {
  if (!isRecord(raw) || !isRecord(raw['metadata'])) throw malformed(type);
  const metadata = Object.fromEntries(Object.entries(raw['metadata']).filter(([k]) => k !== 'managedFields'));
  if (!Value.Check(ObjectMetaSchema, metadata)) throw malformed(type);
  const narrowed: ObjectMeta = metadata;
  const apiVersion = typeof raw['apiVersion'] === 'string' ? raw['apiVersion'] : apiVersionOf(type);
  const kind = typeof raw['kind'] === 'string' ? raw['kind'] : type.kind;
  return { ...raw, apiVersion, kind, metadata: narrowed };
}

export interface StatusBody {
  readonly code?: number;
  readonly reason?: string;
  readonly message?: string;
}

/** Parses a metav1.Status from an error body; tolerant of non-JSON bodies. */
export function parseStatusBody(text: string): StatusBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text === '' ? {} : { message: text.slice(0, 512) };
  }
  if (!isRecord(parsed)) return {};
  const out: { code?: number; reason?: string; message?: string } = {};
  if (typeof parsed['code'] === 'number') out.code = parsed['code'];
  if (typeof parsed['reason'] === 'string' && parsed['reason'] !== '') out.reason = parsed['reason'];
  if (typeof parsed['message'] === 'string') out.message = parsed['message'];
  return out;
}
