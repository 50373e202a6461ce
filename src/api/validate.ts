// Validation of AnyLogMaster objects by the operator and by the `validate`
// subcommand: schema defaults applied as the apiserver would, then the TypeBox schema and the TypeScript
// twins of the CEL rules. Returns every problem; `assertValid` throws one InvalidSpecError listing them.
import Type from 'typebox';
import { Value } from 'typebox/value';
import { AppError } from '../common/errors.js';
import { checkName, checkSpec } from './cel-twins.js';
import { schemaProblems, type ValidationProblem } from './schema-errors.js';
import {
  ANYLOG_MASTER_RESOURCE,
  API_GROUP_VERSION,
  AnyLogMasterSchema,
  AnyLogMasterStatusSchema,
} from './schema.js';
import type { AnyLogMasterSpec } from './types.js';
import { isRecord } from '../common/is-record.js';

export type { ValidationProblem } from './schema-errors.js';

export interface ValidationResult {
  readonly ok: boolean;
  readonly problems: readonly ValidationProblem[];
  /** The object with schema defaults applied (what the apiserver would store). */
  readonly defaulted: unknown;
}

/** Thrown when a spec fails validation; the reconciler maps it to Stalled/InvalidSpec. */
export class InvalidSpecError extends AppError {
  readonly problems: readonly ValidationProblem[];
  constructor(problems: readonly ValidationProblem[]) {
    super('ERR_CR_INVALID', `invalid AnyLogMaster:\n  - ${problems.map((p) => p.message).join('\n  - ')}`, {
      retryable: false,
    });
    this.problems = problems;
  }
}

/**
 * Validate an AnyLogMaster object: apiVersion, kind, name (C11) and spec. `status` is ignored: it is the
 * operator's own output, and a status written by an older operator must never make a spec invalid.
 */
export function validateAnyLogMaster(object: unknown): ValidationResult {
  if (!isRecord(object)) {
    return {
      ok: false,
      problems: [{ path: '', message: 'an AnyLogMaster must be an object' }],
      defaulted: object,
    };
  }
  const { status: _status, ...withoutStatus } = object;
  const defaulted = Value.Default(AnyLogMasterSchema, structuredClone(withoutStatus)) as Record<
    string,
    unknown
  >;
  const problems = [
    ...identityProblems(defaulted),
    ...checkName(defaulted),
    ...schemaProblems(AnyLogMasterSchema, defaulted),
    ...(isRecord(defaulted['spec']) ? checkSpec(defaulted['spec']) : []),
  ];
  return { ok: problems.length === 0, problems, defaulted };
}

function identityProblems(object: Record<string, unknown>): ValidationProblem[] {
  const out: ValidationProblem[] = [];
  if (object['apiVersion'] !== undefined && object['apiVersion'] !== API_GROUP_VERSION) {
    out.push({
      path: 'apiVersion',
      message: `apiVersion: Unsupported value: ${JSON.stringify(object['apiVersion'])}: supported values: "${API_GROUP_VERSION}"`,
    });
  }
  if (object['kind'] !== undefined && object['kind'] !== ANYLOG_MASTER_RESOURCE.kind) {
    out.push({
      path: 'kind',
      message: `kind: Unsupported value: ${JSON.stringify(object['kind'])}: supported values: "${ANYLOG_MASTER_RESOURCE.kind}"`,
    });
  }
  return out;
}

/** Validate a stored object's spec and return it typed; throws InvalidSpecError with every problem. */
export function assertValidAnyLogMaster(object: unknown): AnyLogMasterSpec {
  const result = validateAnyLogMaster(object);
  if (!result.ok) throw new InvalidSpecError(result.problems);
  return (object as { spec: AnyLogMasterSpec }).spec;
}

const StatusOnly = Type.Object({ status: AnyLogMasterStatusSchema });

/** Problems of a status the operator is about to write (tests of the status builder use it). */
export function statusProblems(status: unknown): readonly ValidationProblem[] {
  return schemaProblems(StatusOnly, { status });
}
