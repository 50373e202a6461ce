#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=1
// Launcher for the anylog-operator executable: runs the compiled build when present, else the TypeScript
// source via tsx. Memory settings in the shebang, measured with bench:operator (50 objects): V8's young
// generation capped at 1 MB per semi-space (default 16 MB; ~20 MB RSS) and two glibc malloc arenas
// (default 8 per core; ~20 MB RSS). `env -S` needs GNU coreutils >= 8.30 or a BSD env (Debian, macOS).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'bin', 'anylog-operator.js');
if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'src', 'bin', 'anylog-operator.ts')).href);
}
