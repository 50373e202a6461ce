import t from 'tap';
import { EventDeduper, microTime } from '../../../../src/operator/framework/events.js';

const MIN = 60_000;

t.test('first emission creates; a repeat within 10 min becomes a series update', async (t) => {
  const d = new EventDeduper();
  t.same(d.decide('uid1', 'NodeUnreachable', 'Warning', 0), { action: 'create' });
  d.created('uid1', 'NodeUnreachable', 'Warning', 'ev-1');
  t.same(d.decide('uid1', 'NodeUnreachable', 'Warning', 2 * MIN), {
    action: 'series',
    name: 'ev-1',
    count: 2,
  });
  t.same(d.decide('uid1', 'NodeUnreachable', 'Warning', 9 * MIN), {
    action: 'series',
    name: 'ev-1',
    count: 3,
  });
});

t.test('after the 10 min window a new Event is created', async (t) => {
  const d = new EventDeduper();
  d.decide('uid1', 'Ready', 'Normal', 0);
  d.created('uid1', 'Ready', 'Normal', 'ev-1');
  t.same(d.decide('uid1', 'Ready', 'Normal', 10 * MIN), { action: 'create' });
});

t.test('different reasons, types and objects are independent', async (t) => {
  const d = new EventDeduper();
  t.equal(d.decide('uid1', 'A', 'Normal', 0).action, 'create');
  t.equal(d.decide('uid1', 'B', 'Normal', 0).action, 'create');
  t.equal(d.decide('uid1', 'A', 'Warning', 0).action, 'create');
  t.equal(d.decide('uid2', 'A', 'Normal', 0).action, 'create');
});

t.test('a repeat while the creation is in flight is dropped; a failed creation is forgotten', async (t) => {
  const d = new EventDeduper();
  d.decide('u', 'R', 'Normal', 0);
  t.same(d.decide('u', 'R', 'Normal', 1), { action: 'drop' });
  d.failed('u', 'R', 'Normal');
  t.same(d.decide('u', 'R', 'Normal', 2), { action: 'create' });
});

t.test('emission is rate limited per object', async (t) => {
  const d = new EventDeduper({ burst: 3, refillEveryMs: MIN });
  t.equal(d.decide('u', 'R1', 'Normal', 0).action, 'create');
  t.equal(d.decide('u', 'R2', 'Normal', 0).action, 'create');
  t.equal(d.decide('u', 'R3', 'Normal', 0).action, 'create');
  t.equal(d.decide('u', 'R4', 'Normal', 0).action, 'drop', 'burst used up');
  t.equal(d.decide('other', 'R4', 'Normal', 0).action, 'create', 'other objects unaffected');
  t.equal(d.decide('u', 'R5', 'Normal', MIN).action, 'create', 'one token back after the refill period');
});

t.test('remembered entries are bounded', async (t) => {
  const d = new EventDeduper({ maxEntries: 2 });
  d.decide('a', 'R', 'Normal', 0);
  d.created('a', 'R', 'Normal', 'ev-a');
  d.decide('b', 'R', 'Normal', 0);
  d.decide('c', 'R', 'Normal', 0);
  t.same(d.decide('a', 'R', 'Normal', 1), { action: 'create' }, 'oldest forgotten');
});

t.test('microTime has microsecond precision', async (t) => {
  t.equal(microTime(Date.UTC(2026, 10, 26, 12, 0, 0, 123)), '2026-11-26T12:00:00.123000Z');
});
