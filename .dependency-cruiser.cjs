// The layer rule of src/ as a checked fact (README "Development"): each layer imports only layers below it,
// side effects enter through the ports (types) and only src/deps.ts wires the adapters. `npm run lint` runs it.
const LAYERS = [
  // top first; a module may import its own layer and any layer after it, never one before it
  ['cmd', ['^cmd/']],
  ['main', ['^src/main\\.ts$', '^src/deps\\.ts$']],
  ['cli', ['^src/cli/']],
  ['demo', ['^src/demo/', '^src/simulate/', '^src/init/']],
  ['runner', ['^src/runner/']],
  [
    'features',
    ['^src/status/', '^src/logs/', '^src/api/', '^src/autoscaler/', '^src/sandbox/', '^src/deploy/'],
  ],
  ['foundations', ['^src/hooks/', '^src/kube/', '^src/config/', '^src/logger/']],
  [
    'ports',
    [
      '^src/ports\\.ts$',
      '^src/port-data\\.ts$',
      '^src/port-kube\\.ts$',
      '^src/errors\\.ts$',
      '^src/version\\.ts$',
    ],
  ],
];

const layerRules = LAYERS.flatMap(([name, paths], index) => {
  const above = LAYERS.slice(0, index).flatMap(([, p]) => p);
  if (above.length === 0) return [];
  return [
    {
      name: `layer-${name}`,
      comment: `${name} must not import a layer above it (${LAYERS.slice(0, index)
        .map(([n]) => n)
        .join(', ')})`,
      severity: 'error',
      from: { path: paths },
      to: { path: above },
    },
  ];
});

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-circular',
      comment: 'no import circles',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'adapters-only-from-deps',
      comment: 'src/adapters/ is wired by src/deps.ts alone; everything else uses the ports',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/deps\\.ts$', '^src/adapters/'] },
      to: { path: '^src/adapters/' },
    },
    {
      name: 'io-only-in-adapters',
      comment: 'sockets, files, processes and client-node only in src/adapters/',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/adapters/' },
      to: {
        path: [
          '^(node:)?(net|tls|http|https|http2|fs|fs/promises|child_process|dgram)$',
          '^node_modules/execa/',
          '^node_modules/@kubernetes/client-node/',
        ],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'ports-are-types',
      comment: 'src/ports.ts, src/port-kube.ts and src/port-data.ts hold types only',
      severity: 'error',
      from: { path: ['^src/ports\\.ts$', '^src/port-kube\\.ts$', '^src/port-data\\.ts$'] },
      to: { path: '^src/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: ['^src/', '^cmd/', '^node_modules/', '^(node:)?[a-z_/]+$'],
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
