// scripts/check-versions.ts on a copy of the repository's versioned files: the committed files agree, and
// a version changed in any one place (or a wrong release tag or image repository) is reported with the
// file that disagrees.
import t, { type Test } from 'tap';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from '../../controlplane/src/paths.js';
import { checkVersions, VERSIONED_FILES } from '../../../scripts/check-versions.js';

const committed = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version as string;

function copyOfRepo(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'check-versions-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const file of Object.values(VERSIONED_FILES)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(repoRoot, file), join(dir, file));
  }
  return dir;
}

/** Replaces the first match of `from` in one copied file (the edit must match). */
function edit(t: Test, dir: string, file: string, from: RegExp | string, to: string): void {
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  const after = before.replace(from, to);
  t.not(after, before, `the edit of ${file} changed it`);
  writeFileSync(path, after);
}

t.test('the committed files agree on one version', async (t) => {
  const r = checkVersions(copyOfRepo(t));
  t.equal(r.version, committed);
  t.same(r.problems, []);
  t.match(r.image, new RegExp(`:${committed.replace(/\./g, '\\.')}$`), 'the default image is tagged with it');
});

const bumped = '9.9.9';
const oneAtATime: [string, RegExp | string, string, RegExp][] = [
  [
    VERSIONED_FILES.packageJson,
    `"version": "${committed}"`,
    `"version": "${bumped}"`,
    /package-lock\.json version/,
  ],
  [
    VERSIONED_FILES.packageLock,
    `"version": "${committed}"`,
    `"version": "${bumped}"`,
    /package-lock\.json version: 9\.9\.9/,
  ],
  [VERSIONED_FILES.chart, /^version: .*$/m, `version: ${bumped}`, /Chart\.yaml version: 9\.9\.9/],
  [VERSIONED_FILES.chart, /^appVersion: .*$/m, `appVersion: "${bumped}"`, /Chart\.yaml appVersion: 9\.9\.9/],
  [VERSIONED_FILES.values, /^  tag: .*$/m, `  tag: "${bumped}"`, /values\.yaml image\.tag: 9\.9\.9/],
  [
    VERSIONED_FILES.installYaml,
    /(image: \S+):\S+/,
    `$1:${bumped}`,
    /install\.yaml Deployment .* image: \S+:9\.9\.9/,
  ],
  [
    VERSIONED_FILES.operatorDefaults,
    /DEFAULT_OPERATOR_VERSION = '[^']*'/,
    `DEFAULT_OPERATOR_VERSION = '${bumped}'`,
    /deps\.ts DEFAULT_OPERATOR_VERSION: 9\.9\.9/,
  ],
  [
    VERSIONED_FILES.imageDefaults,
    /PUBLISHED_IMAGE_REPOSITORY = '[^']*'/,
    `PUBLISHED_IMAGE_REPOSITORY = 'ghcr.io/fork/anylog-operator'`,
    /defaults\.ts PUBLISHED_IMAGE_REPOSITORY: ghcr\.io\/fork\/anylog-operator/,
  ],
];

for (const [file, from, to, reported] of oneAtATime) {
  t.test(`a version changed in ${file} only is reported`, async (t) => {
    const dir = copyOfRepo(t);
    edit(t, dir, file, from, to);
    const r = checkVersions(dir);
    t.ok(r.problems.length > 0, 'the check fails');
    t.ok(
      r.problems.some((p) => reported.test(p)),
      `a problem names the file: ${r.problems.join(' | ')}`,
    );
  });
}

t.test('a release tag must be v + the version', async (t) => {
  const dir = copyOfRepo(t);
  t.same(checkVersions(dir, { tag: `v${committed}` }).problems, []);
  const wrong = checkVersions(dir, { tag: 'v9.9.9' }).problems;
  t.equal(wrong.length, 1);
  t.match(wrong[0], /Git tag v9\.9\.9/);
  t.equal(checkVersions(dir, { tag: committed }).problems.length, 1, 'the tag needs its leading v');
});

t.test('a release repository must be the chart default', async (t) => {
  const dir = copyOfRepo(t);
  const r = checkVersions(dir);
  const repository = r.image.slice(0, r.image.lastIndexOf(':'));
  t.same(checkVersions(dir, { repository }).problems, []);
  const wrong = checkVersions(dir, { repository: 'ghcr.io/someone-else/anylog-operator' }).problems;
  t.equal(wrong.length, 1);
  t.match(wrong[0], /values\.yaml image\.repository: .* \(the release pushes ghcr\.io\/someone-else/);
});

t.test('an empty image tag stands for appVersion', async (t) => {
  const dir = copyOfRepo(t);
  edit(t, dir, VERSIONED_FILES.values, /^  tag: .*$/m, `  tag: "${committed}"`);
  t.same(checkVersions(dir).problems, [], 'the version itself is accepted too');
});
