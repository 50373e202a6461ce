// The project's layer contract (the D-rules table of docs/design/architecture.md), enforced in CI by `npm run depcheck` (which cruises
// src/ and test/controlplane/).

// D9: the layers of the node runtime, highest first, each a set of whole folders of src/node/ (a new file
// in a folder is covered without editing this list). A layer may import its own and lower layers, never a
// higher one. contract/ and common/ lie below all of them; D1 keeps them from importing anything above.
const NODE_LAYERS = [
  {
    name: 'root',
    what: 'the composition root: main, assemble, config, cli and the other files directly in src/node/',
    path: '^src/node/[^/]+$',
  },
  {
    name: 'adapters',
    what: 'adapters of the outside world: stores and ledger file, synchronizer, TCP, REST, HTTP, schedulers',
    path: '^src/node/(ledger|sync|tcp|rest|http|scheduler)/',
  },
  {
    name: 'commands',
    what: 'commands and their pure helpers: the blockchain get engine, status outputs',
    path: '^src/node/(commands|blockchain-query|status)/',
  },
  { name: 'interpreter', what: 'the script interpreter', path: '^src/node/interpreter/' },
  { name: 'ports', what: 'the ports: NodeServices and its interfaces', path: '^src/node/ports/' },
];

/** One rule per layer below the top: nothing in it imports a module of any higher layer. */
function nodeLayerRules() {
  const rules = NODE_LAYERS.slice(1).map((layer, i) => {
    const higher = NODE_LAYERS.slice(0, i + 1);
    return {
      name: `D9-layer-${layer.name}`,
      comment: `layer ${layer.name} (${layer.what}) imports no module of a higher layer: ${higher.map((h) => h.name).join(', ')}`,
      severity: 'error',
      from: { path: layer.path },
      to: { path: higher.map((h) => h.path).join('|') },
    };
  });
  // A folder of src/node/ outside every layer would escape the contract: it has to be placed first.
  rules.push({
    name: 'D9-node-folder-in-a-layer',
    comment: 'every folder of src/node/ belongs to a layer of NODE_LAYERS in .dependency-cruiser.cjs',
    severity: 'error',
    from: { path: '^src/node/', pathNot: NODE_LAYERS.map((l) => l.path).join('|') },
    to: {},
  });
  return rules;
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'D1-common-leaf',
      severity: 'error',
      from: { path: '^src/common/' },
      to: { path: '^src/(?!common/)' },
    },
    {
      name: 'D1-contract',
      severity: 'error',
      from: { path: '^src/contract/' },
      to: { path: '^src/(?!common/|contract/)' },
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
        path: '^src/(?!api/|contract/|common/|render/)|^(pg|fastify)$',
        pathNot: '^src/common/hash\\.ts$',
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
      from: { path: '^src/', pathNot: '^src/common/logger\\.ts' },
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
    ...nodeLayerRules(),
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
