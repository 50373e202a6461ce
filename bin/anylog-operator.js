#!/usr/bin/env -S node --max-semi-space-size=1
// Launcher for the anylog-operator executable: runs the compiled build when present, else the TypeScript
// source via tsx. The shebang caps V8's young generation at 1 MB per semi-space (default 16 MB): the
// operator's allocations are small and short-lived, and the cap keeps ~20 MB of RSS off (measured with
// bench:operator). `env -S` needs GNU coreutils >= 8.30 or a BSD env (Debian, Alpine, macOS have it).
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
