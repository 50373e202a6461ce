// Interpreter control codes (docs/design/node-runtime.md §12, codes ≥ 1000): results of script statements such as
// `goto`, `call`, `return`, `end script`, `exit scripts` and `on error …`. Internal only; never sent.
export const CONTROL = Object.freeze({
  CALL: 1001,
  GOTO: 1002,
  END_SCRIPT: 1003,
  RETURN: 1004,
  ON_ERROR_IGNORE: 1009,
  ON_ERROR_GOTO: 1010,
  ON_ERROR_CALL: 1011,
  ON_ERROR_END: 1012,
  ELSE_IGNORED: 1013,
  DO_IGNORED: 1014,
  EXIT_SCRIPTS: 1017,
} as const);

export function isControlCode(code: number): boolean {
  return code >= 1000;
}
