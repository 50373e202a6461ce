import t from 'tap';
import {
  statusText,
  httpStatus,
  knownStatusCodes,
  STATUS,
  CONTROL,
  isControlCode,
  asStatusCode,
} from '../../../src/contract/status-codes.js';
import { readVectorJson } from '../../helpers/vectors.js';

interface CodesVector {
  default_http: number;
  codes: Record<string, { text: string; http?: number }>;
}

const vector = readVectorJson('status-codes.json') as CodesVector;

t.test('every code of vectors/status-codes.json has its text and HTTP status', async (t) => {
  const codes = Object.entries(vector.codes);
  t.equal(knownStatusCodes().length, codes.length);
  for (const [code, row] of codes) {
    t.equal(statusText(asStatusCode(Number(code))), row.text, `text of ${code}`);
    t.equal(httpStatus(asStatusCode(Number(code))), row.http ?? vector.default_http, `http of ${code}`);
  }
});

t.test('named codes point at the spec texts', async (t) => {
  t.equal(statusText(STATUS.UNRECOGNIZED_COMMAND), 'Unrecognized Command');
  t.equal(statusText(STATUS.SCRIPT_ERROR), "Error in script without 'on error' instruction");
  t.equal(httpStatus(STATUS.NOT_SUPPORTED), 501);
});

t.test('every named code is a row of the table, and no two names share a code', async (t) => {
  const known = new Set(knownStatusCodes());
  const named = Object.entries(STATUS);
  for (const [name, code] of named) t.ok(known.has(code), `${name} = ${code} is in the table`);
  t.equal(new Set(named.map(([, code]) => code)).size, named.length);
});

t.test('control codes lie above the table and are told apart from EdgeLake codes', async (t) => {
  const highest = Math.max(...knownStatusCodes());
  for (const [name, code] of Object.entries(CONTROL)) {
    t.ok(code > highest, `${name} = ${code} is above the table`);
    t.ok(isControlCode(code), `${name} is a control code`);
  }
  for (const code of knownStatusCodes()) t.notOk(isControlCode(code), `${code} is not a control code`);
});

t.test('a code outside the table keeps its number in its text and answers 500', async (t) => {
  const unlisted = asStatusCode(Math.max(...knownStatusCodes()) + 1);
  t.equal(statusText(unlisted), `Error code ${unlisted}`);
  t.equal(httpStatus(unlisted), vector.default_http);
});

t.test('control codes start at 1000 inclusive', async (t) => {
  const firstControl = 1000; // the documented boundary, though no named code sits on it
  t.ok(isControlCode(asStatusCode(firstControl)), `${firstControl} is a control code`);
  t.notOk(isControlCode(asStatusCode(firstControl - 1)), `${firstControl - 1} is not`);
});
