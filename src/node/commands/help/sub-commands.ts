// Help texts of the sub-commands of `blockchain`, `get`, `set` and `file` (docs/design/node-runtime.md §4.7), in the
// node's own words.
import type { HelpEntry } from './types.js';

export const BLOCKCHAIN: Readonly<Record<string, HelpEntry>> = {
  get: {
    usage:
      'blockchain get [policy types] [where [conditions]] [bring[.flags] [instructions] [separator = x]]',
    text: 'Query the policies of the local ledger copy. Without bring, the matching policies are returned as a JSON list;\nbring extracts values from each policy and its flags shape the output (first, last, unique, json, count, ip_port, table, sort).',
    examples:
      'blockchain get *\nblockchain get master where company = acme\nblockchain get operator bring [operator][ip] : [operator][port] separator = ,\nblockchain get (master, operator) bring.ip_port',
    index: ['blockchain', 'metadata'],
  },
  read: {
    usage:
      'blockchain read [policy types] [where [conditions]] [bring[.flags] [instructions] [separator = x]]',
    text: 'The same query as blockchain get, over the local ledger file.',
    examples: 'blockchain read master\nblockchain read * bring.count',
    index: ['blockchain', 'metadata'],
  },
  insert: {
    usage: 'blockchain insert where policy = [policy] and local = [true/false] and master = [ip:port]',
    text: 'Add a new policy: give it an id and a date, append it to the local ledger file when local is true\nand push it to each listed master node.',
    examples: 'blockchain insert where policy = !my_policy and local = true and master = !ledger_conn',
    index: ['blockchain', 'policies'],
  },
  push: {
    usage: 'blockchain push [ignore] [policy]',
    text: "Master node: store a policy in the 'ledger' table of the blockchain database. With ignore, a policy whose id\nis already stored is not an error.",
    examples: 'blockchain push !my_policy\nblockchain push ignore !my_policy',
    index: ['blockchain', 'policies'],
  },
  'prepare policy': {
    usage: 'blockchain prepare policy [policy]',
    text: 'Check the structure of a policy and add its id and date; a variable argument receives the completed policy.',
    examples: 'blockchain prepare policy !my_policy',
    index: ['blockchain', 'policies'],
  },
  'drop policy': {
    usage: 'blockchain drop policy where id = [policy id][,policy id ...]\nblockchain drop policy [policy]',
    text: "Master node: delete policies from the 'ledger' table, by id or by the policy itself.",
    examples:
      'blockchain drop policy where id = 9fe1c1a22a3e4d5fd4e3a4b1a0b07c41\nblockchain drop policy where id = blockchain get svc bring [*][id] separator = ,',
    index: ['blockchain', 'policies'],
  },
  'delete policy': {
    usage: 'blockchain delete policy where id = [policy id] and local = [true/false] and master = [ip:port]',
    text: 'Remove a policy from the local ledger file and ask each listed master node to drop it.',
    examples:
      'blockchain delete policy where id = 9fe1c1a22a3e4d5fd4e3a4b1a0b07c41 and master = !ledger_conn',
    index: ['blockchain', 'policies'],
  },
  'reload metadata': {
    usage: 'blockchain reload metadata',
    text: 'Read the local ledger file again.',
    examples: 'blockchain reload metadata',
    index: ['blockchain', 'metadata'],
  },
  wait: {
    usage:
      'blockchain wait where id = [policy id]\nblockchain wait where policy = [policy]\nblockchain wait where command = "[blockchain get command]"',
    text: 'Trigger a synchronization and wait until the policy is in the local ledger file or the wait time passed.',
    examples: 'blockchain wait where id = !policy_id\nfound = blockchain wait where policy = !my_policy',
    index: ['blockchain', 'metadata'],
  },
  'create table': {
    usage: 'blockchain create table',
    text: "Master node: create the 'ledger' table in the blockchain database.",
    examples: 'blockchain create table',
    index: ['blockchain', 'dbms'],
  },
  'drop table': {
    usage: 'blockchain drop table',
    text: "Master node: drop the 'ledger' table from the blockchain database.",
    examples: 'blockchain drop table',
    index: ['blockchain', 'dbms'],
  },
};

