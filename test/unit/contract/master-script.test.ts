// The lines both master deployments share: each block is exactly its part of the normative built-in master
// script (vectors/builtin-master.al), and the node's built-in master and the operator's master.al both
// carry every block unchanged.
import t from 'tap';
import {
  MASTER_LEDGER_TABLE,
  MASTER_PARAMETERS_HEAD,
  MASTER_SERVERS,
} from '../../../src/contract/master-script.js';
import { BUILTIN_MASTER_SCRIPT } from '../../../src/node/builtin-master.js';
import { renderMasterScript } from '../../../src/render/master-script.js';
import { readVectorText } from '../../helpers/vectors.js';

const vector = readVectorText('builtin-master.al').split('\n');

/** The vector's lines from the one equal to `first` up to the one equal to `last`, both included. */
function span(first: string, last: string): string[] {
  const from = vector.indexOf(first);
  const to = vector.indexOf(last, from);
  if (from < 0 || to < 0) throw new Error(`vector lacks ${first} … ${last}`);
  return vector.slice(from, to + 1);
}

/** The lines of the vector section that starts with `heading`, up to the blank line ending it. */
function section(heading: string): string[] {
  const from = vector.indexOf(heading);
  const end = vector.indexOf('', from);
  if (from < 0 || end < 0) throw new Error(`vector lacks section ${heading}`);
  return vector.slice(from, end);
}

function containsRun(lines: readonly string[], run: readonly string[]): boolean {
  for (let i = 0; i + run.length <= lines.length; i++) {
    if (run.every((line, j) => lines[i + j] === line)) return true;
  }
  return false;
}

t.test('each shared block is its exact part of the normative master script', async (t) => {
  t.same(
    MASTER_PARAMETERS_HEAD,
    span('# Step 1: parameters', 'overlay_network = $OVERLAY_NETWORK'),
    'step 1 up to the overlay network',
  );
  t.same(MASTER_SERVERS, section('# Step 2: TCP and REST servers'), 'all of step 2');
  t.same(
    MASTER_LEDGER_TABLE,
    section('# Step 3: ledger database and table').slice(-2),
    "step 3's last two lines",
  );
});

t.test('the built-in master and the rendered master.al carry every block unchanged', async (t) => {
  const scripts = {
    builtin: BUILTIN_MASTER_SCRIPT,
    embedded: renderMasterScript({ source: 'ns/m', ledgerMode: 'Embedded' }),
    external: renderMasterScript({ source: 'ns/m', ledgerMode: 'External' }),
  };
  for (const [name, text] of Object.entries(scripts)) {
    const lines = text.split('\n');
    for (const block of [MASTER_PARAMETERS_HEAD, MASTER_SERVERS, MASTER_LEDGER_TABLE]) {
      t.ok(containsRun(lines, block), `${name}: ${block[0] ?? ''}`);
    }
  }
});
