import t from 'tap';
import {
  InvalidSpecError,
  statusProblems,
  assertValidAnyLogMaster,
  validateAnyLogMaster,
} from '../../../src/api/validate.js';
import { invalidFixtures, samples, validFixtures } from './fixtures.js';

t.test('every invalid fixture is rejected with its expected message', async (t) => {
  const fixtures = invalidFixtures();
  t.ok(fixtures.length >= 12, `at least 12 invalid fixtures (${fixtures.length})`);
  for (const f of fixtures) {
    t.ok(f.expect, `${f.file} names its expected message`);
    const result = validateAnyLogMaster(f.object);
    t.notOk(result.ok, `${f.file} is rejected`);
    const messages = result.problems.map((p) => p.message);
    t.ok(
      messages.some((m) => m.includes(f.expect ?? '\u0000')),
      `${f.file}: expected "${f.expect}" in ${JSON.stringify(messages)}`,
    );
    t.equal(result.problems.length, 1, `${f.file} has exactly one problem`);
  }
});

t.test('valid fixtures and samples are accepted', async (t) => {
  const all = [...validFixtures(), ...samples()];
  t.ok(all.length >= 9);
  for (const f of all) {
    const result = validateAnyLogMaster(f.object);
    t.same(result.problems, [], `${f.file} has no problems`);
    t.ok(result.ok);
  }
});

t.test('all problems are reported at once, beyond TypeBox default cap of 8', async (t) => {
  const result = validateAnyLogMaster({
    apiVersion: 'anylog.co/v2',
    kind: 'Other',
    metadata: { name: 'Bad_Name' },
    spec: {
      nodeName: '-x',
      company: 'a$b',
      bogus: true,
      network: {
        tcpPort: 1,
        restPort: 1,
        tcpThreads: 0,
        restThreads: 99,
        advertise: { mode: 'Overlay', ip: '127.0.0.1' },
      },
      ledger: {
        external: { host: '', database: 'template1', sslMode: 'x', credentialsSecretRef: { name: 'ok' } },
        embedded: {},
      },
      storage: { size: '-1Gi' },
      syncIntervalSeconds: 0,
      deletionPolicy: 'Never',
    },
  });
  t.notOk(result.ok);
  const text = result.problems.map((p) => p.message).join('\n');
  for (const expected of [
    'apiVersion: Unsupported value',
    'kind: Unsupported value',
    'name must be a DNS-1035 label',
    'spec.nodeName in body should match',
    'spec.company in body should match',
    'unknown field "spec.bogus"',
    'spec.network.tcpPort in body should be greater than or equal to 1024',
    'spec.network.tcpThreads in body should be greater than or equal to 1',
    'spec.network.restThreads in body should be less than or equal to 64',
    'tcpPort and restPort must differ',
    'advertise.ip must be a non-loopback IPv4 address',
    'spec.ledger.external.host in body should be at least 1 chars long',
    'reserved database name',
    'spec.ledger.external.sslMode: Unsupported value: "x"',
    'exactly one of ledger.external',
    'spec.storage.size: Invalid value: "string": must be a positive quantity',
    'spec.syncIntervalSeconds in body should be greater than or equal to 1',
    'spec.deletionPolicy: Unsupported value: "Never"',
  ]) {
    t.match(text, expected, `reports ${expected}`);
  }
  t.ok(result.problems.length >= 18);
});

t.test('type errors are reported in apiserver wording and do not crash the twins', async (t) => {
  const result = validateAnyLogMaster({
    metadata: { name: 'x' },
    spec: {
      nodeName: 'a',
      company: 'b',
      network: 'wide',
      ledger: [],
      location: { loc: 5 },
      resources: { limits: { cpu: 2 } },
    },
  });
  const text = result.problems.map((p) => p.message).join('\n');
  t.match(text, 'spec.network: Invalid value: "string": spec.network in body must be of type object');
  t.match(text, 'spec.ledger in body must be of type object: "array"');
  t.match(text, 'spec.location.loc in body must be of type string: "integer"');
  t.match(text, 'spec.resources.limits[cpu]: Invalid value: "integer"');
});

