#!/usr/bin/env node
// Launcher for the anylog-node executable: runs the compiled build when present, else the TypeScript source via tsx.
// The built package uses Node's on-disk compile cache (default directory under the OS temp dir; a
// read-only or missing directory only disables it; NODE_DISABLE_COMPILE_CACHE=1 turns it off): later
// start-ups skip compiling the ~200 modules again (about 15% of start-up CPU).
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'bin', 'anylog-node.js');
if (existsSync(built)) {
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
