// Events on condition transitions only.
import t from 'tap';
import type { Condition } from '../../../../src/operator/framework/status.js';
import { transitionEvents } from '../../../../src/operator/anylogmaster/transitions.js';

const c = (type: string, status: Condition['status'], reason: string, message = 'm'): Condition => ({
  type,
  status,
  reason,
  message,
});

t.test('no change → no events', async (t) => {
  const same = [c('Ready', 'True', 'Ready'), c('LedgerReady', 'True', 'Embedded')];
  t.same(transitionEvents(same, same), []);
});

t.test('becoming Ready and LedgerReady emits Normal events', async (t) => {
  const events = transitionEvents(
    [c('Ready', 'Unknown', 'Progressing'), c('LedgerReady', 'False', 'WaitingForLedger')],
    [c('Ready', 'True', 'Ready', 'ok'), c('LedgerReady', 'True', 'Provisioned', 'pg ok')],
  );
  t.same(events, [
    { type: 'Normal', reason: 'LedgerReady', note: 'pg ok' },
    { type: 'Normal', reason: 'Ready', note: 'ok' },
  ]);
});

t.test('warnings for unreachable ledger, node, failed processes and a new stall', async (t) => {
  const events = transitionEvents(
    [],
    [
      c('LedgerReady', 'False', 'LedgerUnreachable', 'pg down'),
      c('NodeReachable', 'False', 'NodeUnreachable', 'no answer'),
      c('ProcessesHealthy', 'False', 'ProcessesNotRunning', 'Scheduler'),
      c('Stalled', 'True', 'SecretNotFound', 'Secret pg'),
    ],
  );
  t.same(
    events.map((e) => [e.type, e.reason, e.note]),
    [
      ['Warning', 'LedgerUnreachable', 'pg down'],
      ['Warning', 'NodeUnreachable', 'no answer'],
      ['Warning', 'ProcessesNotRunning', 'Scheduler'],
      ['Warning', 'Stalled', 'SecretNotFound: Secret pg'],
    ],
  );
  const again = transitionEvents(
    [c('NodeReachable', 'False', 'NodeUnreachable'), c('Stalled', 'True', 'SecretNotFound')],
    [
      c('NodeReachable', 'False', 'NodeUnreachable', 'other text'),
      c('Stalled', 'True', 'SecretNotFound', 'x'),
    ],
  );
  t.same(again, [], 'a message change alone is no transition');
  const newStall = transitionEvents(
    [c('Stalled', 'True', 'SecretNotFound')],
    [c('Stalled', 'True', 'LedgerAuthFailed', 'bad pw')],
  );
  t.same(newStall, [{ type: 'Warning', reason: 'Stalled', note: 'LedgerAuthFailed: bad pw' }]);
});

t.test('a status change under the same reason is a transition', async (t) => {
  t.same(
    transitionEvents(
      [c('LedgerReady', 'Unknown', 'LedgerUnreachable')],
      [c('LedgerReady', 'False', 'LedgerUnreachable', 'pg down')],
    ),
    [{ type: 'Warning', reason: 'LedgerUnreachable', note: 'pg down' }],
  );
  t.same(
    transitionEvents(
      [c('Stalled', 'False', 'SecretNotFound')],
      [c('Stalled', 'True', 'SecretNotFound', 's')],
    ),
    [{ type: 'Warning', reason: 'Stalled', note: 'SecretNotFound: s' }],
  );
});
