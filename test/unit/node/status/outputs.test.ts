// Status outputs against vectors/get-processes.json (anylog_node cases, text and JSON) and
// vectors/status-outputs.json.
import t from 'tap';
import {
  renderProcessesJson,
  renderProcessesText,
  type ProcessesSnapshot,
} from '../../../../src/node/status/processes.js';
import {
  allSchedulersOutput,
  connectionsOutput,
  dictionaryOutput,
  nodeNameText,
  schedulerOutput,
  statusTextOutput,
} from '../../../../src/node/status/outputs.js';
import type { TaskInfo } from '../../../../src/node/ports/runtime.js';
import { readVectorJson } from '../../../helpers/vectors.js';

interface Case {
  name: string;
  text: string;
  json_form: string;
}
const cases = (readVectorJson('get-processes.json') as { anylog_node: { cases: Case[] } }).anylog_node.cases;
const outputs = (
  readVectorJson('status-outputs.json') as { outputs: { command: string; text: string; source: string }[] }
).outputs;

const addr = (ext: string, int: string, port: number, threads: number, bind = false) => ({
  externalIp: ext,
  externalPort: port,
  internalIp: int,
  internalPort: port,
  bind,
  threads,
});

const snapshots: Record<string, ProcessesSnapshot> = {
  'loopback-master': {
    tcp: addr('127.0.0.1', '127.0.0.1', 32048, 6),
    rest: { ...addr('127.0.0.1', '127.0.0.1', 32049, 6), timeoutSeconds: 30 },
    syncDetail: 'Sync every 30 seconds with master using: 127.0.0.1:32048',
    runningSchedulers: [0, 1],
  },
  'external-differs': {
    tcp: addr('10.96.0.15', '10.244.0.7', 32048, 6),
    rest: { ...addr('10.96.0.15', '10.244.0.7', 32049, 8), timeoutSeconds: 20 },
    syncDetail: 'Sync every 60 seconds with master using: 10.244.0.7:32048',
    runningSchedulers: [3, 0, 1],
  },
  'fresh-node': { tcp: undefined, rest: undefined, syncDetail: undefined, runningSchedulers: [0] },
};

t.test('get processes cases', async (t) => {
  t.equal(cases.length, 3);
  for (const c of cases) {
    const snapshot = snapshots[c.name];
    t.ok(snapshot, c.name);
    if (snapshot === undefined) continue;
    t.equal(renderProcessesText(snapshot), c.text, `${c.name} text`);
    t.equal(renderProcessesJson(snapshot), c.json_form, `${c.name} json`);
  }
});

const byCommand = (command: string, index = 0): string =>
  outputs.filter((o) => o.command === command)[index]?.text ?? 'missing';

t.test('get status, node name, connections, dictionary', async (t) => {
  const name = {
    nodeName: 'master-node',
    internalIp: '127.0.0.1',
    tcp: addr('127.0.0.1', '127.0.0.1', 32048, 6, true),
  };
  t.equal(statusTextOutput(name, false), byCommand('get status'));
  t.equal(statusTextOutput(name, true), byCommand('get status where format = json'));
  t.equal(nodeNameText(name), byCommand('get node name'));
  t.equal(nodeNameText({ ...name, tcp: undefined }), 'master-node@127.0.0.1');
  const tcp = addr('127.0.0.1', '127.0.0.1', 32048, 6, true);
  const rest = { ...addr('127.0.0.1', '127.0.0.1', 32049, 6, true), timeoutSeconds: 30 };
  t.equal(connectionsOutput(tcp, rest, false), byCommand('get connections', 0));
  t.equal(connectionsOutput(tcp, rest, true), byCommand('get connections where format = json'));
  const tcp2 = addr('10.96.0.15', '10.244.0.7', 32048, 6);
  const rest2 = { ...addr('10.96.0.15', '10.244.0.7', 32049, 6), timeoutSeconds: 30 };
  t.equal(connectionsOutput(tcp2, rest2, false), byCommand('get connections', 1));
  const dict: [string, string][] = [
    ['ledger_conn', '127.0.0.1:32048'],
    ['anylog_server_port', '32048'],
    ['db_passwd', 'secret!'],
    ['is_table', 'true'],
    ['company_name', 'New Company'],
    ['anylog_rest_port', '32049'],
  ];
  t.equal(dictionaryOutput(dict, undefined, false), byCommand('get dictionary'));
  t.equal(
    dictionaryOutput(dict, 'port', true),
    '{"anylog_rest_port": "32049", "anylog_server_port": "32048"}',
  );
});

t.test('get scheduler', async (t) => {
  const task = (
    id: number,
    mode: TaskInfo['mode'],
    name: string,
    counter: number,
    run: string,
    start: string,
    repeat: number,
    command: string,
  ): TaskInfo => ({
    id,
    mode,
    name,
    counter,
    runStatus: run,
    startTime: start,
    repeatSeconds: repeat,
    command,
  });
  const s0 = {
    id: 0,
    running: true,
    tasks: [
      task(1, 'Active', 'Metadata Ping', 7, 'Success', '2026-11-26 12:33:53.656363', 60, 'set servers ping'),
    ],
  };
  const t1 = task(
    1,
    'Active',
    'Sync Print',
    15,
    'Success',
    '2026-11-26 12:35:08.159554',
    15,
    'echo hello from scheduler',
  );
  const s1 = {
    id: 1,
    running: true,
    tasks: [t1, task(2, 'Active', 'ping2', 5, 'Success', '2026-11-26 12:35:08.168305', 60, 'get status')],
  };
  t.equal(allSchedulersOutput([s0, s1]), byCommand('get scheduler'));
  const s1b = {
    id: 1,
    running: true,
    tasks: [t1, task(2, 'Paused', 'ping2', 0, 'No runs', '2026-11-26 12:35:08.168305', 60, 'get status')],
  };
  t.equal(schedulerOutput(s1b), byCommand('get scheduler 1'));
  t.equal(schedulerOutput({ id: 2, running: false, tasks: [] }), byCommand('get scheduler 2'));
});
