// Help texts of the sub-commands of `blockchain`, `get`, `set` and `file`, in the
// node's own words. Each group is a table of rows; `subCommands` turns the rows into help entries.
import type { HelpEntry } from './types.js';

/** key, usage, explanation, index keywords, then the examples when they are not just the usage. */
type SubCommandRow = readonly [
  key: string,
  usage: string,
  text: string,
  index: readonly string[],
  examples?: string,
];

function subCommands(rows: readonly SubCommandRow[]): Readonly<Record<string, HelpEntry>> {
  return Object.fromEntries(
    rows.map(([key, usage, text, index, examples]) => [
      key,
      { usage, text, examples: examples ?? usage, index },
    ]),
  );
}

export const BLOCKCHAIN = subCommands([
  [
    'get',
    'blockchain get [policy types] [where [conditions]] [bring[.flags] [instructions] [separator = x]]',
    'Query the policies of the local ledger copy. Without bring, the matching policies are returned as a JSON list;\nbring extracts values from each policy and its flags shape the output (first, last, unique, json, count, ip_port, table, sort).',
    ['blockchain', 'metadata'],
    'blockchain get *\nblockchain get master where company = acme\nblockchain get operator bring [operator][ip] : [operator][port] separator = ,\nblockchain get (master, operator) bring.ip_port',
  ],
  [
    'read',
    'blockchain read [policy types] [where [conditions]] [bring[.flags] [instructions] [separator = x]]',
    'The same query as blockchain get, over the local ledger file.',
    ['blockchain', 'metadata'],
    'blockchain read master\nblockchain read * bring.count',
  ],
  [
    'insert',
    'blockchain insert where policy = [policy] and local = [true/false] and master = [ip:port]',
    'Add a new policy: give it an id and a date, append it to the local ledger file when local is true\nand push it to each listed master node.',
    ['blockchain', 'policies'],
    'blockchain insert where policy = !my_policy and local = true and master = !ledger_conn',
  ],
  [
    'push',
    'blockchain push [ignore] [policy]',
    "Master node: store a policy in the 'ledger' table of the blockchain database. With ignore, a policy whose id\nis already stored is not an error.",
    ['blockchain', 'policies'],
    'blockchain push !my_policy\nblockchain push ignore !my_policy',
  ],
  [
    'prepare policy',
    'blockchain prepare policy [policy]',
    'Check the structure of a policy and add its id and date; a variable argument receives the completed policy.',
    ['blockchain', 'policies'],
    'blockchain prepare policy !my_policy',
  ],
  [
    'drop policy',
    'blockchain drop policy where id = [policy id][,policy id ...]\nblockchain drop policy [policy]',
    "Master node: delete policies from the 'ledger' table, by id or by the policy itself.",
    ['blockchain', 'policies'],
    'blockchain drop policy where id = 9fe1c1a22a3e4d5fd4e3a4b1a0b07c41\nblockchain drop policy where id = blockchain get svc bring [*][id] separator = ,',
  ],
  [
    'delete policy',
    'blockchain delete policy where id = [policy id] and local = [true/false] and master = [ip:port]',
    'Remove a policy from the local ledger file and ask each listed master node to drop it.',
    ['blockchain', 'policies'],
    'blockchain delete policy where id = 9fe1c1a22a3e4d5fd4e3a4b1a0b07c41 and master = !ledger_conn',
  ],
  [
    'reload metadata',
    'blockchain reload metadata',
    'Read the local ledger file again.',
    ['blockchain', 'metadata'],
  ],
  [
    'wait',
    'blockchain wait where id = [policy id]\nblockchain wait where policy = [policy]\nblockchain wait where command = "[blockchain get command]"',
    'Trigger a synchronization and wait until the policy is in the local ledger file or the wait time passed.',
    ['blockchain', 'metadata'],
    'blockchain wait where id = !policy_id\nfound = blockchain wait where policy = !my_policy',
  ],
  [
    'create table',
    'blockchain create table',
    "Master node: create the 'ledger' table in the blockchain database.",
    ['blockchain', 'dbms'],
  ],
  [
    'drop table',
    'blockchain drop table',
    "Master node: drop the 'ledger' table from the blockchain database.",
    ['blockchain', 'dbms'],
  ],
]);

