// `run client <dest> <command …>`: sends the command's wire text to each
// destination. Without assignment nobody waits (replies go to the console); `x = run client …` and REST
// `destination` wait for every reply or the timeout and answer the aggregated text, or 208 / 26 errors.
import {
  fail,
  ok,
  type CommandDef,
  type CommandResult,
  type ExecContext,
  type Invocation,
} from '../../ports/command.js';
import type { NodeServices } from '../../ports/runtime.js';
import type { PeerReply } from '../../ports/network.js';
import { STATUS, asStatusCode, type StatusCode } from '../../../contract/status-codes.js';
import { aggregateReplies } from './aggregate.js';
import { parseDestinations, type Destinations } from './destinations.js';

export const DEFAULT_TIMEOUT_SECONDS = 20;

/** Join words for the wire: spaces inside a word become TABs; JSON words travel unchanged. */
export function wireText(words: readonly string[]): string {
  return words.map((w) => (w.startsWith('{') || !w.includes(' ') ? w : w.replaceAll(' ', '\t'))).join(' ');
}

function statusOf(err: unknown): { status: StatusCode; detail: string } | undefined {
  const e = err as { status?: unknown; detail?: unknown };
  return typeof e.status === 'number' && typeof e.detail === 'string'
    ? { status: asStatusCode(e.status), detail: e.detail }
    : undefined;
}

function judge(replies: readonly PeerReply[], subset: boolean): CommandResult | undefined {
  if (subset) return undefined;
  const refused = replies.find((r) => r.kind === 'unreachable');
  if (refused !== undefined) return fail(STATUS.PEER_REFUSED, refused.text);
  const silent = replies.filter((r) => r.kind === 'timeout').map((r) => r.destination);
  if (silent.length > 0) return fail(STATUS.TIMEOUT, `No reply from: ${silent.join(', ')}`);
  return undefined;
}

async function send(
  node: NodeServices,
  dest: Destinations,
  text: string,
  ctx: ExecContext,
): Promise<CommandResult> {
  const wait = ctx.assigned;
  const timeoutMs = (dest.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
  let replies: PeerReply[];
  try {
    replies = await node.peers.sendCommand(dest.addresses, text, {
      wait,
      timeoutMs,
      ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
    });
  } catch (err) {
    const s = statusOf(err);
    if (s === undefined) throw err;
    return fail(s.status, s.detail);
  }
  const error = judge(replies, dest.subset);
  if (error !== undefined) return error;
  return wait ? ok(aggregateReplies(replies)) : ok();
}

export const runClient: CommandDef = {
  key: 'run client',
  async run(inv: Invocation, ctx: ExecContext, node: NodeServices): Promise<CommandResult> {
    if (inv.words.length < 4) return fail(STATUS.COMMAND_STRUCTURE);
    const parsed = await parseDestinations(node, inv.words, ctx);
    if (!parsed.ok) return parsed.error;
    const command = inv.words.slice(parsed.value.commandStart);
    if (command.length === 0) return fail(STATUS.COMMAND_STRUCTURE);
    if (node.tcp.info() === undefined) return fail(STATUS.TCP_NOT_RUNNING);
    return send(node, parsed.value, wireText(command), ctx);
  },
};
