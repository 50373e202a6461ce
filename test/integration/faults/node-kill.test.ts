// A real master process SIGKILLed in the middle of a burst of policy inserts, three times at seeded random
// points, and started again on the same ANYLOG_PATH and PostgreSQL database each time. After each restart
// blockchain.json and the ledger table hold the same policy ids (each once, every line whole), and every
// policy the node acknowledged before the kill is in both. Requests cut off by the kill have no answer:
// either outcome is allowed for them, and how many landed is printed with the other counts.
import t from 'tap';
import { mulberry32 } from '../../helpers/fuzz-inputs.js';
import { startPrivatePostgres } from '../../helpers/private-pg.js';
import {
  acknowledged,
  eventually,
  fileView,
  runClients,
  startMaster,
  tableView,
  tally,
  type Attempt,
} from './fixtures/master-process.js';

t.setTimeout(300_000);

const ROUNDS = 3;
const SEED = 20261206;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

t.test('SIGKILL during an insert burst loses no acknowledged policy', { timeout: 240_000 }, async (t) => {
  const pg = await startPrivatePostgres(t, 'nodekill', 'blockchain');
  const m = await startMaster(t, pg);
  const rand = mulberry32(SEED);
  const all: Attempt[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // Three inserting clients and one pushing client, as fast as the node answers.
    const run = runClients(m, {
      clients: 4,
      prefix: `kill${round}`,
      pauseMs: 0,
      timeoutMs: 5_000,
      kind: (c) => (c < 3 ? 'insert' : 'push'),
    });
    // Kill once the burst is under way (at least 100 answers), after a further seeded 0–1000 ms.
    await eventually(() => Promise.resolve(run.attempts.filter(acknowledged).length >= 100), 60_000);
    const extra = Math.floor(rand() * 1000);
    await sleep(extra);
    // No new requests from here; the ones in flight are cut by the kill.
    const stopped = run.stop();
    await m.kill();
    await stopped;
    const attempts = run.attempts;
    all.push(...attempts);
    await m.start();

    const acked = attempts.filter(acknowledged).map((a) => a.name);
    const cut = attempts.filter((a) => a.status === 'no-answer');
    let table = await tableView(pg);
    let file = fileView(m);
    const agreed = await eventually(async () => {
      table = await tableView(pg);
      file = fileView(m);
      return (
        acked.every((n) => table.names.has(n) && file.names.has(n)) && table.byId.size === file.byId.size
      );
    }, 30_000);
    t.ok(agreed, `round ${round}: the file and the table converged after the restart`);
    t.same(
      acked.filter((n) => !file.names.has(n)),
      [],
      `round ${round}: every acknowledged policy is in blockchain.json`,
    );
    t.same(
      acked.filter((n) => !table.names.has(n)),
      [],
      `round ${round}: every acknowledged policy is in the table`,
    );
    t.equal(file.bad, 0, `round ${round}: every line of blockchain.json is a whole policy`);
    t.equal(file.entries, file.byId.size, `round ${round}: each id once in blockchain.json`);
    t.equal(table.entries, table.byId.size, `round ${round}: each id once in the table`);
    t.same(
      [...file.byId.keys()].sort(),
      [...table.byId.keys()].sort(),
      `round ${round}: blockchain.json and the table hold the same policy ids`,
    );
    const refused = attempts.filter((a) => typeof a.status === 'number' && a.status !== 200);
    t.same(
      refused.map((a) => `${a.name} ${String(a.status)}`),
      [],
      `round ${round}: nothing was refused before the kill`,
    );
    const cutLanded = cut.filter((a) => table.names.has(a.name)).length;
    t.comment(
      `round ${round}: killed ${extra} ms after 100 answers; ${tally(attempts)}; acknowledged ` +
        `${acked.length}, cut off ${cut.length} (${cutLanded} of them stored); ledger ${table.byId.size} ` +
        `policies in the table and in blockchain.json`,
    );
  }
  const acked = all.filter(acknowledged).length;
  t.comment(`${ROUNDS} kills: ${all.length} attempts, ${acked} acknowledged, all of them kept`);
});
