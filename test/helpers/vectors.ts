// Reads the wire and output vectors kept in test/fixtures/vectors (provenance in that folder's README).
// Tests read the files directly so a vector is edited in one place only.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const vectorsDir = join(repoRoot, 'test', 'fixtures', 'vectors');

export function vectorPath(name: string): string {
  return join(vectorsDir, name);
}

export function readVectorText(name: string): string {
  return readFileSync(vectorPath(name), 'utf8');
}

export function readVectorJson(name: string): unknown {
  return JSON.parse(readVectorText(name));
}

export { repoRoot };
