// `helm template` of charts/anylog-operator for the chart's unit suites: the helm binary of the test tool
// cache (scripts/setup.sh installs it; a missing binary fails the suite), a private HOME per process,
// and the rendered objects parsed. No cluster is involved.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot, toolsBinDir } from '../controlplane/src/paths.js';

export const chartDir = join(repoRoot, 'charts', 'anylog-operator');
export const RELEASE = 'alo';
export const NAMESPACE = 'anylog-system';

/** A rendered object, read field by field in the tests. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = any;

const home = mkdtempSync(join(tmpdir(), 'chart-render-'));

function helmBinary(): string {
  const helm = join(toolsBinDir(), 'helm');
  if (!existsSync(helm)) throw new Error(`${helm} is missing: run scripts/setup.sh (install-tools.sh)`);
  return helm;
}

/** `helm template` with the given extra arguments; rejects with helm's stderr when it fails. */
export function helmTemplate(args: readonly string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      helmBinary(),
      ['template', RELEASE, chartDir, '--namespace', NAMESPACE, ...args],
      {
        env: {
          PATH: process.env['PATH'] ?? '/usr/bin:/bin',
          HOME: home,
          HELM_CACHE_HOME: join(home, 'cache'),
          HELM_CONFIG_HOME: join(home, 'config'),
          HELM_DATA_HOME: join(home, 'data'),
        },
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        if (err === null) resolve(stdout);
        else reject(new Error(`helm template ${args.join(' ')}: ${stderr || err.message}`));
      },
    );
  });
}

/** The objects `helm template` renders, with `--set` pairs. */
export async function render(sets: readonly string[] = [], extra: readonly string[] = []): Promise<Obj[]> {
  const text = await helmTemplate([...sets.flatMap((s) => ['--set', s]), ...extra]);
  return parseAllDocuments(text)
    .map((d): Obj => d.toJS())
    .filter((o) => o !== null && o !== undefined);
}

/** The one object of a kind (and name, if given); throws when there is not exactly one. */
export function only(objs: readonly Obj[], kind: string, name?: string): Obj {
  const found = objs.filter((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
  return found[0];
}

export const isHook = (o: Obj): boolean => o.metadata?.annotations?.['helm.sh/hook'] !== undefined;
