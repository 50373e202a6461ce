// TypeScript twins of the CEL rules without `oldSelf` (C1, C6–C13 and the CIDR rule).
// Each twin reads the defaulted object defensively (wrong types are the schema's problem, not ours) and
// reports the CEL rule's own message, worded as the apiserver reports a failed rule.
import { CEL, type CelRuleId } from './cel-rules.js';
import { isCIDR, isNonLoopbackIPv4 } from './ip.js';
import { isPositiveQuantity } from './quantity.js';
import type { ValidationProblem } from './schema-errors.js';
import { TLS_DEFAULT_DURATION_HOURS } from './schema-rest.js';
import { isRecord } from '../common/is-record.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (isRecord(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function fail(path: string, id: CelRuleId, celType: 'object' | 'string'): ValidationProblem {
  const prefix = path === '' ? '' : `${path}: `;
  return { path, message: `${prefix}Invalid value: "${celType}": ${CEL[id].message}` };
}

/** C11 at the root: the object name. */
export function checkName(root: Obj): ValidationProblem[] {
  const name = str(obj(root['metadata'])?.['name']);
  if (name === undefined) return [];
  const ok = /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name) && name.length <= 45;
  return ok ? [] : [fail('', 'C11', 'object')];
}

/** Every twin over a spec that already has its defaults applied. */
export function checkSpec(spec: Obj): ValidationProblem[] {
  return [
    ...checkLedger(spec),
    ...checkNetwork(spec),
    ...checkRestTls(spec),
    ...checkService(spec),
    ...checkPolicyPeers(spec),
    ...checkQuantities(spec),
  ];
}

function checkLedger(spec: Obj): ValidationProblem[] {
  const ledger = obj(spec['ledger']);
  if (ledger === undefined) return [];
  const out: ValidationProblem[] = [];
  const set = ['external', 'managed', 'embedded'].filter((k) => ledger[k] !== undefined).length;
  if (set !== 1) out.push(fail('spec.ledger', 'C1', 'object'));
  const database = str(obj(ledger['external'])?.['database']);
  if (database !== undefined && ['postgres', 'template0', 'template1'].includes(database)) {
    out.push(fail('spec.ledger.external.database', 'C12', 'string'));
  }
  return out;
}

function checkNetwork(spec: Obj): ValidationProblem[] {
  const network = obj(spec['network']);
  if (network === undefined) return [];
  const out: ValidationProblem[] = [];
  if (network['tcpPort'] !== undefined && network['tcpPort'] === network['restPort']) {
    out.push(fail('spec.network', 'C6', 'object'));
  }
  const advertise = obj(network['advertise']);
  if (advertise === undefined) return out;
  out.push(...checkAdvertise(advertise));
  if (advertise['mode'] === 'LoadBalancer' && obj(spec['service'])?.['type'] !== 'LoadBalancer') {
    out.push(fail('spec', 'C10', 'object'));
  }
  return out;
}

function checkAdvertise(advertise: Obj): ValidationProblem[] {
  const out: ValidationProblem[] = [];
  const overlay = advertise['mode'] === 'Overlay';
  const hasIp = advertise['ip'] !== undefined;
  if (overlay && !hasIp) out.push(fail('spec.network.advertise', 'C7', 'object'));
  if (!overlay && hasIp) out.push(fail('spec.network.advertise', 'C8', 'object'));
  const ip = str(advertise['ip']);
  if (ip !== undefined && !isNonLoopbackIPv4(ip)) out.push(fail('spec.network.advertise.ip', 'C9', 'string'));
  return out;
}

function checkRestTls(spec: Obj): ValidationProblem[] {
  const tls = obj(obj(spec['rest'])?.['tls']);
  if (tls === undefined) return [];
  const out: ValidationProblem[] = [];
  if ((tls['secretName'] === undefined) !== (tls['clientSecretName'] === undefined)) {
    out.push(fail('spec.rest.tls', 'TLS1', 'object'));
  }
  const renew = tls['renewBeforeHours'];
  const duration = tls['durationHours'] ?? TLS_DEFAULT_DURATION_HOURS;
  if (typeof renew === 'number' && typeof duration === 'number' && renew >= duration) {
    out.push(fail('spec.rest.tls', 'TLS2', 'object'));
  }
  return out;
}

function checkService(spec: Obj): ValidationProblem[] {
  const ranges = obj(spec['service'])?.['loadBalancerSourceRanges'];
  if (!Array.isArray(ranges)) return [];
  return ranges.flatMap((r: unknown, i) =>
    typeof r === 'string' && !isCIDR(r)
      ? [fail(`spec.service.loadBalancerSourceRanges[${i}]`, 'CIDR', 'string')]
      : [],
  );
}

/** The CIDR rule on every `ipBlock.cidr` and `ipBlock.except[]` of spec.networkPolicy. */
function checkPolicyPeers(spec: Obj): ValidationProblem[] {
  const policy = obj(spec['networkPolicy']);
  const out: ValidationProblem[] = [];
  for (const list of ['tcpPeers', 'restClients']) {
    const peers = policy?.[list];
    if (!Array.isArray(peers)) continue;
    peers.forEach((peer: unknown, i) => {
      const block = obj(obj(peer)?.['ipBlock']);
      const at = `spec.networkPolicy.${list}[${i}].ipBlock`;
      const cidr = block?.['cidr'];
      if (typeof cidr === 'string' && !isCIDR(cidr)) out.push(fail(`${at}.cidr`, 'CIDR', 'string'));
      const except = block?.['except'];
      if (Array.isArray(except)) {
        except.forEach((e: unknown, j) => {
          if (typeof e === 'string' && !isCIDR(e)) out.push(fail(`${at}.except[${j}]`, 'CIDR', 'string'));
        });
      }
    });
  }
  return out;
}

function checkQuantities(spec: Obj): ValidationProblem[] {
  const managed = obj(obj(spec['ledger'])?.['managed']);
  return [
    ...checkQuantity('spec.storage.size', obj(spec['storage'])?.['size']),
    ...checkResources('spec.resources', spec['resources']),
    ...checkQuantity('spec.ledger.managed.storage.size', obj(managed?.['storage'])?.['size']),
    ...checkResources('spec.ledger.managed.resources', managed?.['resources']),
  ];
}

function checkResources(path: string, resources: unknown): ValidationProblem[] {
  const r = obj(resources);
  if (r === undefined) return [];
  return ['requests', 'limits'].flatMap((kind) =>
    Object.entries(obj(r[kind]) ?? {}).flatMap(([key, value]) =>
      checkQuantity(`${path}.${kind}[${key}]`, value),
    ),
  );
}

function checkQuantity(path: string, value: unknown): ValidationProblem[] {
  return typeof value === 'string' && !isPositiveQuantity(value) ? [fail(path, 'C13', 'string')] : [];
}
