// The REST method check (anylog-node.md §5.4): key = first two words when they form a listed key, else
// the first word; `get`-like commands need GET, `print`/`wait`/`sql` accept both, everything else POST.

const GET_ONLY = new Set(['get', 'blockchain get', 'blockchain read', 'help']);
const BOTH = new Set(['print', 'wait', 'sql']);
const TWO_WORD_KEYS = new Set(['blockchain get', 'blockchain read', 'blockchain drop']);

/** Allowed methods for a header command. */
export function allowedMethods(command: string): readonly ('GET' | 'POST')[] {
  const words = command.trim().split(/\s+/, 2);
  const two = `${words[0] ?? ''} ${words[1] ?? ''}`;
  const key = TWO_WORD_KEYS.has(two) ? two : (words[0] ?? '');
  if (GET_ONLY.has(key)) return ['GET'];
  if (BOTH.has(key)) return ['GET', 'POST'];
  return ['POST'];
}
