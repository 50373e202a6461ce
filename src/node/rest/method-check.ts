// The REST method check (docs/design/node-runtime.md §5.4): key = first two words when they form a listed key, else
// the first word; `get`-like commands need GET, `print`/`wait`/`sql` accept both, everything else POST.

import { BoundedMemo } from '../../shared/bounded-memo.js';

const GET_ONLY = new Set(['get', 'blockchain get', 'blockchain read', 'help']);
const BOTH = new Set(['print', 'wait', 'sql']);
const TWO_WORD_KEYS = new Set(['blockchain get', 'blockchain read', 'blockchain drop']);

type Methods = readonly ('GET' | 'POST')[];
const GET: Methods = Object.freeze(['GET'] as const);
const EITHER: Methods = Object.freeze(['GET', 'POST'] as const);
const POST: Methods = Object.freeze(['POST'] as const);

function methodsOf(command: string): Methods {
  const words = command.trim().split(/\s+/, 2);
  const two = `${words[0] ?? ''} ${words[1] ?? ''}`;
  const key = TWO_WORD_KEYS.has(two) ? two : (words[0] ?? '');
  if (GET_ONLY.has(key)) return GET;
  if (BOTH.has(key)) return EITHER;
  return POST;
}

/** Commands repeat (pollers, scripts): the last 256 distinct ones of up to 256 characters are kept. */
const SEEN = new BoundedMemo(methodsOf, 256, 256);

/** Allowed methods for a header command. */
export function allowedMethods(command: string): Methods {
  return SEEN.get(command);
}
