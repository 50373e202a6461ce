// `get processes` contract: row names match the vectors, JSON ↔ list conversion keeps order and omits
// empty details, and the required-process check names what is not running.
import t from 'tap';
import {
  PROCESS_ROW_NAMES,
  REQUIRED_PROCESSES,
  notRunningRequired,
  processesToJson,
  processesToList,
} from '../../../src/contract/processes.js';
import { ProcessesJson, validateBody } from '../../../src/contract/rest.js';
import { readVectorJson } from '../../helpers/vectors.js';

interface Vector {
  edgelake_observed: { rows: string[][]; json_form: string };
  anylog_node: { row_names: string[]; cases: Array<{ name: string; json_form: string }> };
}
const vec = readVectorJson('get-processes.json') as Vector;

t.test('row names are the vector row names', async (t) => {
  t.same([...PROCESS_ROW_NAMES], vec.anylog_node.row_names);
  t.same([...REQUIRED_PROCESSES], ['TCP', 'REST', 'Blockchain Sync', 'Scheduler']);
});

t.test('JSON form → ordered list and back, for every vector', async (t) => {
  const forms = [vec.edgelake_observed.json_form, ...vec.anylog_node.cases.map((c) => c.json_form)];
  for (const form of forms) {
    const parsed: unknown = JSON.parse(form);
    const checked = validateBody(ProcessesJson, parsed);
    t.ok(checked.ok);
    if (!checked.ok) continue;
    const list = processesToList(checked.value);
    t.same(processesToJson(list), parsed);
    t.same(Object.keys(processesToJson(list)), Object.keys(parsed as object));
  }
  const observed = processesToList(
    JSON.parse(vec.edgelake_observed.json_form) as Record<string, { Status: string }>,
  );
  t.same(
    observed.map((p) => [p.name, p.status, p.details ?? '']),
    vec.edgelake_observed.rows,
  );
});

t.test('empty details are omitted both ways', async (t) => {
  t.same(processesToList({ A: { Status: 'Running', Details: '' } }), [{ name: 'A', status: 'Running' }]);
  t.same(processesToJson([{ name: 'A', status: 'Running', details: '' }]), { A: { Status: 'Running' } });
});

t.test('required processes not running are listed in order', async (t) => {
  const all = processesToList(
    JSON.parse(vec.anylog_node.cases[0]!.json_form) as Record<string, { Status: string }>,
  );
  t.same(notRunningRequired(all), []);
  const some = all
    .filter((p) => p.name !== 'REST')
    .map((p) => (p.name === 'Scheduler' ? { ...p, status: 'Not declared' } : p));
  t.same(notRunningRequired(some), ['REST', 'Scheduler']);
  t.same(notRunningRequired([]), ['TCP', 'REST', 'Blockchain Sync', 'Scheduler']);
});