export const GET: Readonly<Record<string, HelpEntry>> = {
  status: {
    usage: 'get status [where format = json]',
    text: "Answer the node name followed by 'running' while the node is up.",
    examples: 'get status\nget status where format = json',
    index: ['node info'],
  },
  processes: {
    usage: 'get processes [where format = json/table]',
    text: 'List the background processes of the node (servers, synchronizer, schedulers) and their state.',
    examples: 'get processes\nget processes where format = json',
    index: ['node info', 'configuration'],
  },
  connections: {
    usage: 'get connections [where format = json]',
    text: 'Show the external, internal and bind addresses of the TCP and REST servers.',
    examples: 'get connections',
    index: ['node info', 'configuration'],
  },
  version: {
    usage: 'get version [where format = json]',
    text: 'Answer the version of the node software.',
    examples: 'get version',
    index: ['node info'],
  },
  dictionary: {
    usage: 'get dictionary [substring] [where format = json/table]',
    text: 'List the variables of the node dictionary; a substring keeps the keys that contain it. Secrets are masked.',
    examples: 'get dictionary\nget dictionary ip\nget dictionary where format = json',
    index: ['cli', 'configuration'],
  },
  synchronizer: {
    usage: 'get synchronizer',
    text: 'Show the state of the ledger synchronizer: source, connection, interval, metadata version and counters.',
    examples: 'get synchronizer',
    index: ['metadata', 'background processes'],
  },
  scheduler: {
    usage: 'get scheduler [id]',
    text: 'List the tasks of one scheduler, or of every declared scheduler. Scheduler 0 holds the system task.',
    examples: 'get scheduler\nget scheduler 0',
    index: ['monitor', 'background processes'],
  },
  'metadata version': {
    usage: 'get metadata version',
    text: 'Answer the md5 of the local ledger file (0 without a file).',
    examples: 'get metadata version',
    index: ['metadata'],
  },
  'node name': {
    usage: 'get node name',
    text: 'Answer the node name with the address of its TCP server.',
    examples: 'get node name',
    index: ['node info'],
  },
  hostname: {
    usage: 'get hostname',
    text: 'Answer the host name of the machine.',
    examples: 'get hostname',
    index: ['node info'],
  },
  'rest server info': {
    usage: 'get rest server info',
    text: 'Show the settings of the REST server: connection, timeout, workers, bind and SSL flags.',
    examples: 'get rest server info',
    index: ['configuration', 'background processes'],
  },
  'tcp pool': {
    usage: 'get tcp pool',
    text: 'Show the workers that run the commands of TCP peer messages.',
    examples: 'get tcp pool',
    index: ['node info', 'configuration'],
  },
  ip: {
    usage: 'get ip list',
    text: 'List the IPv4 and IPv6 addresses of the network interfaces of the machine.',
    examples: 'get ip list',
    index: ['node info'],
  },
  servers: {
    usage:
      'get servers [where company = [company] and dbms = [dbms] and table = [table]] [bring [instructions]]',
    text: 'Show the operator nodes of the ledger that serve the given company, database and table (all when not given).\nbring selects the values shown from each operator policy.',
    examples:
      'get servers\nget servers where dbms = lsl_demo and table = ping_sensor\nget servers where company = acme bring [operator][ip] : [operator][port]',
    index: ['metadata'],
  },
};

export const SET: Readonly<Record<string, HelpEntry>> = {
  'node name': {
    usage: 'set node name [name]',
    text: 'Rename the node.',
    examples: 'set node name master-1',
    index: ['configuration'],
  },
  'rest timeout': {
    usage: 'set rest timeout [time]',
    text: 'Change how long REST requests wait for peer replies.',
    examples: 'set rest timeout 30 seconds',
    index: ['configuration'],
  },
  'echo queue': {
    usage: 'set echo queue [on/off]',
    text: 'Accepted for script compatibility; this node writes echo text to its console.',
    examples: 'set echo queue on',
    index: ['cli'],
  },
  debug: {
    usage: 'set debug [on/off]',
    text: 'Accepted for script compatibility; has no effect on this node.',
    examples: 'set debug off',
    index: ['debug'],
  },
  'exception traceback': {
    usage: 'set exception traceback [on/off]',
    text: 'Accepted for script compatibility; has no effect on this node.',
    examples: 'set exception traceback off',
    index: ['debug'],
  },
  authentication: {
    usage: 'set authentication [on/off]',
    text: 'Only off is supported: this node does not authenticate users.',
    examples: 'set authentication off',
    index: ['configuration'],
  },
  'servers ping': {
    usage: 'set servers ping',
    text: 'Send a ping event to the peers whose last delivery failed; the system scheduler runs it every minute.',
    examples: 'set servers ping',
    index: ['monitor'],
  },
};

export const FILE: Readonly<Record<string, HelpEntry>> = {
  write: {
    usage: 'file write',
    text: 'Peer protocol: the data of a file transfer message.',
    examples: 'file write',
    index: ['internal'],
    internal: true,
  },
};
