// Maps a container to a local program: `command[0]` or, without a
// command, the image name without registry, tag and digest. anylog-node, anylog-operator and anylog-backup
// run the repository's bin launchers with Node 24; postgres runs the local PostgreSQL shim. A few test programs and
// plain shell tools are mapped for test workloads. Anything else is ImageNotMapped.
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { controlPlaneDir, nodeBinary, repoRoot, tsxArgs } from '../paths.js';
import type { Json } from './api.js';

export interface Program {
  /** Program to run and the arguments that come before the container's own. */
  readonly cmd: string;
  readonly prefix: readonly string[];
  /** The container's remaining arguments (command[1..] then args), before expansion. */
  readonly args: readonly string[];
  readonly kind: 'node' | 'postgres' | 'plain';
}

/** Image reference → bare name: `ghcr.io/x/anylog-node:1.2@sha256:...` → `anylog-node`. */
export function imageName(image: string): string {
  const noDigest = image.split('@')[0] ?? image;
  const last = noDigest.split('/').pop() ?? noDigest;
  return last.split(':')[0] ?? last;
}

const shellTools = new Set(['sh', 'sleep', 'true', 'false', 'cat', 'echo']);

function byName(name: string): Omit<Program, 'args'> | undefined {
  switch (name) {
    case 'anylog-node':
    case 'anylog-operator':
    case 'anylog-backup':
      return { cmd: nodeBinary(), prefix: [join(repoRoot, 'bin', `${name}.js`)], kind: 'node' };
    case 'postgres':
    case 'docker-entrypoint.sh':
      return {
        cmd: nodeBinary(),
        prefix: tsxArgs(join(controlPlaneDir, 'src', 'pod-runner', 'shims', 'postgres.ts')),
        kind: 'postgres',
      };
    case 'test-http-server':
      return {
        cmd: nodeBinary(),
        prefix: [join(controlPlaneDir, 'fixtures', 'http-server.mjs')],
        kind: 'node',
      };
    default:
      if (shellTools.has(name)) {
        const p = ['/bin', '/usr/bin'].map((d) => join(d, name)).find((f) => existsSync(f));
        if (p !== undefined) return { cmd: p, prefix: [], kind: 'plain' };
      }
      return undefined;
  }
}

export function resolveProgram(container: Json): Program | undefined {
  const command = (container['command'] ?? []) as string[];
  const args = (container['args'] ?? []) as string[];
  const first = command[0];
  if (first !== undefined) {
    const p = byName(basename(first));
    return p === undefined ? undefined : { ...p, args: [...command.slice(1), ...args] };
  }
  const p = byName(imageName(String(container['image'] ?? '')));
  if (p === undefined) return undefined;
  // The postgres image's default command is `docker-entrypoint.sh postgres`; args replace `postgres`.
  return { ...p, args };
}
