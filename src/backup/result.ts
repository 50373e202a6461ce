// The one-line JSON result a backup or restore run leaves as its container's termination message, so the
// operator learns time, policy count, file and checksum (or the error) from the Pod status alone, without
// reading the volume. Kubernetes keeps at most 4096 bytes of a termination message; a result stays far below.
import Type from 'typebox';
import { Compile } from 'typebox/compile';

export const RESULT_MAX_BYTES = 4096;

const ResultSchema = Type.Object({
  ok: Type.Boolean(),
  time: Type.String({ maxLength: 64 }),
  count: Type.Optional(Type.Integer({ minimum: 0 })),
  file: Type.Optional(Type.String({ maxLength: 253 })),
  checksum: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$' })),
  reason: Type.Optional(Type.String({ maxLength: 64 })),
  error: Type.Optional(Type.String({ maxLength: 1024 })),
});
const checker = Compile(ResultSchema);

export type RunResult = Type.Static<typeof ResultSchema>;

export function formatResult(result: RunResult): string {
  const error = result.error === undefined ? {} : { error: result.error.slice(0, 1024) };
  return `${JSON.stringify({ ...result, ...error })}\n`;
}

/** The result in a termination message, or undefined when the text is not one. */
export function parseResult(text: string | undefined): RunResult | undefined {
  if (text === undefined) return undefined;
  const line = text.trim().split('\n').pop() ?? '';
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  return checker.Check(value) ? value : undefined;
}
