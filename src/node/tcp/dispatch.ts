// Execution of commands received from peers: wire text → command
// text, the peer allowlist (other known commands → 212, unknown → 1), execution through the interpreter
// with the peer's origin, and the reply to the peer's job.
import type { CommandResult, PeerOrigin } from '../ports/command.js';
import type { NodeServices } from '../ports/runtime.js';
import { fromWireText } from './wire-text.js';
import { STATUS, type StatusCode } from '../../contract/status-codes.js';

/** First words (or first two words) a peer may run. */
const ALLOWED_ONE = new Set(['get', 'event']);
const ALLOWED_TWO = new Set(['blockchain get', 'blockchain read', 'blockchain push', 'info table']);

/** First words of commands this node knows: refused from peers with 212 instead of 1. */
const KNOWN_FIRST = new Set([
  'get',
  'set',
  'run',
  'schedule',
  'task',
  'create',
  'exit',
  'print',
  'echo',
  'process',
  'wait',
  'if',
  'do',
  'else',
  'goto',
  'call',
  'return',
  'end',
  'on',
  'blockchain',
  'connect',
  'disconnect',
  'info',
  'event',
  'file',
  'trace',
  'sql',
  'help',
  'reset',
  'job',
  'system',
  'python',
  'config',
  'id',
  'test',
  'rest',
  'stop',
  'drop',
]);

const NO_CONSOLE = (): void => undefined;

/** Whether a peer may run this command text; 0 = yes, else the refusal code (212 or 1). */
export function peerPermission(text: string): StatusCode {
  const words = text.trim().split(/[ \t]+/);
  const [first = '', second = '', third = ''] = words;
  if (ALLOWED_ONE.has(first) || ALLOWED_TWO.has(`${first} ${second}`)) return STATUS.SUCCESS;
  if (first === 'blockchain' && second === 'drop' && third === 'policy') return STATUS.SUCCESS;
  return KNOWN_FIRST.has(first) ? STATUS.UNAUTHORIZED : STATUS.UNRECOGNIZED_COMMAND;
}

/** Run a peer's command (wire text) and return its result. Never throws. */
export async function executeFromPeer(
  node: NodeServices,
  wireText: string,
  origin: PeerOrigin,
): Promise<CommandResult> {
  const text = fromWireText(wireText);
  const permission = peerPermission(text);
  if (permission !== STATUS.SUCCESS) return { code: permission };
  try {
    return await node.execute(text, { source: 'tcp', assigned: false, peer: origin, console: NO_CONSOLE });
  } catch (err) {
    node.logger.error({ err, peer: `${origin.ip}:${origin.port}` }, 'peer command failed unexpectedly');
    return { code: STATUS.PROCESS_FAILURE, detail: 'Internal error' };
  }
}
