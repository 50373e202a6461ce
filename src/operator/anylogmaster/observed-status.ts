// The AnyLogMaster's stored `.status`, parsed once where a pass (reconcile, cleanup, the Ready timer)
// picks the object up: every field is checked against the TypeBox status schema the CRD is generated
// from, a field or condition that does not match (written by an older operator, or edited by hand) is
// left out and named in `dropped`, so the steps and the status computation read one typed value.
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { AnyLogMasterStatusSchema, ConditionSchema } from '../../api/schema-status.js';
import type { AnyLogMasterStatus } from '../../api/types.js';
import { isRecord } from '../../common/is-record.js';
import type { ReconcileContext } from '../framework/controller.js';
import type { Condition } from '../framework/status.js';

/** The stored status as the operator reads it: conditions always present, each with reason and message. */
export interface ObservedStatus extends Omit<AnyLogMasterStatus, 'conditions'> {
  readonly conditions: readonly Condition[];
}

export interface ParsedStatus {
  readonly status: ObservedStatus;
  /** Paths under `.status` that were present but did not match the schema, so were not read. */
  readonly dropped: readonly string[];
}

/** A status with nothing recorded yet (a new object). */
export const EMPTY_STATUS: ObservedStatus = { conditions: [] };

function parseConditions(raw: unknown, dropped: string[]): Condition[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    dropped.push('conditions');
    return [];
  }
  const out: Condition[] = [];
  raw.forEach((entry: unknown, i) => {
    if (!Value.Check(ConditionSchema, entry)) {
      dropped.push(`conditions[${i}]`);
      return;
    }
    out.push({ ...entry, reason: entry.reason ?? '', message: entry.message ?? '' });
  });
  return out;
}

/** Parses a raw `.status` (any value, including none) into the typed status and what was dropped. */
export function parseStatus(raw: unknown): ParsedStatus {
  if (raw === undefined) return { status: EMPTY_STATUS, dropped: [] };
  if (!isRecord(raw)) return { status: EMPTY_STATUS, dropped: ['(not an object)'] };
  const dropped: string[] = [];
  const conditions = parseConditions(raw['conditions'], dropped);
  const fields: Record<string, unknown> = {};
  const properties: Readonly<Record<string, TSchema>> = AnyLogMasterStatusSchema.properties;
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'conditions' || value === undefined) continue;
    const schema = properties[key];
    if (schema !== undefined && Value.Check(schema, value)) fields[key] = value;
    else dropped.push(key);
  }
  // Every kept field matched its own schema, so the whole check holds; it is what types the value.
  return Value.Check(AnyLogMasterStatusSchema, fields)
    ? { status: { ...fields, conditions }, dropped }
    : { status: { conditions }, dropped: [...dropped, ...Object.keys(fields)] };
}

/** The condition of `type` in the observed status. */
export function conditionOf(status: ObservedStatus, type: string): Condition | undefined {
  return status.conditions.find((c) => c.type === type);
}

/** Parses the status of the object a handler was given, logging what had to be dropped. */
export function readStatus(ctx: Pick<ReconcileContext, 'object' | 'logger'>): ParsedStatus {
  const parsed = parseStatus(ctx.object['status']);
  if (parsed.dropped.length > 0)
    ctx.logger.info(
      { dropped: parsed.dropped },
      'stored status fields that do not match the schema are ignored',
    );
  return parsed;
}
