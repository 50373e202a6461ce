// Node side of sync: installing a received ledger. Merge local-only policies
// (re-pushed to the master), replace blockchain.json (old copy kept), optionally copy into the local
// `ledger` table. The merge is planned under the ledger-file lock, from policies parsed once. For a
// self-sync whose table only grew, installTail applies the same merge to the file's tail: the
// new rows replace the lines appended since the last install, so the cost follows the change.
import { isJsonObject, withKey, jsonObject, type JsonValue } from '../../contract/ordered-json.js';
import { jsonDumps } from '../../contract/json-dumps.js';
import { makePolicy } from '../../contract/policy-id.js';

import { LEDGER_LOGICAL_DBMS } from '../../contract/ledger-ddl.js';
import type { FilePolicy, ReceivedFile, TailMark } from '../ports/ledger.js';
import type { NodeServices } from '../ports/runtime.js';
import { isLocalPolicy, parseLedgerText, parsePolicyLine } from '../ledger/policy-line.js';
import { ledgerRow } from '../ledger/push.js';

interface ParsedPlan {
  readonly kept: readonly FilePolicy[];
  readonly pushes: readonly FilePolicy[];
  readonly drops: readonly string[];
}

function asGlobal(policy: FilePolicy): string {
  return jsonDumps(makePolicy(policy.type, withKey(policy.inner, 'ledger', 'global')));
}

function globalPolicy(policy: FilePolicy): FilePolicy | undefined {
  return parsePolicyLine(asGlobal(policy), 0);
}

/** Over parsed policies. */
function planParsed(received: readonly FilePolicy[], current: readonly FilePolicy[]): ParsedPlan {
  const receivedIds = new Set(received.map((p) => p.id));
  const pushes: FilePolicy[] = [];
  const drops: string[] = [];
  for (const p of current) {
    if (!isLocalPolicy(p)) continue;
    if (p.type === 'deleted') drops.push(p.id);
    else if (!receivedIds.has(p.id)) {
      const g = globalPolicy(p);
      if (g !== undefined) pushes.push(g);
    }
  }
  const dropped = new Set(drops);
  const kept = drops.length === 0 ? received : received.filter((p) => !dropped.has(p.id));
  return { kept, pushes, drops };
}

export interface InstallOptions {
  /** The sync `connection` (master address). */
  readonly connection: string;
  readonly destDbms: boolean;
}

function hostOf(connection: string): string {
  const colon = connection.lastIndexOf(':');
  return colon < 0 ? connection : connection.slice(0, colon);
}

async function sendToMaster(
  node: NodeServices,
  connection: string,
  command: string,
  local: () => Promise<unknown>,
): Promise<void> {
  try {
    if (node.peers.isOwnAddress(connection)) await local();
    else await node.peers.sendCommand([connection], command, { wait: false });
  } catch (err) {
    node.logger.warn(
      { connection, err: err instanceof Error ? err.message : String(err) },
      'sync: message to master failed',
    );
  }
}

/** Step 3's messages to the master: re-push local policies, drop deleted ones. */
async function tellMaster(
  node: NodeServices,
  pushes: readonly FilePolicy[],
  drops: readonly string[],
  options: InstallOptions,
): Promise<void> {
  const host = node.identity.internalIp;
  for (const p of pushes) {
    await sendToMaster(node, options.connection, `blockchain push ignore ${p.line}`, () =>
      node.ledger.push(p.value, { host, ignoreDuplicate: true }),
    );
  }
  for (const id of drops) {
    await sendToMaster(node, options.connection, `blockchain drop policy where id = ${id}`, async () =>
      node.dbms.get(LEDGER_LOGICAL_DBMS)?.deleteById(id),
    );
  }
}

export interface InstallOutcome {
  readonly installed: boolean;
  /** The file position after the received policies (undefined after drops: the head is not the dump). */
  readonly mark?: TailMark;
}

/** Install received policies; not installed when there is none. */
export async function installPolicies(
  node: NodeServices,
  received: readonly FilePolicy[],
  options: InstallOptions,
  source?: ReceivedFile,
): Promise<InstallOutcome> {
  if (received.length === 0) return { installed: false };
  const done = await node.ledgerFile.rewrite((current) => {
    const p = planParsed(received, current);
    return { head: p.kept, extra: p.pushes, result: p };
  }, source);
  if (done === undefined) return { installed: false };
  const { result: plan, mark } = done;
  await tellMaster(node, plan.pushes, plan.drops, options);
  // Every policy of the new file, the merged local ones included.
  if (options.destDbms) await copyToTable(node, [...plan.kept, ...plan.pushes], hostOf(options.connection));
  // After drops the file's head is not the received dump: no mark, the next self-sync dumps again.
  return plan.drops.length > 0 ? { installed: true } : { installed: true, mark };
}

/** Install ledger text. Returns false when it held no valid policy. */
export async function installLedgerText(
  node: NodeServices,
  received: string,
  options: InstallOptions,
  receivedPath?: string,
): Promise<boolean> {
  const parsed = parseLedgerText(received);
  if (parsed.badLines.length > 0)
    node.logger.warn({ lines: parsed.badLines.slice(0, 20) }, 'received ledger lines that are not policies');
  const source = receivedPath === undefined ? undefined : { path: receivedPath, text: received };
  return (await installPolicies(node, parsed.policies, options, source)).installed;
}

/**
 * The self-sync install of rows appended to the table (merge): the file keeps its lines
 * up to `mark` (the previous dump), the rest is replaced by `added` plus the local policies of that tail
 * that neither the old dump nor `added` holds (made global and re-pushed). undefined when this cannot be
 * done in place (stale mark, a local `deleted` policy): the caller installs the whole dump.
 */
export async function installTail(
  node: NodeServices,
  mark: TailMark,
  added: readonly FilePolicy[],
  options: InstallOptions,
): Promise<{ mark: TailMark; changed: boolean } | undefined> {
  const done = await node.ledgerFile.rewriteTail(mark, (tail, inHead) => {
    const addedIds = new Set(added.map((p) => p.id));
    const pushes: FilePolicy[] = [];
    for (const p of tail) {
      if (!isLocalPolicy(p)) continue;
      if (p.type === 'deleted') return undefined;
      if (addedIds.has(p.id) || inHead(p.id)) continue;
      const g = globalPolicy(p);
      if (g !== undefined) pushes.push(g);
    }
    return { head: added, extra: pushes, result: { pushes, changed: added.length > 0 || tail.length > 0 } };
  });
  if (done === undefined) return undefined;
  await tellMaster(node, done.result.pushes, [], options);
  if (options.destDbms)
    await copyToTable(node, [...added, ...done.result.pushes], hostOf(options.connection));
  return { mark: done.mark, changed: done.result.changed };
}

async function copyToTable(node: NodeServices, policies: readonly FilePolicy[], host: string): Promise<void> {
  const store = node.dbms.get(LEDGER_LOGICAL_DBMS);
  if (store === undefined) return;
  for (const p of policies) {
    const row = ledgerRow(p.value, host);
    if (row !== undefined) await store.insert(row);
  }
}

/** The policy text with a `ledger` value, for a local insert. */
export function withLedger(type: string, inner: JsonValue, ledger: 'local' | 'global'): string {
  const obj = isJsonObject(inner) ? inner : jsonObject();
  return jsonDumps(makePolicy(type, withKey(obj, 'ledger', ledger)));
}
