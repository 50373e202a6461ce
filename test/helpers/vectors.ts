// Locates the shared specification's test vectors (../shared/spec/vectors beside the repository, or
// ANYLOG_SPEC_DIR) and reads them. Tests read the vector files directly; they are never copied.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function specDir(): string {
  const fromEnv = process.env['ANYLOG_SPEC_DIR'];
  const dir = fromEnv !== undefined && fromEnv !== '' ? fromEnv : join(repoRoot, '..', 'shared', 'spec');
  if (!existsSync(join(dir, 'vectors'))) {
    throw new Error(`spec vectors not found under ${dir}; set ANYLOG_SPEC_DIR`);
  }
  return dir;
}

export function vectorPath(name: string): string {
  return join(specDir(), 'vectors', name);
}

export function readVectorText(name: string): string {
  return readFileSync(vectorPath(name), 'utf8');
}

export function readVectorJson(name: string): unknown {
  return JSON.parse(readVectorText(name));
}

export { repoRoot };
