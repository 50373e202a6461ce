// PURE reply rules of the TCP protocol: a command's result → the reply message
// (print / echo / nothing), and a received reply message → the text stored for the waiting job.
import type { CommandResult } from '../ports/command.js';
import { statusText, STATUS, type StatusCode } from '../../contract/status-codes.js';

export const INFO_REQUEST = 6;
export const INFO_REPLY = 4;
export const INFO_BLOCKCHAIN_FAILURE = 2;
export const INFO_FILE = 0;

/** GENERIC flag of `echo` replies: EdgeLake leaves it 0. */
export const GENERIC_ECHO = 0;
export const GENERIC_TEXT = 1;
export const GENERIC_JSON = 2;

/** A reply to send: command, data, ERROR, INFO_TYPE, GENERIC flag. */
export interface ReplyMessage {
  readonly command: string;
  readonly data: string;
  readonly error: StatusCode;
  readonly infoType: number;
  readonly generic: number;
}

/** Rule: text starting with `{` or `[` is JSON. */
export function isJsonText(text: string): boolean {
  return text.startsWith('{') || text.startsWith('[');
}

function firstWords(text: string): string[] {
  return text.trim().split(/[ \t]+/, 2);
}

/** True when the command asks for JSON output (`… format = json`), the replies EdgeLake flags as JSON. */
export function asksForJson(commandText: string): boolean {
  return /(^|[ \t])format[ \t]*=[ \t]*json([ \t]|$)/.test(commandText);
}

/**
 * GENERIC flag of a `print` reply: 2 only for JSON text answering a command
 * that asked for JSON, else 1. A relaying EdgeLake node prints every other answer as `[From Node …]` text.
 */
export function printFlag(commandText: string, text: string): number {
  return asksForJson(commandText) && isJsonText(text) ? GENERIC_JSON : GENERIC_TEXT;
}

/** Commands EdgeLake runs for a peer without answering, whatever their result (`event <unknown>`). */
export function isSilentCommand(commandText: string): boolean {
  const [first, second = ''] = firstWords(commandText);
  return first === 'event' && !KNOWN_EVENTS.has(second);
}

const KNOWN_EVENTS = new Set(['get_blockchain', 'metadata_ping', 'metadata_pong']);

/** The reply for `result` of executing `commandText` from a peer, or undefined when nothing is sent. */
export function buildReply(
  commandText: string,
  result: CommandResult,
  jobId: number,
): ReplyMessage | undefined {
  if (isSilentCommand(commandText)) return undefined;
  const base = { error: result.code, infoType: INFO_REPLY, generic: GENERIC_ECHO };
  if (result.code === STATUS.SUCCESS) {
    const text = result.text ?? '';
    if (text !== '') return { ...base, command: 'print', data: text, generic: printFlag(commandText, text) };
    return jobId === 0 ? undefined : { ...base, command: 'echo', data: '' };
  }
  if (result.code === STATUS.UNRECOGNIZED_COMMAND) {
    return { ...base, command: `echo Command '${commandText.trim()}' not recognized`, data: '' };
  }
  const [first, second] = firstWords(commandText);
  if (first === 'blockchain') {
    return {
      ...base,
      command: `echo Blockchain message '${second ?? ''}' failed`,
      data: result.detail ?? statusText(result.code),
      infoType: INFO_BLOCKCHAIN_FAILURE,
    };
  }
  const detail = result.detail === undefined || result.detail === '' ? '' : `: ${result.detail}`;
  return { ...base, command: 'echo', data: `${statusText(result.code)}${detail}` };
}

/** Text of a received `print`/`echo` message: for `echo <message>` the words after echo, then the data. */
export function replyText(command: string, data: string): string {
  const trimmed = command.trim();
  if (trimmed === 'print' || trimmed === 'echo' || trimmed.length < 5) return data;
  const message = trimmed.slice(5).trim().replaceAll('\t', ' ');
  if (message === '') return data;
  return data === '' ? message : `${message}: ${data}`;
}

/** True when the command text is a reply (`print` / `echo`). */
export function isReplyCommand(command: string): boolean {
  const first = firstWords(command)[0];
  return first === 'print' || first === 'echo';
}
