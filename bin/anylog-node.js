#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node
// Launcher for the anylog-node executable: runs the bundled build (dist/bundle, ADR 0010) when present,
// else the tsc output, else the TypeScript source via tsx. The shebang limits glibc to two malloc arenas
// (as the operator's launcher does); V8's young generation keeps its default size here, since a 1 MB cap
// made a 100,000-policy pull ~40 % slower. `npm run bench:node` starts the bin through this shebang, as
// the image does.
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
