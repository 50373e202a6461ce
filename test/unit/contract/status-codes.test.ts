import t from 'tap';
import { statusText, httpStatus, knownStatusCodes, STATUS } from '../../../src/contract/status-codes.js';
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
    t.equal(statusText(Number(code)), row.text, `text of ${code}`);
    t.equal(httpStatus(Number(code)), row.http ?? vector.default_http, `http of ${code}`);
  }
});

t.test('named codes point at the spec texts', async (t) => {
  t.equal(statusText(STATUS.UNRECOGNIZED_COMMAND), 'Unrecognized Command');
  t.equal(statusText(STATUS.SCRIPT_ERROR), "Error in script without 'on error' instruction");
  t.equal(httpStatus(STATUS.NOT_SUPPORTED), 501);
});
