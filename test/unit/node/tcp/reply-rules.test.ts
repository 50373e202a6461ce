// Reply rules of the TCP protocol beyond the basic cases: which answers are flagged as JSON, how the
// command key is read from the command text (trimmed, split on runs of blanks), the texts of failure
// replies, and the text a waiting job stores for a received `print` / `echo` message.
import t from 'tap';
import {
  asksForJson,
  buildReply,
  isJsonText,
  isReplyCommand,
  replyText,
} from '../../../../src/node/tcp/replies.js';
import { STATUS } from '../../../../src/contract/status-codes.js';

t.test('JSON text starts with { or [', async (t) => {
  t.ok(isJsonText('{"a": 1}'));
  t.ok(isJsonText('[1]'));
  t.notOk(isJsonText('x running'));
  t.notOk(isJsonText(''));
  t.notOk(isJsonText('a[1]'));
});

t.test('format = json is found with or without blanks around =, as a whole word', async (t) => {
  t.ok(asksForJson('format=json'));
  t.ok(asksForJson('get status where format = json'));
  t.ok(asksForJson('get status where format =json'));
  t.ok(asksForJson('get status where format= json and x = 1'));
  t.ok(asksForJson('get status where\tformat\t=\tjson'));
  t.notOk(asksForJson('get status where format = jsonx'));
  t.notOk(asksForJson('get status where xformat = json'));
  t.notOk(asksForJson('get status where format = table'));
});

t.test('print replies are flagged JSON only for JSON text answering a JSON request', async (t) => {
  const flag = (command: string, text: string): number | undefined =>
    buildReply(command, { code: STATUS.SUCCESS, text }, 0)?.generic;
  t.equal(flag('get status where format = json', '[{"a": 1}]'), 2);
  t.equal(flag('get status where format = json', '{"a": 1}'), 2);
  t.equal(flag('get status where format = json', 'x running'), 1);
});

t.test('the command key is read after trimming, split on runs of blanks', async (t) => {
  t.equal(buildReply(' event foo', { code: STATUS.SUCCESS }, 7), undefined, 'unknown event, leading blank');
  t.same(buildReply('event  metadata_pong', { code: STATUS.SUCCESS }, 7)?.command, 'echo', 'known event');
  t.equal(
    buildReply('blockchain  push {"a": {}}', { code: STATUS.BLOCKCHAIN_FAILED, detail: 'd' }, 0)?.command,
    "echo Blockchain message 'push' failed",
  );
});

t.test('failure replies name the command', async (t) => {
  t.equal(
    buildReply('  foo bar \t', { code: STATUS.UNRECOGNIZED_COMMAND }, 0)?.command,
    "echo Command 'foo bar' not recognized",
  );
  t.same(buildReply('blockchain', { code: STATUS.BLOCKCHAIN_FAILED }, 0), {
    command: "echo Blockchain message '' failed",
    data: 'Blockchain operation failed',
    error: STATUS.BLOCKCHAIN_FAILED,
    infoType: 2,
    generic: 0,
  });
  t.equal(
    buildReply('run client x y', { code: STATUS.UNAUTHORIZED, detail: '' }, 0)?.data,
    'Unauthorized command',
  );
});

t.test('the text of a received print or echo message', async (t) => {
  t.equal(replyText('print', 'data'), 'data');
  t.equal(replyText(' print ', 'data'), 'data', 'blanks around the command');
  t.equal(replyText('echo', 'data'), 'data');
  t.equal(replyText('echo', ''), '');
  t.equal(replyText('echo ', 'data'), 'data');
  t.equal(replyText('echo  \t ', 'data'), 'data', 'only blanks after echo');
  t.equal(replyText('ech', 'data'), 'data', 'shorter than echo');
  t.equal(replyText('echo Command failed', ''), 'Command failed');
  t.equal(replyText('echo Blockchain\tmessage  failed', 'detail'), 'Blockchain message  failed: detail');
  t.equal(replyText('  echo x  ', 'd'), 'x: d');
  t.equal(replyText('print x', 'd'), 'x: d', 'print with words is read as echo is');
});

t.test('print and echo commands are replies', async (t) => {
  t.ok(isReplyCommand('print'));
  t.ok(isReplyCommand(' print x'));
  t.ok(isReplyCommand('echo'));
  t.ok(isReplyCommand('echo Command failed'));
  t.notOk(isReplyCommand('get status'));
  t.notOk(isReplyCommand('printx'));
});

t.test('the three known events are answered, any other event is silent', async (t) => {
  for (const event of ['get_blockchain', 'metadata_ping', 'metadata_pong']) {
    t.same(buildReply(`event ${event}`, { code: STATUS.SUCCESS }, 7), {
      command: 'echo',
      data: '',
      error: 0,
      infoType: 4,
      generic: 0,
    });
  }
  t.equal(buildReply('event metadata_push', { code: STATUS.SUCCESS }, 7), undefined);
});
