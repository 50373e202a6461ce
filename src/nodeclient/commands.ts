// The AnyLog command texts the operator sends (9) and the one helper
// that quotes values. This is the only module that builds command text: values enter commands only
// through quoteValue / policyText, which refuse anything the AnyLog command language treats specially.
import { UnsafeCommandValueError } from './errors.js';

export const GET_STATUS_JSON = 'get status where format = json';
export const GET_PROCESSES_JSON = 'get processes where format = json';

/** Header command of the policy post; the body assigns `new_policy` and prepares it. */
export const INSERT_POLICY_COMMAND =
  'blockchain insert where policy = !new_policy and local = true and master = !ledger_conn';

/** Characters allowed in a quoted where-value: the CRD's identity and location character sets, plus : / @. */
const SAFE_VALUE = /^[\p{L}\p{N} ._,&()\-:/@]+$/u;
/** Characters refused inside policy strings: AnyLog syntax (| ! $ quotes, backslash, #) and control chars. */
const UNSAFE_POLICY_CHAR = /[|!$"'`\\\u0000-\u001f\u007f]/u;
const POLICY_ID = /^[0-9a-f]{32}$/;
const POLICY_TYPE = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** A where-clause value in double quotes (one word to the tokenizer, never expanded). */
export function quoteValue(value: string): string {
  if (!SAFE_VALUE.test(value) || value.trim() !== value) throw new UnsafeCommandValueError('value', value);
  return `"${value}"`;
}

export function policyIdWord(id: string): string {
  if (!POLICY_ID.test(id)) throw new UnsafeCommandValueError('policy id', id);
  return id;
}

export function queryPoliciesCommand(type: string, where: Readonly<Record<string, string>>): string {
  if (!POLICY_TYPE.test(type)) throw new UnsafeCommandValueError('policy type', type);
  const conditions = Object.entries(where).map(([key, value]) => {
    if (!POLICY_TYPE.test(key)) throw new UnsafeCommandValueError('attribute', key);
    return `${key} = ${quoteValue(value)}`;
  });
  return conditions.length === 0
    ? `blockchain get ${type}`
    : `blockchain get ${type} where ${conditions.join(' and ')}`;
}

export const READ_LEDGER_COMMAND = 'blockchain get *';

/** `blockchain push ignore <policy>`: the policy as JSON text, stored as is; a duplicate id is not an error. */
export function pushPolicyCommand(policy: Readonly<Record<string, unknown>>): string {
  return `blockchain push ignore ${JSON.stringify(policy)}`;
}

/** `blockchain get master where name = "<name>" and company = "<company>"`. */
export function queryMasterCommand(name: string, company: string): string {
  return queryPoliciesCommand('master', { name, company });
}

export function dropPolicyCommand(id: string): string {
  return `blockchain drop policy where id = ${policyIdWord(id)}`;
}

/** Attribute values a policy built by the operator may hold. */
export type PolicyValue = string | number | boolean;
/** A one-key policy: `{type: {attribute: value, …}}`, attributes in insertion order. */
export type PolicyBody = Readonly<Record<string, Readonly<Record<string, PolicyValue>>>>;

function policyValueText(key: string, value: PolicyValue): string {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value))
      throw new UnsafeCommandValueError(`policy attribute ${key}`, String(value));
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (UNSAFE_POLICY_CHAR.test(value)) throw new UnsafeCommandValueError(`policy attribute ${key}`, value);
  return JSON.stringify(value);
}

/** The policy as JSON text with Python json.dumps spacing (`, ` and `: `), key order kept. */
export function policyText(policy: PolicyBody): string {
  const entries = Object.entries(policy);
  const [first] = entries;
  if (entries.length !== 1 || first === undefined) {
    throw new UnsafeCommandValueError('policy with key count', String(entries.length));
  }
  const [type, inner] = first;
  if (!POLICY_TYPE.test(type)) throw new UnsafeCommandValueError('policy type', type);
  const attrs = Object.entries(inner).map(([key, value]) => {
    if (!POLICY_TYPE.test(key)) throw new UnsafeCommandValueError('policy attribute', key);
    return `${JSON.stringify(key)}: ${policyValueText(key, value)}`;
  });
  return `{${JSON.stringify(type)}: {${attrs.join(', ')}}}`;
}

/** POST body lines of the insert: assign the policy, then add its id and date. */
export function insertPolicyBody(policy: PolicyBody): string {
  return `new_policy = ${policyText(policy)}\nblockchain prepare policy !new_policy\n`;
}
