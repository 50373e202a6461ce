// `help` in EdgeLake's layout (layout facts in test/fixtures/edgelake/commands.json):
// the command list, one command's sections, sub-command groups, the keyword index, unknown commands, the
// coverage of every registered command, and the command run through an assembled node (peers refused).
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../../src/node/config.js';
import { ALL_COMMANDS } from '../../../../src/node/commands/index.js';
import { renderHelp } from '../../../../src/node/commands/help/render.js';
import { HELP, isGroup, type HelpNode } from '../../../../src/node/commands/help/texts.js';
import { peerPermission } from '../../../../src/node/tcp/dispatch.js';
import { bootNode } from '../../../helpers/boot-node.js';
import { edgeLakeEntry } from '../../../helpers/edgelake-fixtures.js';

const help = (text: string): string =>
  renderHelp(
    text.split(' ').filter((w) => w !== ''),
    HELP,
  );

function usageOf(node: HelpNode | undefined): string {
  return node?.usage ?? '';
}

t.test(
  'help: every top-level usage in key order, internal commands left out, no leading CR LF',
  async (t) => {
    t.match(edgeLakeEntry('commands', 'help').edgelake['layout'], /sorted key order, except internal/);
    const keys = Object.keys(HELP)
      .filter((k) => HELP[k]?.internal !== true)
      .sort();
    t.equal(help(''), keys.map((k) => usageOf(HELP[k])).join('\r\n'));
    t.notMatch(help(''), /file \[operation\]/, 'the peer-protocol file command is internal');
    t.equal(help('').split('\r\n')[0], 'blockchain [operation] [arguments]');
  },
);

t.test('help <command>: Usage, Explanation, Examples and Index sections; extra words ignored', async (t) => {
  const fact = edgeLakeEntry('commands', 'help-command').edgelake;
  t.match(String(fact['layout']), /'Usage:' \+ CR LF TAB/);
  const text = help('get status where format=json');
  t.equal(
    text,
    'Usage:\r\n\tget status [where format = json]' +
      "\r\n\nExplanation:\r\n\tAnswer the node name followed by 'running' while the node is up." +
      '\r\n\nExamples:\r\n\tget status\r\n\tget status where format = json' +
      "\r\n\nIndex:\r\n\t['node info']",
  );
  t.match(help('run tcp server where threads = 3'), /^Usage:\r\n\trun tcp server where external_ip/);
  t.match(
    help('exit'),
    /\r\n\nExplanation:\r\n\texit node - stop all processes and shut the node down\.\r\n\texit scripts/,
  );
  t.match(help('get ip list'), /^Usage:\r\n\tget ip list\r\n/, "'get ip list' is the sub-command 'ip'");
});

t.test('help <group>: the usages of its sub-commands', async (t) => {
  t.match(edgeLakeEntry('commands', 'help-group').edgelake['layout'], /every sub-command/);
  const get = HELP['get'];
  t.ok(get !== undefined && isGroup(get));
  const methods = get !== undefined && isGroup(get) ? get.methods : {};
  const expected = Object.keys(methods)
    .sort()
    .map((k) => methods[k]?.usage ?? '')
    .join('\r\n');
  t.equal(help('get'), expected);
  t.match(help('get'), /^get connections/);
});

t.test(
  'help index: keywords; with a keyword, its commands (sub-commands named with their parent)',
  async (t) => {
    t.match(edgeLakeEntry('commands', 'help-index-keyword').edgelake['layout'], /five spaces/);
    const keywords = help('index').split('\r\n');
    t.same(keywords, [...keywords].sort(), 'sorted');
    t.ok(keywords.includes('blockchain') && keywords.includes('node info'));
    t.notOk(keywords.includes('not indexed'), 'every command carries keywords');
    const blockchain = help('index blockchain');
    t.match(blockchain, /^blockchain\r\n {5}blockchain create table\r\n {5}blockchain delete policy\r\n/);
    t.notMatch(blockchain, /\r\nnode info/, 'only keywords starting with the word');
    t.match(help('index *'), /\r\nnode info\r\n {5}get connections\r\n {5}get hostname\r\n {5}get ip\r\n/);
  },
);

t.test('help of an unknown command: Unrecognized command and Maybe suggestions', async (t) => {
  t.match(edgeLakeEntry('commands', 'help-unknown').edgelake['layout'], /Maybe: /);
  t.equal(
    help('tcp'),
    'Unrecognized command\r\n\r\nMaybe: get tcp pool\r\nMaybe: ' + usageOf(HELP['run tcp server']),
  );
  t.equal(help('get flavour'), 'Unrecognized command\r\n', 'no key contains the word or its shorter form');
  t.equal(help('z'), 'Unrecognized command\r\n', 'a one-character word gets no suggestions');
});

t.test('every registered command has help', async (t) => {
  const peerProtocol = new Set(['event get_blockchain', 'event metadata_ping', 'event metadata_pong']);
  const builtins = ['print', 'echo', 'wait', 'process'];
  for (const key of [...ALL_COMMANDS.map((c) => c.key), ...builtins]) {
    if (peerProtocol.has(key)) continue;
    // `get rest server info` is registered under its first three words (registry keys have at most three).
    const words = (key === 'get rest server' ? 'get rest server info' : key).split(' ');
    const top = HELP[words[0] ?? ''];
    const group = top !== undefined && isGroup(top) ? top : undefined;
    const found =
      HELP[words.join(' ')] ??
      group?.methods[words.slice(1).join(' ')] ??
      group?.methods[words[1] ?? ''] ??
      (top !== undefined && !isGroup(top) && top.usage.includes(words.join(' ')) ? top : undefined);
    t.ok(found !== undefined, `help for '${key}'`);
  }
});

t.test('help through the node: code 0 over REST-like and script sources, refused from peers', async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'al-help-'));
  const config = loadConfig(
    { NODE_TYPE: 'master', NODE_NAME: 'help-master', INTERNAL_IP: '127.0.0.1', ANYLOG_PATH: home },
    { hostname: 'help-host', cwd: home, interfaces: {} },
  );
  const { running } = await bootNode(t, config, home);
  const console = (): void => undefined;
  const run = (text: string) => running.node.execute(text, { source: 'rest', assigned: false, console });
  const all = await run('help');
  t.equal(all.code, 0);
  t.equal(all.text, help(''));
  const unknown = await run('help no_such_command');
  t.equal(unknown.code, 0, 'an unknown command is not an error (as on EdgeLake)');
  t.match(unknown.text, /^Unrecognized command\r\n/);
  t.ok(edgeLakeEntry('commands', 'help-from-peer').edgelake['refused']);
  t.equal(peerPermission('help'), 212, 'peers get 212');
});