export const GET = subCommands([
  [
    'status',
    'get status [where format = json]',
    "Answer the node name followed by 'running' while the node is up.",
    ['node info'],
    'get status\nget status where format = json',
  ],
  [
    'processes',
    'get processes [where format = json/table]',
    'List the background processes of the node (servers, synchronizer, schedulers) and their state.',
    ['node info', 'configuration'],
    'get processes\nget processes where format = json',
  ],
  [
    'connections',
    'get connections [where format = json]',
    'Show the external, internal and bind addresses of the TCP and REST servers.',
    ['node info', 'configuration'],
    'get connections',
  ],
  [
    'version',
    'get version [where format = json]',
    'Answer the version of the node software.',
    ['node info'],
    'get version',
  ],
  [
    'dictionary',
    'get dictionary [substring] [where format = json/table]',
    'List the variables of the node dictionary; a substring keeps the keys that contain it. Secrets are masked.',
    ['cli', 'configuration'],
    'get dictionary\nget dictionary ip\nget dictionary where format = json',
  ],
  [
    'synchronizer',
    'get synchronizer',
    'Show the state of the ledger synchronizer: source, connection, interval, metadata version and counters.',
    ['metadata', 'background processes'],
  ],
  [
    'scheduler',
    'get scheduler [id]',
    'List the tasks of one scheduler, or of every declared scheduler. Scheduler 0 holds the system task.',
    ['monitor', 'background processes'],
    'get scheduler\nget scheduler 0',
  ],
  [
    'metadata version',
    'get metadata version',
    'Answer the md5 of the local ledger file (0 without a file).',
    ['metadata'],
  ],
  ['node name', 'get node name', 'Answer the node name with the address of its TCP server.', ['node info']],
  ['hostname', 'get hostname', 'Answer the host name of the machine.', ['node info']],
  [
    'rest server info',
    'get rest server info',
    'Show the settings of the REST server: connection, timeout, workers, bind and SSL flags.',
    ['configuration', 'background processes'],
  ],
  [
    'tcp pool',
    'get tcp pool',
    'Show the workers that run the commands of TCP peer messages.',
    ['node info', 'configuration'],
  ],
  [
    'ip',
    'get ip list',
    'List the IPv4 and IPv6 addresses of the network interfaces of the machine.',
    ['node info'],
  ],
  [
    'servers',
    'get servers [where company = [company] and dbms = [dbms] and table = [table]] [bring [instructions]]',
    'Show the operator nodes of the ledger that serve the given company, database and table (all when not given).\nbring selects the values shown from each operator policy.',
    ['metadata'],
    'get servers\nget servers where dbms = lsl_demo and table = ping_sensor\nget servers where company = acme bring [operator][ip] : [operator][port]',
  ],
]);

export const SET = subCommands([
  ['node name', 'set node name [name]', 'Rename the node.', ['configuration'], 'set node name master-1'],
  [
    'rest timeout',
    'set rest timeout [time]',
    'Change how long REST requests wait for peer replies.',
    ['configuration'],
    'set rest timeout 30 seconds',
  ],
  [
    'echo queue',
    'set echo queue [on/off]',
    'Accepted for script compatibility; this node writes echo text to its console.',
    ['cli'],
    'set echo queue on',
  ],
  [
    'debug',
    'set debug [on/off]',
    'Accepted for script compatibility; has no effect on this node.',
    ['debug'],
    'set debug off',
  ],
  [
    'exception traceback',
    'set exception traceback [on/off]',
    'Accepted for script compatibility; has no effect on this node.',
    ['debug'],
    'set exception traceback off',
  ],
  [
    'authentication',
    'set authentication [on/off]',
    'Only off is supported: this node does not authenticate users.',
    ['configuration'],
    'set authentication off',
  ],
  [
    'servers ping',
    'set servers ping',
    'Send a ping event to the peers whose last delivery failed; the system scheduler runs it every minute.',
    ['monitor'],
  ],
]);

export const FILE: Readonly<Record<string, HelpEntry>> = {
  write: {
    usage: 'file write',
    text: 'Peer protocol: the data of a file transfer message.',
    examples: 'file write',
    index: ['internal'],
    internal: true,
  },
};