t.test('list and map limits are enforced', async (t) => {
  const many = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v']));
  const result = validateAnyLogMaster({
    metadata: { name: 'x' },
    spec: {
      nodeName: 'a',
      company: 'b',
      imagePullSecrets: Array.from({ length: 9 }, () => ({ name: 'r' })),
      service: { annotations: many },
      image: 'x'.repeat(513),
    },
  });
  const text = result.problems.map((p) => p.message).join('\n');
  t.match(text, 'spec.imagePullSecrets: Too many: 9: must have at most 8 items');
  t.match(text, 'spec.service.annotations: Too many: 33: must have at most 32 items');
  t.match(text, 'spec.image: Too long: may not be more than 512 bytes');
});

t.test('non-objects are rejected without throwing', async (t) => {
  for (const value of [null, 'x', 3, []]) {
    const result = validateAnyLogMaster(value);
    t.notOk(result.ok);
    t.equal(result.problems.length, 1);
  }
  t.match(validateAnyLogMaster({ metadata: { name: 'x' } }).problems[0]?.message, 'spec: Required value');
});

t.test('validation does not mutate its input and returns the defaulted object', async (t) => {
  const input = { metadata: { name: 'x' }, spec: { nodeName: 'a', company: 'b' } };
  const copy = structuredClone(input);
  const result = validateAnyLogMaster(input);
  t.same(input, copy);
  t.match(result.defaulted, { spec: { network: { tcpPort: 32048 }, ledger: { embedded: {} } } });
});

t.test('assertValidAnyLogMaster throws one InvalidSpecError listing every problem', async (t) => {
  t.equal(
    assertValidAnyLogMaster({ metadata: { name: 'ok' }, spec: { nodeName: 'a', company: 'b' } }).nodeName,
    'a',
  );
  try {
    assertValidAnyLogMaster({
      metadata: { name: 'ok' },
      spec: { nodeName: 'a', company: 'b', syncIntervalSeconds: 0, deletionPolicy: 'x' },
    });
    t.fail('should throw');
  } catch (error) {
    t.ok(error instanceof InvalidSpecError);
    const e = error as InvalidSpecError;
    t.equal(e.code, 'ERR_CR_INVALID');
    t.equal(e.retryable, false);
    t.equal(e.problems.length, 2);
    t.match(e.message, 'syncIntervalSeconds');
    t.match(e.message, 'deletionPolicy');
  }
});

t.test('status is ignored; unknown root fields are rejected like strict decoding', async (t) => {
  const base = {
    apiVersion: 'anylog.co/v1alpha1',
    kind: 'AnyLogMaster',
    metadata: { name: 'x' },
    spec: { nodeName: 'a', company: 'b' },
  };
  t.ok(validateAnyLogMaster({ ...base, status: { phase: 'NotAPhase', conditions: 'nonsense' } }).ok);
  const extra = validateAnyLogMaster({ ...base, extra: 1 });
  t.same(
    extra.problems.map((p) => p.message),
    ['unknown field "extra"'],
  );
});

t.test('statusProblems checks what the operator writes against the status schema', async (t) => {
  t.same(
    statusProblems({
      observedGeneration: 4,
      phase: 'Running',
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          observedGeneration: 4,
          lastTransitionTime: '2026-11-26T12:40:24Z',
          reason: 'Ready',
          message: 'ok',
        },
      ],
      advertisedAddress: '10.96.12.7',
      endpoints: { tcp: '10.96.12.7:32048', rest: '10.96.12.7:32049' },
      policyId: '0f3c0f3c0f3c0f3c0f3c0f3c0f3c0f3c',
      ledger: {
        mode: 'External',
        host: 'pg',
        port: 5432,
        database: 'blockchain',
        secretName: 's',
        createdByOperator: { database: false, role: true },
      },
      images: { node: 'n', ledger: 'l' },
      processes: [{ name: 'TCP', status: 'Running', details: 'Listening' }],
    }),
    [],
  );
  const messages = statusProblems({
    phase: 'Happy',
    policyId: 'xyz',
    conditions: [{ type: 'Ready', status: 'Maybe', message: 'x'.repeat(1025) }],
    secret: 'no',
  }).map((p) => p.message);
  t.ok(messages.includes('unknown field "status.secret"'), JSON.stringify(messages));
  t.ok(messages.some((m) => m.startsWith('status.phase: Unsupported value: "Happy"')));
  t.ok(messages.some((m) => m.startsWith('status.policyId: Invalid value: "xyz"')));
  t.ok(messages.some((m) => m.startsWith('status.conditions[0].status: Unsupported value: "Maybe"')));
  t.ok(messages.some((m) => m.startsWith('status.conditions[0].message: Too long')));
});
