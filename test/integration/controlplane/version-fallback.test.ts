// The Kubernetes version fallback: when the preferred
// version cannot be resolved through the module proxy, gen-gomod.sh takes the next candidate, says that
// it fell back and which version it wrote. Runs the real script (the real Go toolchain and module proxy)
// on a copy of test/controlplane, with an unservable first candidate; the committed files stay untouched,
// and the wrapper module written for the fallback equals the committed one.
import t from 'tap';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controlPlaneDir, repoRoot } from '../../controlplane/src/paths.js';
import { run } from '../../helpers/cluster.js';

t.setTimeout(600_000);

t.test('an unservable preferred version falls back to the next candidate and says so', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'anylog-fallback-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  // The same layout as the repository, so the script finds node_modules two levels up.
  const copy = join(root, 'test', 'controlplane');
  mkdirSync(copy, { recursive: true });
  for (const part of ['scripts', 'kube', 'versions.env']) {
    cpSync(join(controlPlaneDir, part), join(copy, part), { recursive: true });
  }
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'));
  const committed = readFileSync(join(controlPlaneDir, 'versions.env'), 'utf8');
  const preferred = /^K8S_VERSION="(v[\d.]+)"/m.exec(committed)?.[1];
  t.ok(preferred, 'versions.env names the version in use');
  if (preferred === undefined) return;

  const result = await run('bash', [join(copy, 'scripts', 'gen-gomod.sh')], {
    env: { K8S_CANDIDATES_OVERRIDE: `v1.99.0 ${preferred}` },
    timeoutMs: 540_000,
  });
  t.equal(result.code, 0, `gen-gomod.sh succeeds on the fallback: ${result.stderr.slice(-2000)}`);
  t.match(
    result.stderr,
    /k8s\.io\/kubernetes@v1\.99\.0 cannot be downloaded, next candidate/,
    'the first candidate is refused',
  );
  t.match(
    result.stderr,
    new RegExp(`preferred v1\\.99\\.0 is not servable; FELL BACK to ${preferred.replace(/\./g, '\\.')}`),
  );
  t.equal(result.stdout.trim().split('\n').at(-1), preferred, 'it prints the version it chose');
  t.match(
    readFileSync(join(copy, 'versions.env'), 'utf8'),
    new RegExp(`^K8S_VERSION="${preferred.replace(/\./g, '\\.')}"`, 'm'),
    'and records it',
  );
  t.equal(
    readFileSync(join(copy, 'kube', 'go.mod'), 'utf8'),
    readFileSync(join(controlPlaneDir, 'kube', 'go.mod'), 'utf8'),
    'the wrapper module for the chosen version equals the committed one',
  );
  t.equal(
    readFileSync(join(controlPlaneDir, 'versions.env'), 'utf8'),
    committed,
    'the repository copy is untouched',
  );
});
