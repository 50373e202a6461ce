// Types of node-bundle.mjs for the TypeScript callers (the REST front benchmark).
import type { BuildOptions } from 'esbuild';

export function nodeBundleOptions(root: string): BuildOptions;
