// The CRD's CEL validation rules (C1–C13): expression and message in one table.
// schema.ts attaches them as `x-kubernetes-validations`; validate.ts runs the TypeScript twin of every rule
// that does not use `oldSelf`, with the same message, so the apiserver and the operator agree.
// Two departures from the spec's intended CEL, both found against a real 1.34 apiserver: the apiserver also
// validates each `default: {}` (without its nested defaults), so C6–C8 guard fields with has(); and
// `quantity(...).sign()` is not in the CRD CEL environment, so C13 uses isGreaterThan(quantity('0')).

export interface CelRule {
  readonly rule: string;
  readonly message: string;
}

const NAME_RULE =
  "self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$') && size(self.metadata.name) <= 45";

export const CEL = {
  C1: {
    rule: '(has(self.external) ? 1 : 0) + (has(self.managed) ? 1 : 0) + (has(self.embedded) ? 1 : 0) == 1',
    message: 'exactly one of ledger.external, ledger.managed, ledger.embedded must be set',
  },
  C2: {
    rule:
      'has(self.external) == has(oldSelf.external) && has(self.managed) == has(oldSelf.managed) && ' +
      'has(self.embedded) == has(oldSelf.embedded)',
    message: 'the ledger mode cannot be changed',
  },
  C3: { rule: 'self == oldSelf', message: 'field is immutable' },
  C4: { rule: 'self == oldSelf', message: 'ledger.external.database is immutable' },
  C5: { rule: 'self == oldSelf', message: 'storage is immutable (volume claim templates cannot change)' },
  C6: {
    rule: '!has(self.tcpPort) || !has(self.restPort) || self.tcpPort != self.restPort',
    message: 'tcpPort and restPort must differ',
  },
  C7: {
    rule: "!has(self.mode) || self.mode != 'Overlay' || has(self.ip)",
    message: 'advertise.ip is required when mode is Overlay',
  },
  C8: {
    rule: "(has(self.mode) && self.mode == 'Overlay') || !has(self.ip)",
    message: 'advertise.ip is only allowed when mode is Overlay',
  },
  C9: {
    rule: 'isIP(self) && ip(self).family() == 4 && !ip(self).isLoopback()',
    message: 'advertise.ip must be a non-loopback IPv4 address',
  },
  C10: {
    rule: "self.network.advertise.mode != 'LoadBalancer' || self.service.type == 'LoadBalancer'",
    message: 'advertise.mode LoadBalancer requires service.type LoadBalancer',
  },
  C11: { rule: NAME_RULE, message: 'name must be a DNS-1035 label of at most 45 characters' },
  C12: { rule: "!(self in ['postgres', 'template0', 'template1'])", message: 'reserved database name' },
  C13: {
    rule: "isQuantity(self) && quantity(self).isGreaterThan(quantity('0'))",
    message: 'must be a positive quantity',
  },
  CIDR: { rule: 'isCIDR(self)', message: 'must be a CIDR such as 10.0.0.0/8' },
  TLS1: {
    rule: 'has(self.secretName) == has(self.clientSecretName)',
    message: 'rest.tls.secretName and rest.tls.clientSecretName must be set together',
  },
  TLS2: {
    rule: '!has(self.renewBeforeHours) || self.renewBeforeHours < (has(self.durationHours) ? self.durationHours : 2160)',
    message: 'rest.tls.renewBeforeHours must be shorter than durationHours',
  },
} as const satisfies Record<string, CelRule>;

export type CelRuleId = keyof typeof CEL;

/** The `x-kubernetes-validations` entry for a rule; transition rules are flagged for the docs. */
export function celValidations(...ids: readonly CelRuleId[]): CelRule[] {
  return ids.map((id) => ({ rule: CEL[id].rule, message: CEL[id].message }));
}
