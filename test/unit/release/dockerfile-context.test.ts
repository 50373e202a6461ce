// The Dockerfile's build stage copies files one by one, so a script that `npm run build` runs and that
// imports a new local module builds on a clone but fails inside the image. This reads the build stage's
// COPY lines and follows every relative import of the copied scripts: each imported file must be copied too.
import t from 'tap';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { repoRoot } from '../../controlplane/src/paths.js';

/** Repository paths the build stage copies (files or folders), from `COPY <src>... <dest>` without --from. */
function buildStageSources(dockerfile: string): string[] {
  const stage = dockerfile.split(/^FROM /m)[1] ?? '';
  const sources: string[] = [];
  for (const line of stage.split('\n')) {
    const m = /^COPY\s+(?!--from)(.+)$/.exec(line.trim());
    if (!m) continue;
    const words = m[1]!.split(/\s+/);
    sources.push(...words.slice(0, -1).map((w) => normalize(w).replace(/\/$/, '')));
  }
  return sources;
}

function relativeImports(file: string): string[] {
  const text = readFileSync(join(repoRoot, file), 'utf8');
  const found = [
    ...text.matchAll(/\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g),
  ];
  return found.map((m) => relative(repoRoot, join(repoRoot, dirname(file), m[1] ?? m[2]!)));
}

const sources = buildStageSources(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8'));
const copied = (path: string): boolean => sources.some((s) => path === s || path.startsWith(s + '/'));

t.test('the build stage copies the sources, the CRDs and the bundling script', async (t) => {
  for (const needed of ['package.json', 'src', 'bin', 'crds', 'scripts/bundle-node.mjs']) {
    t.ok(copied(needed), `${needed} is copied`);
  }
});

t.test('every local module a copied script imports is copied as well', async (t) => {
  const scripts = sources.filter((s) => /\.(mjs|js)$/.test(s) && statSync(join(repoRoot, s)).isFile());
  t.ok(scripts.length > 0, 'the build stage copies at least one script');
  const seen = new Set<string>();
  const queue = [...scripts];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const imported of relativeImports(file)) {
      t.ok(existsSync(join(repoRoot, imported)), `${file} imports ${imported}, which exists`);
      t.ok(copied(imported), `${file} imports ${imported}: the Dockerfile's build stage must COPY it`);
      queue.push(imported);
    }
  }
  t.ok(seen.has('scripts/lib/node-bundle.mjs'), 'the bundling options module is followed');
});

t.test(
  "the local cluster's image build context is what the build stage copies, and the Dockerfile",
  async (t) => {
    const script = readFileSync(join(repoRoot, 'test/controlplane/scripts/build-images.sh'), 'utf8');
    const m = /^project_context=\(([^)]*)\)/m.exec(script);
    t.ok(m, 'build-images.sh declares project_context');
    const context = (m?.[1] ?? '').split(/\s+/).filter(Boolean);
    t.same([...context].sort(), [...sources, 'Dockerfile'].sort());
  },
);
