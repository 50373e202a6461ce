#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=1
// Launcher for the anylog-node executable: runs the bundled build (dist/bundle, ADR 0010) when present,
// else the tsc output, else the TypeScript source via tsx. The shebang's memory settings are those of the
// operator's launcher (V8's young generation capped at 1 MB per semi-space, two glibc malloc arenas);
// `npm run bench:node` measures idle RSS through this shebang, as the image runs it.
// The built package uses Node's on-disk compile cache (default directory under the OS temp dir; a
// read-only or missing directory only disables it; NODE_DISABLE_COMPILE_CACHE=1 turns it off): later
// start-ups skip compiling the modules again.
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = [
  join(root, 'dist', 'bundle', 'anylog-node.js'),
  join(root, 'dist', 'bin', 'anylog-node.js'),
].find((file) => existsSync(file));
if (built !== undefined) {
  try {
    module.enableCompileCache?.();
  } catch {
    // no cache: start-up compiles as usual
  }
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'src', 'bin', 'anylog-node.ts')).href);
}
