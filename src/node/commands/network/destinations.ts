// Destination forms of `run client`: `ip:port`, `ip port`, `(ip:port, …)`,
// `(!var)`, `(blockchain get … bring.ip_port)`, `()` = every master/operator/query/publisher address,
// with `subset = true` and `timeout = <n>` options inside the parentheses.
import type { CommandResult, ExecContext } from '../../ports/command.js';
import type { NodeServices } from '../../ports/runtime.js';
import { parseTimeValue } from '../../interpreter/time-value.js';
import { STATUS } from '../../../contract/status-codes.js';

export interface Destinations {
  readonly addresses: readonly string[];
  readonly subset: boolean;
  readonly timeoutSeconds: number | undefined;
  /** Index of the first command word in the invocation's words. */
  readonly commandStart: number;
}

export type DestinationResult =
  { readonly ok: true; readonly value: Destinations } | { readonly ok: false; readonly error: CommandResult };

const ADDRESS = /^[A-Za-z0-9.-]{1,128}:\d{1,5}$/;
const OPTION = /(?:^|,)\s*(subset|timeout)\s*=\s*([^,]*)$/;
const NETWORK_QUERY = 'blockchain get (master, operator, query, publisher) bring.ip_port';

const badDestination: DestinationResult = { ok: false, error: { code: STATUS.DEST_NOT_PROVIDED } };

interface Options {
  subset: boolean;
  timeoutSeconds: number | undefined;
}

/** Split trailing `, subset = …` / `, timeout = …` options off the parenthesis content. */
function takeOptions(content: string, options: Options): string | undefined {
  let rest = content;
  for (let m = OPTION.exec(rest); m !== null; m = OPTION.exec(rest)) {
    const value = (m[2] ?? '').trim();
    if (m[1] === 'subset') options.subset = value.toLowerCase() === 'true';
    else {
      const seconds = parseTimeValue(value);
      if (seconds === undefined) return undefined;
      options.timeoutSeconds = seconds;
    }
    rest = rest.slice(0, m.index);
  }
  return rest.trim();
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim().replace(/\s+/, ':'))
    .filter((s) => s !== '');
}

async function fromLedger(
  node: NodeServices,
  query: string,
  ctx: ExecContext,
): Promise<DestinationResult | string[]> {
  const result = await node.execute(query, { ...ctx, assigned: true });
  if (result.code !== STATUS.SUCCESS) return { ok: false, error: result };
  const text = result.text ?? '';
  return text === '[]' ? [] : splitList(text);
}

async function resolveList(
  node: NodeServices,
  content: string,
  ctx: ExecContext,
): Promise<DestinationResult | string[]> {
  if (content === '') return fromLedger(node, NETWORK_QUERY, ctx);
  if (content.startsWith('blockchain ')) return fromLedger(node, content, ctx);
  const out: string[] = [];
  for (const item of splitList(content)) {
    if (item.startsWith('!'))
      out.push(...splitList((node.dict.get(item.slice(1)) ?? '').replace(/^\(|\)$/g, '')));
    else out.push(item);
  }
  return out;
}

/** Parse the destination words starting at words[2]. */
export async function parseDestinations(
  node: NodeServices,
  words: readonly string[],
  ctx: ExecContext,
): Promise<DestinationResult> {
  const first = words[2] ?? '';
  const options: Options = { subset: false, timeoutSeconds: undefined };
  let list: string[];
  let commandStart = 3;
  if (first.startsWith('(')) {
    const content = takeOptions(first.replace(/^\(/, '').replace(/\)$/, '').trim(), options);
    if (content === undefined) return badDestination;
    const resolved = await resolveList(node, content, ctx);
    if (!Array.isArray(resolved)) return resolved;
    if (resolved.length === 0) return { ok: false, error: { code: STATUS.NO_DESTINATION } };
    list = resolved;
  } else if (first.includes(':')) {
    list = [first];
  } else {
    list = [`${first}:${words[3] ?? ''}`];
    commandStart = 4;
  }
  const unique = [...new Set(list)];
  if (unique.some((a) => !ADDRESS.test(a))) return badDestination;
  return { ok: true, value: { addresses: unique, ...options, commandStart } };
}
