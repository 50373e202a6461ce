// AnyLog/EdgeLake status codes: code → text and the HTTP status the node answers
// with, served from the table in status-rows.ts (transcribed from vectors/status-codes.json; a unit test compares
// the two). Shared by the node (REST errors, TCP echo replies, script messages) and the operator's node client.
//
// Code elsewhere names a code through STATUS (or CONTROL) and never writes its number: StatusCode is a branded
// number that only those tables and asStatusCode() produce, so a bare literal does not type-check where a code is
// expected, and the `local/no-bare-status-code` lint rule rejects literals compared with a code.

import { ROWS } from './status-rows.js';

const TEXTS = new Map<number, string>(ROWS.map(([code, text]) => [code, text]));
const HTTP = new Map<number, number>(
  ROWS.flatMap(([code, , http]) => (http === undefined ? [] : [[code, http]])),
);

declare const statusBrand: unique symbol;

/** An AnyLog status code: a member of STATUS or CONTROL, or a number checked through asStatusCode(). */
export type StatusCode = number & { readonly [statusBrand]: true };

export const DEFAULT_HTTP_STATUS = 500;

/** The EdgeLake text of a status code, or `Error code <n>` for codes outside the table. */
export function statusText(code: StatusCode): string {
  return TEXTS.get(code) ?? `Error code ${code}`;
}

/** The HTTP status for a failing code (unlisted codes: 500). Code 30 is 409 only for duplicate ids (caller decides). */
export function httpStatus(code: StatusCode): number {
  return HTTP.get(code) ?? DEFAULT_HTTP_STATUS;
}

export function knownStatusCodes(): readonly StatusCode[] {
  return ROWS.map(([code]) => code as StatusCode);
}

/**
 * A number that already is a status code: received from a peer (TCP header error field, REST `err_code`) or
 * carried by an error object. Kept as is, including codes a newer EdgeLake may use that the table does not list.
 */
export function asStatusCode(code: number): StatusCode {
  return code as StatusCode;
}

/** A frozen name → code table whose members are StatusCodes. */
function named<const T extends Readonly<Record<string, number>>>(
  codes: T,
): { readonly [K in keyof T]: StatusCode } {
  return Object.freeze(codes) as unknown as { readonly [K in keyof T]: StatusCode };
}

/** Every code the project uses, by name (EdgeLake's meaning: the row of the same number in status-rows.ts). */
export const STATUS = named({
  SUCCESS: 0,
  UNRECOGNIZED_COMMAND: 1,
  COMMAND_STRUCTURE: 2,
  PROCESS_FAILURE: 3,
  WRONG_JSON: 6,
  NO_REPLY: 8,
  MISSING_BRACKETS: 11,
  FILE_NOT_FOUND: 12,
  NETWORK_ERROR: 15,
  SQL_FAILURE: 16,
  DEST_NOT_PROVIDED: 20,
  TIMEOUT: 26,
  BLOCKCHAIN_FAILED: 30,
  FILE_OPEN_FAILED: 47,
  TABLE_NOT_DECLARED: 42,
  DBMS_CONNECTION_ERROR: 49,
  DBMS_NOT_CONNECTED: 50,
  SCRIPT_ERROR: 56,
  NO_LOCAL_BLOCKCHAIN: 58,
  EMPTY_BLOCKCHAIN: 59,
  MISSING_FILE_NAME: 64,
  PULL_FAILED: 68,
  DUPLICATE_ID: 70,
  CONNECTION_ERROR: 81,
  WRONG_POLICY: 87,
  DELETE_WRONG_KEY: 101,
  WRONG_DBMS_TYPE: 104,
  SCHEDULER_NOT_ACTIVE: 105,
  NO_RESOURCES: 108,
  TABLE_NOT_LOCAL: 109,
  REST_HEADERS: 110,
  MISSING_SCRIPT: 112,
  POLICY_NOT_AVAILABLE: 113,
  TCP_NOT_RUNNING: 135,
  ALREADY_ACTIVE: 136,
  NOT_IN_COMMANDS: 141,
  SYNC_NOT_RUNNING: 150,
  POLICY_NOT_IN_FILE: 151,
  NO_DESTINATION: 155,
  WRONG_METHOD: 156,
  TASK_NOT_FOUND: 162,
  UNKNOWN_AGENT: 163,
  IF_PARSE: 181,
  WRONG_HEADER: 193,
  PEER_REFUSED: 208,
  UNAUTHORIZED: 212,
  LARGE_COMMAND: 230,
  NOT_SUPPORTED: 237,
  JSON_SEARCH_KEY: 240,
  FILE_NOT_AUTHORIZED: 294,
});

/**
 * Interpreter control codes (codes ≥ 1000): results of script statements such as `goto`, `call`, `return`,
 * `end script`, `exit scripts` and `on error …`. Internal to the interpreter; never sent to a peer or client.
 */
export const CONTROL = named({
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
});

const FIRST_CONTROL_CODE = 1000;

export function isControlCode(code: StatusCode): boolean {
  return code >= FIRST_CONTROL_CODE;
}
