// npm run build: bundles cmd/kubectl-cpa.ts with esbuild into two CommonJS files, the input of the SEA
// packaging step, and writes dist/kubectl-cpa, a launcher that runs them on the pinned Node:
//   dist/kubectl-cpa.cjs       the main script: everything but the cluster connection;
//   dist/kubectl-cpa-kube.cjs  the kube chunk: src/adapters/kube-connect.ts with @kubernetes/client-node (4 MB).
// Parsing client-node made `version` start 2.5× slower than kubectl, so only commands that talk to a cluster
// load the chunk (src/adapters/kube-chunk-loader.ts), in place of src/deps.ts's
// `import('./adapters/kube-connect.ts')`.
import { build } from 'esbuild';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });

// The chunk's own modules: the kube adapters, kube-connect.ts and those it alone imports (client-node among
// them). Every other src/ module it imports is taken from the main script (one copy: errors are checked with
// instanceof across the two files).
const CHUNK_OWN = new Set(
  [
    'kube-connect.ts',
    'kube-connection.ts',
    'kube-request.ts',
    'kube-retry.ts',
    'kube-stream.ts',
    'kubeconfig-loader.ts',
  ].map((f) => `src/adapters/${f}`),
);
// Where the main script puts its module objects for the chunk to take.
const SHARED = '__kubectlCpaShared';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minifySyntax: true,
  legalComments: 'none',
  metafile: true,
  define: { __KUBECTL_CPA_VERSION__: JSON.stringify(pkg.version), 'import.meta.url': '__import_meta_url' },
  // import.meta.url is used by some dependencies; give them the bundle's own URL.
  banner: { js: 'const __import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: 'warning',
};

/** Resolves the chunk's imports of shared src/ modules to shims that re-export the main script's copy. */
function shareWithMain(shared) {
  return {
    name: 'share-with-main',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        const file = relative(root, resolve(args.resolveDir, args.path)).split('\\').join('/');
        if (!file.startsWith('src/') || CHUNK_OWN.has(file)) return undefined;
        shared.add(file);
        return { path: file, namespace: 'shared' };
      });
      b.onLoad({ filter: /.*/, namespace: 'shared' }, (args) => ({
        contents: `module.exports = globalThis.${SHARED}[${JSON.stringify(args.path)}];`,
        loader: 'js',
      }));
    },
  };
}

/** Replaces src/deps.ts's import of ./adapters/kube-connect.ts by a module that hands over `shared` and loads the chunk. */
function kubeFromChunk(shared) {
  const deps = join(root, 'src', 'deps.ts');
  const imports = [...shared].map((f, i) => `import * as m${i} from ${JSON.stringify(`./${f}`)};`);
  const entries = [...shared].map((f, i) => `${JSON.stringify(f)}: m${i}`);
  const contents = [
    ...imports,
    "import { loadKubeChunk } from './src/adapters/kube-chunk-loader.ts';",
    `globalThis.${SHARED} = { ${entries.join(', ')} };`,
    'const chunk = loadKubeChunk(__filename);',
    'export const connectKube = chunk.connectKube;',
    'export const createKubeClient = chunk.createKubeClient;',
  ].join('\n');
  return {
    name: 'kube-from-chunk',
    setup(b) {
      b.onResolve({ filter: /^\.\/adapters\/kube-connect\.ts$/ }, (args) =>
        args.importer === deps ? { path: 'kube-chunk', namespace: 'kube-chunk' } : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'kube-chunk' }, () => ({
        contents,
        resolveDir: root,
        loader: 'ts',
      }));
    },
  };
}

const started = Date.now();
const shared = new Set();
const chunk = await build({
  ...common,
  entryPoints: [join(root, 'src', 'adapters', 'kube-connect.ts')],
  outfile: join(dist, 'kubectl-cpa-kube.cjs'),
  plugins: [shareWithMain(shared)],
});
const main = await build({
  ...common,
  entryPoints: [join(root, 'cmd', 'kubectl-cpa.ts')],
  outfile: join(dist, 'kubectl-cpa.cjs'),
  plugins: [kubeFromChunk(shared)],
});
// Guard the split: a new path to client-node (or a renamed import in deps.ts) would silently undo it.
const leaked = Object.keys(main.metafile.inputs).filter(
  (p) => p.includes('@kubernetes/client-node') || CHUNK_OWN.has(p),
);
if (leaked.length > 0) {
  console.error(
    `error: the main script must not contain the kube chunk's modules: ${leaked.slice(0, 5).join(', ')}`,
  );
  process.exit(1);
}
const kib = (result) =>
  (Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0) / 1024).toFixed(0);

// The launcher: a POSIX shell script that execs the bundle on the Node that npm ci installed for this repo.
const launcher = `#!/bin/sh
# kubectl-cpa launcher (npm run build): runs the bundle on the pinned Node ${pkg.engines.node}.
here=$(dirname "$(readlink -f "$0")")
node="$here/../node_modules/node-$(uname -s | tr A-Z a-z)-$(uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/')/bin/node"
if [ ! -x "$node" ]; then
  echo "error: pinned Node runtime not found at $node; run npm ci in $(dirname "$here")" >&2
  exit 1
fi
exec "$node" --disable-sigusr1 "$here/kubectl-cpa.cjs" "$@"
`;
writeFileSync(join(dist, 'kubectl-cpa'), launcher);
chmodSync(join(dist, 'kubectl-cpa'), 0o755);
console.error(
  `built dist/kubectl-cpa.cjs (${kib(main)} KiB), dist/kubectl-cpa-kube.cjs (${kib(chunk)} KiB) and dist/kubectl-cpa in ${Date.now() - started}ms`,
);
