import t from 'tap';
import { formatResult, parseResult, RESULT_MAX_BYTES } from '../../../src/backup/result.js';

t.test('a formatted result parses back', async (t) => {
  const result = {
    ok: true,
    time: '2026-12-06T04:30:15.123Z',
    count: 3,
    file: 'm-20261206T043015Z.json.gz',
    checksum: 'c'.repeat(64),
  };
  t.same(parseResult(formatResult(result)), result);
});

t.test('the last line counts; text that is no result gives undefined', async (t) => {
  t.same(parseResult('log line\n{"ok":false,"time":"x","reason":"Error","error":"boom"}\n'), {
    ok: false,
    time: 'x',
    reason: 'Error',
    error: 'boom',
  });
  t.equal(parseResult(undefined), undefined);
  t.equal(parseResult('not json'), undefined);
  t.equal(parseResult('{"ok":"yes","time":"x"}'), undefined);
  t.equal(parseResult('{"ok":true,"time":"x","checksum":"short"}'), undefined);
});

t.test('a long error is cut so the line stays under the termination message limit', async (t) => {
  const line = formatResult({ ok: false, time: 't', error: 'e'.repeat(10_000) });
  t.ok(Buffer.byteLength(line) < RESULT_MAX_BYTES);
  t.equal(parseResult(line)?.error?.length, 1024);
});
