// Status commands: get status / processes / connections / version / dictionary /
// synchronizer / scheduler / metadata version / node name / hostname. Each reads NodeServices ports only.
import { fail, ok, type CommandDef, type CommandResult, type Invocation } from '../ports/command.js';
import type { NodeServices } from '../ports/runtime.js';
import { renderProcessesJson, renderProcessesText } from '../status/processes.js';
import {
  allSchedulersOutput,
  connectionsOutput,
  dictionaryOutput,
  nodeNameText,
  schedulerOutput,
  statusTextOutput,
  synchronizerOutput,
  versionOutput,
  type NameSnapshot,
  type SchedulerSnapshot,
} from '../status/outputs.js';
import { formatOption } from './util.js';
import { STATUS } from '../../contract/status-codes.js';

function nameSnapshot(node: NodeServices): NameSnapshot {
  return { nodeName: node.identity.nodeName, internalIp: node.identity.internalIp, tcp: node.tcp.info() };
}

function simple(key: string, build: (node: NodeServices, inv: Invocation) => CommandResult): CommandDef {
  return { key, peerAllowed: true, run: (inv, _ctx, node) => Promise.resolve(build(node, inv)) };
}

const getStatus = simple('get status', (node, inv) => {
  const f = formatOption(inv, 2, ['json', 'mcp']);
  if (!f.ok) return f.result;
  if (f.format === 'mcp') return fail(STATUS.NOT_SUPPORTED, 'format = mcp is not supported');
  return ok(statusTextOutput(nameSnapshot(node), f.format === 'json'));
});

const getProcesses = simple('get processes', (node, inv) => {
  if (inv.words.length !== 2 && inv.words.length !== 6)
    return fail(STATUS.COMMAND_STRUCTURE, `Unknown command: '${inv.text}'`);
  const f = formatOption(inv, 2, ['json', 'table']);
  if (!f.ok) return f.result;
  const sync = node.sync.status();
  const snapshot = {
    tcp: node.tcp.info(),
    rest: node.rest.info(),
    syncDetail: sync.running ? sync.detail : undefined,
    runningSchedulers: node.schedulers.runningIds(),
  };
  return ok(f.format === 'json' ? renderProcessesJson(snapshot) : renderProcessesText(snapshot));
});

const getConnections = simple('get connections', (node, inv) => {
  const f = formatOption(inv, 2, ['json']);
  return f.ok ? ok(connectionsOutput(node.tcp.info(), node.rest.info(), f.format === 'json')) : f.result;
});

const getVersion = simple('get version', (node, inv) => {
  const f = formatOption(inv, 2, ['json']);
  return f.ok ? ok(versionOutput(node.version, nameSnapshot(node), f.format === 'json')) : f.result;
});

const getDictionary = simple('get dictionary', (node, inv) => {
  const hasFilter = inv.words.length > 2 && inv.words[2] !== 'where';
  const f = formatOption(inv, hasFilter ? 3 : 2, ['json', 'table']);
  if (!f.ok) return f.result;
  return ok(dictionaryOutput(node.dict.entries(), hasFilter ? inv.words[2] : undefined, f.format === 'json'));
});

const getSynchronizer = simple('get synchronizer', (node, inv) => {
  if (inv.words.length !== 2) return fail(STATUS.COMMAND_STRUCTURE, `Unknown command: '${inv.text}'`);
  return ok(
    synchronizerOutput(node.sync.status(), {
      metadataVersion: node.ledgerFile.metadataVersion(),
      policies: node.ledgerFile.policies().length,
      nowMs: node.clock.now(),
    }),
  );
});

function schedulerSnapshot(node: NodeServices, id: number): SchedulerSnapshot {
  return { id, running: node.schedulers.isRunning(id), tasks: node.schedulers.tasks(id) };
}

const getScheduler = simple('get scheduler', (node, inv) => {
  if (inv.words.length > 3) return fail(STATUS.COMMAND_STRUCTURE, `Unknown command: '${inv.text}'`);
  const idText = inv.words[2];
  if (idText === undefined) {
    const ids = Array.from({ length: 11 }, (_, i) => i).filter((i) => node.schedulers.isDeclared(i));
    return ok(allSchedulersOutput(ids.map((i) => schedulerSnapshot(node, i))));
  }
  if (!/^\d+$/.test(idText))
    return fail(STATUS.COMMAND_STRUCTURE, `Scheduler id is not a number: '${idText}'`);
  const id = Number(idText);
  if (!node.schedulers.isDeclared(id)) return ok(`Scheduler ${id} not declared`);
  return ok(schedulerOutput(schedulerSnapshot(node, id)));
});

const getMetadataVersion = simple('get metadata version', (node) => ok(node.ledgerFile.metadataVersion()));
const getNodeName = simple('get node name', (node) => ok(nodeNameText(nameSnapshot(node))));
const getHostname = simple('get hostname', (node) => ok(node.identity.hostname));

export const STATUS_COMMANDS: readonly CommandDef[] = [
  getStatus,
  getProcesses,
  getConnections,
  getVersion,
  getDictionary,
  getSynchronizer,
  getScheduler,
  getMetadataVersion,
  getNodeName,
  getHostname,
];
