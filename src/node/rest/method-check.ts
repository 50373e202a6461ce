// The REST method check, EdgeLake's rule: a table of command keys (one to
// three lower-cased words) with their methods. The two-word key decides when it is listed with the request's
// method (else the three-word key); failing that the first word: listed → its methods, not listed → POST only.
// A one-word command is accepted only when it is listed, as written, with that method alone.

import { BoundedMemo } from '../../common/bounded-memo.js';

type Method = 'GET' | 'POST';
type Methods = readonly Method[];

const GET: Methods = Object.freeze(['GET'] as const);
const EITHER: Methods = Object.freeze(['GET', 'POST'] as const);
const POST: Methods = Object.freeze(['POST'] as const);
const NONE: Methods = Object.freeze([]);

/** EdgeLake 1.4's method table, keys the node has no command for included (the check precedes dispatch). */
const TABLE: ReadonlyMap<string, Methods> = new Map([
  ['sql', EITHER],
  ['help', GET],
  ['get', GET],
  ['blockchain get', GET],
  ['blockchain read', GET],
  ['blockchain drop', POST],
  ['query status', GET],
  ['query explain', GET],
  ['query destination', GET],
  ['analyze output', GET],
  ['time file get', GET],
  ['time file summary', GET],
  ['job status', GET],
  ['job active', GET],
  ['job run', POST],
  ['job stop', POST],
  ['file get', GET],
  ['file retrieve', GET],
  ['test', GET],
  ['wait', EITHER],
  ['subprocess', EITHER],
]);

function accepts(words: readonly string[], method: Method): boolean {
  const [w0 = '', w1, w2] = words;
  if (w1 === undefined) {
    // EdgeLake compares a one-word key's entry with the method as text: `get*post` entries never match
    const only = TABLE.get(w0);
    return only?.length === 1 && only[0] === method;
  }
  const two = `${w0.toLowerCase()} ${w1.toLowerCase()}`;
  const listed = TABLE.get(two) ?? (w2 === undefined ? undefined : TABLE.get(`${two} ${w2.toLowerCase()}`));
  if (listed?.includes(method) === true) return true;
  const first = TABLE.get(w0.toLowerCase());
  return first === undefined ? method === 'POST' : first.includes(method);
}

function methodsOf(command: string): Methods {
  const words = command.trim().split(/\s+/, 3);
  const get = accepts(words, 'GET');
  const post = accepts(words, 'POST');
  if (get && post) return EITHER;
  if (get) return GET;
  return post ? POST : NONE;
}

/** Commands repeat (pollers, scripts): the last 256 distinct ones of up to 256 characters are kept. */
const SEEN = new BoundedMemo(methodsOf, 256, 256);

/** Methods a header command may be sent with; none for a one-word command outside the table. */
export function allowedMethods(command: string): Methods {
  return SEEN.get(command);
}
