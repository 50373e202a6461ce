// Node side of sync: installing a received ledger (anylog-node.md §9.4). Merge local-only policies
// (re-pushed to the master), replace blockchain.json (old copy kept), optionally copy into the local
// `ledger` table. Pure merge planning plus the effects, through the node's ports.
import { getKey, isJsonObject, withKey, jsonObject, type JsonValue } from '../../contract/ordered-json.js';
import { jsonDumps } from '../../contract/json-dumps.js';
import { makePolicy } from '../../contract/policy-id.js';

import { LEDGER_LOGICAL_DBMS } from '../../contract/ledger-ddl.js';
import type { FilePolicy } from '../ports/ledger.js';
import type { NodeServices } from '../ports/runtime.js';
import { parseLedgerText } from '../ledger/policy-line.js';
import { ledgerRow, pushPolicy } from '../ledger/push.js';

export interface MergePlan {
  /** The content to install. */
  readonly content: string;
  /** Local policies (now `global`) to push with `blockchain push ignore`. */
  readonly pushes: readonly string[];
  /** Ids to drop on the master (local `deleted` policies). */
  readonly drops: readonly string[];
  /** Policies of the installed content. */
  readonly policies: readonly FilePolicy[];
}

function asGlobal(policy: FilePolicy): JsonValue {
  return makePolicy(policy.type, withKey(policy.inner, 'ledger', 'global'));
}

/** §9.4 steps 1–3: undefined when the received text holds no valid policy. */
export function planMerge(received: string, current: readonly FilePolicy[]): MergePlan | undefined {
  const parsed = parseLedgerText(received);
  if (parsed.policies.length === 0) return undefined;
  const receivedIds = new Set(parsed.policies.map((p) => p.id));
  const pushes: string[] = [];
  const drops: string[] = [];
  for (const p of current) {
    if (getKey(p.inner, 'ledger') !== 'local') continue;
    if (p.type === 'deleted') drops.push(p.id);
    else if (!receivedIds.has(p.id)) pushes.push(jsonDumps(asGlobal(p)));
  }
  const dropped = new Set(drops);
  const kept = parsed.policies.filter((p) => !dropped.has(p.id));
  const content = [...kept.map((p) => p.line), ...pushes].map((l) => `${l}\n`).join('');
  return { content, pushes, drops, policies: kept };
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

/** Install ledger text (§9.4 steps 2–5). Returns false when it held no valid policy. */
export async function installLedgerText(
  node: NodeServices,
  received: string,
  options: InstallOptions,
): Promise<boolean> {
  const plan = planMerge(received, node.ledgerFile.policies());
  if (plan === undefined) return false;
  await node.ledgerFile.install(plan.content);
  const host = node.identity.internalIp;
  for (const line of plan.pushes) {
    const parsed = parseLedgerText(line).policies[0];
    if (parsed === undefined) continue;
    await sendToMaster(node, options.connection, `blockchain push ignore ${line}`, () =>
      pushPolicy(node, parsed.value, { host, ignoreDuplicate: true }),
    );
  }
  for (const id of plan.drops) {
    await sendToMaster(node, options.connection, `blockchain drop policy where id = ${id}`, async () =>
      node.dbms.get(LEDGER_LOGICAL_DBMS)?.deleteById(id),
    );
  }
  if (options.destDbms) await copyToTable(node, plan.policies, hostOf(options.connection));
  return true;
}

async function copyToTable(node: NodeServices, policies: readonly FilePolicy[], host: string): Promise<void> {
  const store = node.dbms.get(LEDGER_LOGICAL_DBMS);
  if (store === undefined) return;
  for (const p of policies) {
    const row = ledgerRow(p.value, host);
    if (row !== undefined) await store.insert(row);
  }
}

/** The policy text with a `ledger` value, for a local insert (§4.4 step 3). */
export function withLedger(type: string, inner: JsonValue, ledger: 'local' | 'global'): string {
  const obj = isJsonObject(inner) ? inner : jsonObject();
  return jsonDumps(makePolicy(type, withKey(obj, 'ledger', ledger)));
}
