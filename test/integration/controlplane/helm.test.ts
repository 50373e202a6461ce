// Helm against the real control plane: helm lint, helm
// template piped to a server-side dry run with strict validation, and helm install --wait of a small
// chart whose Deployment runs under the pod runner, then helm uninstall.
import t from 'tap';
import { join } from 'node:path';
import { repoRoot } from '../../controlplane/src/paths.js';
import { getJson, helm, kubectl, kubectlOk, testNamespace } from '../../helpers/cluster.js';

// Waits for real controllers and processes: more than tap's default per-file timeout.
t.setTimeout(300_000);

const chart = join(repoRoot, 'test', 'fixtures', 'charts', 'hello');

t.test('helm lint, template | dry-run=server, install and uninstall', async (t) => {
  const lint = await helm(['lint', '--strict', chart]);
  t.equal(lint.code, 0, `helm lint: ${lint.stdout}${lint.stderr}`);

  const ns = await testNamespace(t, 'helm');
  const tpl = await helm(['template', 'hello', chart, '-n', ns]);
  t.equal(tpl.code, 0, tpl.stderr);
  const dry = await kubectl(['apply', '--dry-run=server', '--validate=strict', '-n', ns, '-f', '-'], {
    input: tpl.stdout,
  });
  t.equal(dry.code, 0, dry.stderr);
  t.match(dry.stdout, /deployment.apps\/hello created \(server dry run\)/);
  t.not((await kubectl(['-n', ns, 'get', 'deployment', 'hello'])).code, 0, 'the dry run created nothing');

  const bad = await kubectl(['apply', '--dry-run=server', '--validate=strict', '-n', ns, '-f', '-'], {
    input: tpl.stdout.replace('replicas: 1', 'replicas: 1\n  replicaz: 2'),
  });
  t.not(bad.code, 0, 'strict validation rejects an unknown field');

  const install = await helm(['install', 'hello', chart, '-n', ns, '--wait', '--timeout', '3m'], {
    timeoutMs: 200_000,
  });
  t.equal(install.code, 0, `helm install: ${install.stdout}${install.stderr}`);
  const dep = await getJson(['-n', ns, 'deployment', 'hello']);
  t.equal(dep.status.readyReplicas, 1, 'the Deployment is ready');
  const pods = await getJson(['-n', ns, 'pods', '-l', 'app.kubernetes.io/instance=hello']);
  t.equal(pods.items.length, 1);
  t.equal(pods.items[0].status.phase, 'Running');
  const list = await helm(['list', '-n', ns, '-o', 'json']);
  t.equal(JSON.parse(list.stdout)[0]?.status, 'deployed');

  const un = await helm(['uninstall', 'hello', '-n', ns, '--wait', '--timeout', '2m'], {
    timeoutMs: 150_000,
  });
  t.equal(un.code, 0, un.stderr);
  t.equal(
    (await kubectlOk(['-n', ns, 'get', 'deployments', '-o', 'name'])).trim(),
    '',
    'uninstall removed the Deployment',
  );
});
