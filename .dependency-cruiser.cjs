// The layer contract of docs/design/architecture.md §3, enforced in CI by `npm run depcheck` (which cruises
// src/ and test/controlplane/).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'D1-shared-leaf',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: '^src/(?!shared/)' },
    },
    {
      name: 'D1-contract',
      severity: 'error',
      from: { path: '^src/contract/' },
      to: { path: '^src/(?!shared/|contract/)' },
    },
    {
      name: 'D2-framework-domain-free',
      severity: 'error',
      from: { path: '^src/operator/framework/' },
      to: { path: '^src/(api|render|ledger|nodeclient|operator/anylogmaster|node)/' },
    },
    {
      name: 'D3-client-node-adapter',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/operator/framework/kube-client\\.ts$' },
      to: { path: '@kubernetes/client-node', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'D4-render-pure',
      severity: 'error',
      from: { path: '^src/render/' },
      to: {
        path: '^src/(?!api/|contract/|shared/|render/)|^(pg|fastify)$',
        pathNot: '^src/shared/hash\\.ts$',
      },
    },
    {
      // Built-ins are reported without their node: prefix, so the rule names the dependency type instead.
      name: 'D4-render-no-builtins',
      severity: 'error',
      from: { path: '^src/render/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'D5-pg',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(ledger/|node/ledger/pg-store\\.ts)' },
      to: { path: 'node_modules/pg/' },
    },
    {
      name: 'D5-sqlite',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/node/ledger/sqlite-store\\.ts' },
      to: { path: '^node:sqlite$|^sqlite$' },
    },
    {
      name: 'D6-fastify',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/node/rest/' },
      to: { path: 'node_modules/fastify/' },
    },
    {
      name: 'D6-net',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/node/(tcp|http)/' },
      to: { path: '^net$|^node:net$' },
    },
    {
      name: 'D7-pino',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/shared/logger\\.ts' },
      to: { path: 'node_modules/pino/' },
    },
    {
      name: 'D7-prom-client',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(operator/framework/metrics\\.ts|node/metrics\\.ts)' },
      to: { path: 'node_modules/prom-client/' },
    },
    {
      name: 'D8-node-operator',
      severity: 'error',
      from: { path: '^src/node/' },
      to: { path: '^src/(operator|api|render|ledger|nodeclient)/' },
    },
    {
      name: 'D8-operator-node',
      severity: 'error',
      from: { path: '^src/(operator|api|render|ledger|nodeclient)/' },
      to: { path: '^src/node/' },
    },
    {
      name: 'D9-commands-see-ports',
      severity: 'error',
      from: { path: '^src/node/(interpreter|commands)/' },
      to: { path: '^src/node/(rest|tcp|http)/|^src/node/ledger/.*-store\\.ts$' },
    },
    { name: 'D11-no-test-imports', severity: 'error', from: { path: '^src/' }, to: { path: '^test/' } },
    {
      // The local cluster runs the code under test as processes and images; it never links it.
      name: 'D11-controlplane-apart',
      severity: 'error',
      from: { path: '^test/controlplane/' },
      to: { path: '^src/' },
    },
    { name: 'D12-no-cycles', severity: 'error', from: { path: '^src/' }, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
