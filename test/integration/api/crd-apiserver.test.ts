// The generated CRD against the REAL apiserver:
// it installs server-side, `kubectl explain` shows the schema's descriptions, every sample and valid
// fixture passes a server-side dry run, every invalid fixture is rejected with the message its
// `# expect:` line names (the same message the TypeScript twins give), and the transition rules
// (immutable identity, ledger mode, storage) refuse updates.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyCrd, kubectl, kubectlOk, testNamespace, waitUntil } from '../../helpers/cluster.js';
import { repoRoot } from '../../helpers/vectors.js';

const fixtures = join(repoRoot, 'test', 'fixtures');

function expected(text: string): string {
  const m = /^# expect: (.+)$/m.exec(text);
  if (m?.[1] === undefined) throw new Error('invalid fixture without an "# expect:" line');
  return m[1].trim();
}

function withNamespace(text: string, ns: string): string {
  return text.replace(/^metadata:\n/m, `metadata:\n  namespace: ${ns}\n`);
}

t.test('the CRD installs server-side and is Established', async (t) => {
  await applyCrd();
  // The apiserver publishes a new CRD's OpenAPI a few seconds after Established.
  const explain = await waitUntil(
    'kubectl explain anylogmaster.spec.ledger',
    async () => {
      const res = await kubectl(['explain', 'anylogmaster.spec.ledger']);
      return res.code === 0 ? res.stdout : undefined;
    },
    60_000,
    1000,
  );
  t.match(explain, /external/, 'explain lists ledger.external');
  t.match(explain, /embedded/, 'explain lists ledger.embedded');
  t.match(explain, /DESCRIPTION:\s*\n\s*\S+/, 'explain shows a description');
});

t.test('samples and valid fixtures pass a server-side dry run', async (t) => {
  const ns = await testNamespace(t, 'crd-valid');
  const files = [
    ...readdirSync(join(repoRoot, 'manifests', 'samples')).map((f) =>
      join(repoRoot, 'manifests', 'samples', f),
    ),
    ...readdirSync(join(fixtures, 'valid')).map((f) => join(fixtures, 'valid', f)),
  ].filter((f) => f.endsWith('.yaml'));
  t.ok(files.length >= 9, `${files.length} valid documents`);
  for (const file of files) {
    const res = await kubectl(['apply', '-n', ns, '--dry-run=server', '--validate=strict', '-f', file]);
    t.equal(res.code, 0, `${file.slice(repoRoot.length + 1)} accepted ${res.stderr}`);
  }
});

t.test('every invalid fixture is rejected by the apiserver with its expected message', async (t) => {
  const ns = await testNamespace(t, 'crd-invalid');
  const files = readdirSync(join(fixtures, 'invalid')).filter((f) => f.endsWith('.yaml'));
  t.ok(files.length >= 12, `${files.length} invalid fixtures`);
  for (const file of files) {
    const text = readFileSync(join(fixtures, 'invalid', file), 'utf8');
    const res = await kubectl(['apply', '-n', ns, '--dry-run=server', '--validate=strict', '-f', '-'], {
      input: withNamespace(text, ns),
    });
    t.not(res.code, 0, `${file} rejected`);
    t.ok(res.stderr.includes(expected(text)), `${file}: "${expected(text)}" in: ${res.stderr.trim()}`);
  }
});

t.test('transition rules refuse changes to immutable fields', async (t) => {
  const ns = await testNamespace(t, 'crd-immutable');
  const base = (spec: string): string =>
    `apiVersion: anylog.co/v1alpha1\nkind: AnyLogMaster\nmetadata:\n  name: im\n  namespace: ${ns}\nspec:\n${spec}`;
  await kubectlOk(['apply', '--server-side', '--field-manager=test', '-f', '-'], {
    input: base('  nodeName: anylog-master\n  company: New Company\n  ledger:\n    embedded: {}\n'),
  });
  const cases: [string, string, string][] = [
    [
      'nodeName',
      '  nodeName: other-name\n  company: New Company\n  ledger:\n    embedded: {}\n',
      'field is immutable',
    ],
    [
      'company',
      '  nodeName: anylog-master\n  company: Other Co\n  ledger:\n    embedded: {}\n',
      'field is immutable',
    ],
    [
      'ledger mode',
      '  nodeName: anylog-master\n  company: New Company\n  ledger:\n    external:\n      host: pg.example\n      credentialsSecretRef:\n        name: s\n',
      'the ledger mode cannot be changed',
    ],
    [
      'storage',
      '  nodeName: anylog-master\n  company: New Company\n  ledger:\n    embedded: {}\n  storage:\n    size: 2Gi\n',
      'storage is immutable',
    ],
  ];
  for (const [what, spec, message] of cases) {
    const res = await kubectl(
      ['apply', '--server-side', '--field-manager=test', '--force-conflicts', '-f', '-'],
      {
        input: base(spec),
      },
    );
    t.not(res.code, 0, `changing ${what} is refused`);
    t.ok(res.stderr.includes(message), `${what}: "${message}" in: ${res.stderr.trim()}`);
  }
});
