// The table renderer against the exact tables of vectors/get-processes.json and status-outputs.json.
import t from 'tap';
import { renderTable } from '../../../../src/node/status/table.js';
import { readVectorJson } from '../../../helpers/vectors.js';

interface ProcessVectors {
  edgelake_observed: { text: string; rows: string[][] };
  seed_document: { text: string; rows: string[][] };
}

const processes = readVectorJson('get-processes.json') as ProcessVectors;

for (const name of ['edgelake_observed', 'seed_document'] as const) {
  t.test(`renders ${name} from its rows`, async (t) => {
    const v = processes[name];
    const text = renderTable({ titles: ['Process', 'Status', 'Details'], rows: v.rows, prefix: '    ' });
    t.equal(text, v.text);
  });
}

t.test('two-line titles and right-aligned numbers (get synchronizer)', async (t) => {
  const outputs = (readVectorJson('status-outputs.json') as { outputs: { command: string; text: string }[] })
    .outputs;
  const sync = outputs.find((o) => o.command === 'get synchronizer');
  t.ok(sync);
  const text = renderTable({
    titles: [
      'Status',
      'Sync\nSource',
      'Connection',
      'Sync\nTime',
      'Metadata Version',
      'Time\nSince Update',
      'Calls',
      'Loads',
      'Policies',
      'Sync OK',
      'Sync Err',
    ],
    rows: [
      [
        'Running',
        'master',
        '127.0.0.1:32048',
        30,
        '28e08d1d30db9501705f80c42c5d9ed5',
        'Not updated',
        8,
        0,
        2,
        8,
        0,
      ],
    ],
  });
  t.equal(text, sync?.text);
});

t.test('long cells are cut into 100-character pieces', async (t) => {
  const long = 'x'.repeat(150);
  const text = renderTable({ titles: ['A', 'B'], rows: [['a', long]] });
  t.equal(
    text,
    `\r\nA B${' '.repeat(100)}\r\n-|${'-'.repeat(100)}|\r\na|${'x'.repeat(100)}|\r\n |${'x'.repeat(50)}${' '.repeat(50)}|\r\n`,
  );
  t.match(
    renderTable({ titles: ['V'], rows: [[true], [null], ['-1.5'], ['1-2']] }),
    /True\|\r\n {4}\|\r\n-1\.5\|\r\n1-2 \|/,
  );
});
