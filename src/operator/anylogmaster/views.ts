// Typed views of the child objects the AnyLogMaster controller reads (StatefulSet, Pod, Service,
// Secret, and the Pods of the backup and restore Jobs): small TypeBox schemas of just the fields the operator looks at, checked once where an object
// leaves the cache or the API. Schemas are open (other fields pass through untouched); a top-level part
// (metadata, status, ...) whose read fields have the wrong types is read as empty, the most cautious reading.
import Type, { type Static, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { isRecord } from '../../common/is-record.js';

const Str = Type.Optional(Type.String());
const Int = Type.Optional(Type.Integer());

const StatefulSetViewSchema = Type.Object({
  metadata: Type.Object({ generation: Int }),
  status: Type.Optional(
    Type.Object({
      observedGeneration: Int,
      updatedReplicas: Int,
      readyReplicas: Int,
      currentReplicas: Int,
      currentRevision: Str,
      updateRevision: Str,
    }),
  ),
});

const PodViewSchema = Type.Object({
  metadata: Type.Object({
    deletionTimestamp: Str,
    labels: Type.Optional(Type.Record(Type.String(), Type.String())),
  }),
  status: Type.Optional(
    Type.Object({
      podIP: Str,
      conditions: Type.Optional(Type.Array(Type.Object({ type: Type.String(), status: Type.String() }))),
    }),
  ),
});

const ServiceViewSchema = Type.Object({
  spec: Type.Optional(Type.Object({ clusterIP: Str })),
  status: Type.Optional(
    Type.Object({
      loadBalancer: Type.Optional(
        Type.Object({ ingress: Type.Optional(Type.Array(Type.Object({ ip: Str, hostname: Str }))) }),
      ),
    }),
  ),
});

const SecretViewSchema = Type.Object({
  metadata: Type.Object({ name: Type.String() }),
  data: Type.Optional(Type.Record(Type.String(), Type.String())),
});

/** A backup or restore Job Pod: its phase and the terminated state of its containers. */
const BatchPodViewSchema = Type.Object({
  status: Type.Optional(
    Type.Object({
      phase: Str,
      reason: Str,
      message: Str,
      containerStatuses: Type.Optional(
        Type.Array(
          Type.Object({
            name: Type.String(),
            state: Type.Optional(
              Type.Object({
                terminated: Type.Optional(
                  Type.Object({ reason: Str, message: Str, finishedAt: Str, exitCode: Int }),
                ),
              }),
            ),
          }),
        ),
      ),
    }),
  ),
});

export type StatefulSetView = Static<typeof StatefulSetViewSchema>;
export type PodView = Static<typeof PodViewSchema>;
export type ServiceView = Static<typeof ServiceViewSchema>;
export type SecretView = Static<typeof SecretViewSchema>;
export type BatchPodView = Static<typeof BatchPodViewSchema>;

/**
 * `object` as the schema's view: whole when it matches; otherwise each top-level part that matches on
 * its own is kept and the rest is left out, so one malformed field does not hide the others.
 */
function viewOf<S extends ReturnType<typeof Type.Object>>(schema: S, object: unknown): Static<S> | undefined {
  if (object === undefined || object === null) return undefined;
  if (Value.Check(schema, object)) return object;
  const source = isRecord(object) ? object : {};
  const properties: Readonly<Record<string, TSchema>> = schema.properties;
  const kept = Object.fromEntries(
    Object.entries(properties).flatMap(([key, part]) => {
      const value = source[key];
      if (Value.Check(part, value)) return value === undefined ? [] : [[key, value]];
      // A malformed part is read as empty when its schema allows that (every read field is optional).
      return Value.Check(part, {}) ? [[key, {}]] : [];
    }),
  );
  return Value.Check(schema, kept) ? kept : undefined;
}

export const statefulSetView = (o: unknown): StatefulSetView | undefined => viewOf(StatefulSetViewSchema, o);
export const podView = (o: unknown): PodView | undefined => viewOf(PodViewSchema, o);
export const serviceView = (o: unknown): ServiceView | undefined => viewOf(ServiceViewSchema, o);
export const secretView = (o: unknown): SecretView | undefined => viewOf(SecretViewSchema, o);
export const batchPodView = (o: unknown): BatchPodView | undefined => viewOf(BatchPodViewSchema, o);

/** The pod reports condition Ready=True. */
export function podIsReady(pod: PodView): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}
