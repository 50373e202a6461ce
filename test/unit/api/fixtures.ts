// Reads the AnyLogMaster fixtures (test/fixtures/{valid,invalid}) and samples; an invalid fixture names
// its expected message on a first-line comment `# expect: <substring>`.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../../helpers/vectors.js';
import type { AnyLogMaster } from '../../../src/api/types.js';

export interface Fixture {
  readonly file: string;
  readonly object: unknown;
  readonly expect?: string;
}

function readDir(dir: string): Fixture[] {
  const abs = join(repoRoot, dir);
  return readdirSync(abs)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const text = readFileSync(join(abs, f), 'utf8');
      const match = /^# expect: (.+)$/m.exec(text);
      return {
        file: `${dir}/${f}`,
        object: parse(text) as unknown,
        ...(match?.[1] === undefined ? {} : { expect: match[1] }),
      };
    });
}

export const validFixtures = (): Fixture[] => readDir('test/fixtures/valid');
export const invalidFixtures = (): Fixture[] => readDir('test/fixtures/invalid');
export const samples = (): Fixture[] => readDir('manifests/samples');

/** A fixture as the apiserver would hand it to the operator: namespace and uid filled in. */
export function stored(object: unknown, namespace = 'anylog'): AnyLogMaster {
  const cr = object as AnyLogMaster;
  return { ...cr, metadata: { ...cr.metadata, namespace, uid: `uid-${cr.metadata.name}` } };
}
