// The esbuild options of the anylog-node bundle (ADR 0010), shared by `npm run build` (bundle-node.mjs)
// and `npm run bench:rest-front`, which bundles the same executable with one module swapped: both builds
// must differ in that module only, or the benchmark would compare two bundling choices.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Options for the bundle of `<root>/dist/bin/anylog-node.js`; the caller adds `outdir` and its own extras. */
export function nodeBundleOptions(root) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return {
    entryPoints: { 'anylog-node': join(root, 'dist', 'bin', 'anylog-node.js') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    // Whitespace and syntax only: identifiers stay readable in stack traces.
    minifyWhitespace: true,
    minifySyntax: true,
    // Dependencies stay external (pino, and pg/fastify which the node imports only when first needed).
    external: Object.keys(pkg.dependencies ?? {}),
    logLevel: 'warning',
  };
}
