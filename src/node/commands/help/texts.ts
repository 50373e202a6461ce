// The node's help texts: one entry per command this node runs, arranged as
// EdgeLake arranges its own (top-level keys; `blockchain`, `get`, `set` and `file` hold sub-commands). The
// wording is the node's; only the structure (usage, explanation, examples, index keywords) follows EdgeLake.
import { BLOCKCHAIN, FILE, GET, SET } from './sub-commands.js';
import type { HelpNode } from './types.js';

export { isGroup, type HelpEntry, type HelpGroup, type HelpNode } from './types.js';

/** Every top-level help key of the node. */
export const HELP: Readonly<Record<string, HelpNode>> = {
  blockchain: { usage: 'blockchain [operation] [arguments]', methods: BLOCKCHAIN },
  call: {
    usage: 'call [name]',
    text: "Continue the script at the label ':name:' until 'return'.",
    examples: 'call configure_servers',
    index: ['script'],
  },
  'connect dbms': {
    usage:
      'connect dbms [name] where type = [psql/sqlite] and user = [user] and password = [password] and ip = [ip] and port = [port]',
    text: 'Connect a logical database to PostgreSQL or SQLite.',
    examples:
      'connect dbms blockchain where type = sqlite\nconnect dbms blockchain where type = psql and user = anylog and password = !db_passwd and ip = 127.0.0.1 and port = 5432',
    index: ['dbms', 'configuration'],
  },
  'create table': {
    usage: 'create table ledger where dbms = blockchain',
    text: "Create the 'ledger' table in the blockchain database.",
    examples: 'create table ledger where dbms = blockchain',
    index: ['dbms'],
  },
  'create work directories': {
    usage: 'create work directories',
    text: 'Create the directories the node works in.',
    examples: 'create work directories',
    index: ['configuration'],
  },
  'disconnect dbms': {
    usage: 'disconnect dbms [name]',
    text: 'Close the connection of a logical database.',
    examples: 'disconnect dbms blockchain',
    index: ['dbms'],
  },
  do: {
    usage: 'do [command]',
    text: "Run the command when the last 'if' was true.",
    examples: 'do print the condition held',
    index: ['script'],
  },
  echo: {
    usage: 'echo [text]',
    text: 'Write the text to the console (variables are replaced).',
    examples: 'echo configuration done',
    index: ['cli'],
  },
  else: {
    usage: 'else [command]',
    text: "Run the command when the last 'if' was false.",
    examples: 'else print the condition failed',
    index: ['script'],
  },
  'end script': {
    usage: 'end script',
    text: 'Stop the running script.',
    examples: 'end script',
    index: ['script'],
  },
  event: {
    usage: 'event [event name] [arguments]',
    text: 'Peer protocol events (ledger copies, metadata ping and pong); peers send them to each other.',
    examples: 'event metadata_ping',
    index: ['internal'],
  },
  exit: {
    usage: 'exit node\nexit scripts',
    text: 'exit node - stop all processes and shut the node down.\nexit scripts - stop the running scripts.',
    examples: 'exit node',
    index: ['script'],
  },
  file: { usage: 'file [operation] [arguments]', methods: FILE, internal: true },
  get: { usage: 'get [info type] [arguments]', methods: GET },
  goto: {
    usage: 'goto [name]',
    text: "Continue the script at the label ':name:'.",
    examples: 'goto connect_dbms',
    index: ['script'],
  },
  help: {
    usage: 'help [command]',
    text: "Describe the commands of the node: 'help' lists them, 'help [command]' explains one, 'help index' lists the index keywords and 'help index [keyword]' the commands filed under a keyword.",
    examples: 'help\nhelp get status\nhelp run tcp server\nhelp index\nhelp index blockchain',
    index: ['help'],
  },
  if: {
    usage: 'if [condition] then [command]',
    text: 'Run the command when the condition holds; in a script a brace block may follow instead.',
    examples: 'if !ledger_conn then print master found\nif not !db_name then db_name = blockchain',
    index: ['script'],
  },
  'info table': {
    usage: 'info table [dbms] [table] exists',
    text: "Answer true or false: whether the table exists (this node knows the 'ledger' table).",
    examples: 'info table blockchain ledger exists',
    index: ['dbms'],
  },
  'info view': {
    usage: 'info view [dbms] [view] [info type]',
    text: 'Not supported by this node (error 237).',
    examples: 'info view blockchain ledger exists',
    index: ['dbms'],
  },
  'on error': {
    usage: 'on error goto [name]\non error call [name]\non error end script\non error ignore',
    text: 'Choose what a script does when one of its commands fails.',
    examples: 'on error goto report_failure',
    index: ['script'],
  },
  print: {
    usage: 'print [text]',
    text: 'Answer the text with its variables replaced.',
    examples: 'print !node_name',
    index: ['cli'],
  },
  process: {
    usage: 'process [script file]',
    text: 'Run the commands of a script file.',
    examples: 'process !local_scripts/master.al',
    index: ['script', 'configuration'],
  },
  return: {
    usage: 'return',
    text: "Go back to the line after the last 'call'; at the top of a script, end it.",
    examples: 'return',
    index: ['script'],
  },
  'run blockchain sync': {
    usage:
      'run blockchain sync where source = master and time = [interval] and dest = file and connection = [ip:port]\nrun blockchain sync',
    text: 'Start copying the ledger from the master node at every interval; without a where clause, run one cycle now.',
    examples:
      'run blockchain sync where source = master and time = 30 seconds and dest = file and connection = !ledger_conn\nrun blockchain sync',
    index: ['metadata', 'background processes', 'configuration'],
  },
  'run client': {
    usage: 'run client [destinations] [command]',
    text: 'Send a command to peer nodes over TCP; their replies are printed, or stored when assigned to a variable.',
    examples:
      'run client 10.0.0.12:32048 get status\nrun client (10.0.0.12:32048, 10.0.0.13:32048) get version\nrun client (blockchain get master bring.ip_port) get metadata version',
    index: ['network', 'cli'],
  },
  'run rest server': {
    usage:
      'run rest server where external_ip = [ip] and external_port = [port] and internal_ip = [ip] and internal_port = [port] and bind = [true/false] and threads = [count] and timeout = [seconds]',
    text: 'Start the REST server; timeout bounds the wait for peer replies (default 20 seconds).',
    examples:
      'run rest server where internal_ip = !internal_ip and internal_port = 32049 and bind = false and threads = 6 and timeout = 30',
    index: ['configuration', 'background processes', 'api'],
  },
  'run scheduler': {
    usage: 'run scheduler [id]',
    text: 'Start a scheduler (1 when no id is given); its due tasks run at once and then every 10 seconds.',
    examples: 'run scheduler\nrun scheduler 2',
    index: ['monitor', 'background processes'],
  },
  'run tcp server': {
    usage:
      'run tcp server where external_ip = [ip] and external_port = [port] and internal_ip = [ip] and internal_port = [port] and bind = [true/false] and threads = [count]',
    text: 'Start the TCP server that receives the messages of peer nodes; threads bounds the commands run at the same time (default 6).',
    examples:
      'run tcp server where external_ip = !external_ip and external_port = 32048 and internal_ip = !internal_ip and internal_port = 32048 and threads = 6',
    index: ['configuration', 'background processes', 'network'],
  },
  schedule: {
    usage:
      'schedule time = [interval] and name = [name] and scheduler = [id] and start = [date] task [command]',
    text: 'Add a task that a scheduler runs repeatedly; the command is expanded at each run.',
    examples: 'schedule time = 1 minute and name = "status check" task get status',
    index: ['monitor'],
  },
  set: { usage: 'set [setting] [value]', methods: SET },
  task: {
    usage: 'task [stop/resume/remove/run] where scheduler = [id] and name = [name]',
    text: 'Stop, resume, remove or run now a scheduled task (by name or by id).',
    examples:
      'task stop where scheduler = 1 and name = "status check"\ntask run where scheduler = 1 and id = 2',
    index: ['monitor'],
  },
  'trace level': {
    usage: 'trace level = [level] [command]',
    text: 'Accepted for script compatibility; the node logs through its log level instead.',
    examples: 'trace level = 1 run client',
    index: ['debug'],
  },
  wait: {
    usage: 'wait [seconds] [for [condition]]',
    text: 'Pause the script for a time, or until the condition holds.',
    examples: 'wait 5\nwait 10 for !ledger_conn',
    index: ['script', 'cli'],
  },
};
