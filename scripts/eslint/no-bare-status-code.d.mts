// Type of the rule plugin for the TypeScript files that import it (eslint.config.mjs is plain JavaScript).
import type { ESLint } from 'eslint';

declare const plugin: ESLint.Plugin;
export default plugin;
