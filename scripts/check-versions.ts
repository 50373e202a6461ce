// Checks that the project has one version number (npm run check:versions, also run by check:drift):
// package.json and package-lock.json, the chart's version and appVersion, the chart's default image tag,
// the image of manifests/install.yaml and the version the operator stamps on what it creates must agree.
// Options for a release: --tag vX.Y.Z (the Git tag must name that version) and --repository REPO (the
// chart's default image repository must be where the release pushes the image).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';

export const VERSIONED_FILES = {
  packageJson: 'package.json',
  packageLock: 'package-lock.json',
  chart: 'charts/anylog-operator/Chart.yaml',
  values: 'charts/anylog-operator/values.yaml',
  installYaml: 'manifests/install.yaml',
  operatorDefaults: 'src/operator/anylogmaster/deps.ts',
  imageDefaults: 'src/api/defaults.ts',
} as const;

export interface CheckOptions {
  /** A Git tag that must be `v` + the version. */
  readonly tag?: string | undefined;
  /** The image repository the chart's values must default to. */
  readonly repository?: string | undefined;
}

export interface CheckResult {
  /** package.json's version: the one the others must repeat. */
  readonly version: string;
  /** The image the chart and install.yaml run by default. */
  readonly image: string;
  /** One line per disagreement, each naming its file. */
  readonly problems: readonly string[];
}

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

/** The value at a path of object keys, or undefined. */
function at(value: unknown, ...path: string[]): unknown {
  let v = value;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function readText(root: string, file: string): string {
  return readFileSync(join(root, file), 'utf8');
}

function str(value: unknown): string {
  if (value === undefined || value === null) return '(missing)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function installYamlImages(text: string): { where: string; image: unknown; version: unknown }[] {
  const deployments = parseAllDocuments(text)
    .map((d): unknown => d.toJS())
    .filter((d) => at(d, 'kind') === 'Deployment');
  return deployments.flatMap((d) => {
    const containers = at(d, 'spec', 'template', 'spec', 'containers');
    return (Array.isArray(containers) ? (containers as unknown[]) : []).map((c) => ({
      where: `Deployment ${str(at(d, 'metadata', 'name'))} container ${str(at(c, 'name'))}`,
      image: at(c, 'image'),
      version: at(d, 'metadata', 'labels', 'app.kubernetes.io/version'),
    }));
  });
}

export function checkVersions(root: string, options: CheckOptions = {}): CheckResult {
  const f = VERSIONED_FILES;
  const problems: string[] = [];
  const version = str(at(JSON.parse(readText(root, f.packageJson)), 'version'));
  if (!SEMVER.test(version)) problems.push(`${f.packageJson} version: ${version} is not a semantic version`);
  const expect = (file: string, what: string, actual: unknown): void => {
    if (actual !== version) problems.push(`${file} ${what}: ${str(actual)}`);
  };

  const lock: unknown = JSON.parse(readText(root, f.packageLock));
  expect(f.packageLock, 'version', at(lock, 'version'));
  expect(f.packageLock, 'packages[""].version', at(lock, 'packages', '', 'version'));

  const chart: unknown = parse(readText(root, f.chart));
  expect(f.chart, 'version', at(chart, 'version'));
  expect(f.chart, 'appVersion', at(chart, 'appVersion'));

  const values: unknown = parse(readText(root, f.values));
  const repository = str(at(values, 'image', 'repository'));
  const tag = at(values, 'image', 'tag');
  // An empty tag means the chart's appVersion (checked above).
  if (tag !== '' && tag !== version)
    problems.push(`${f.values} image.tag: ${str(tag)} (empty or ${version})`);
  const image = `${repository}:${version}`;
  if (options.repository !== undefined && repository !== options.repository) {
    problems.push(`${f.values} image.repository: ${repository} (the release pushes ${options.repository})`);
  }

  const images = installYamlImages(readText(root, f.installYaml));
  if (images.length === 0) problems.push(`${f.installYaml}: no Deployment with containers`);
  for (const i of images) {
    if (i.image !== image) {
      problems.push(`${f.installYaml} ${i.where} image: ${str(i.image)} (run npm run gen:manifests)`);
    }
    expect(f.installYaml, `${i.where} label app.kubernetes.io/version`, i.version);
  }

  const defaults = /DEFAULT_OPERATOR_VERSION\s*=\s*'([^']*)'/.exec(readText(root, f.operatorDefaults));
  if (defaults === null) problems.push(`${f.operatorDefaults}: no DEFAULT_OPERATOR_VERSION = '...'`);
  else expect(f.operatorDefaults, 'DEFAULT_OPERATOR_VERSION', defaults[1]);

  const published = /PUBLISHED_IMAGE_REPOSITORY\s*=\s*'([^']*)'/.exec(readText(root, f.imageDefaults));
  if (published?.[1] !== repository) {
    problems.push(
      `${f.imageDefaults} PUBLISHED_IMAGE_REPOSITORY: ${published?.[1] ?? 'missing'} (the chart's image.repository is ${repository})`,
    );
  }

  if (options.tag !== undefined && options.tag !== `v${version}`) {
    problems.push(`Git tag ${options.tag}: a release of ${version} is tagged v${version}`);
  }
  return { version, image, problems };
}

function main(): number {
  const { values } = parseArgs({
    options: { tag: { type: 'string' }, repository: { type: 'string' } },
    strict: true,
  });
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const result = checkVersions(root, { tag: values.tag, repository: values.repository });
  if (result.problems.length > 0) {
    console.error(`check:versions: package.json says ${result.version}, but these disagree:`);
    for (const p of result.problems) console.error(`  ${p}`);
    return 1;
  }
  const tag = values.tag === undefined ? '' : `, tag ${values.tag}`;
  console.log(
    `check:versions: ${result.version} in ${Object.values(VERSIONED_FILES).join(', ')}; image ${result.image}${tag}`,
  );
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main();
}
