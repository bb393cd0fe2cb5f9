// npm run build: bundles cmd/kubectl-cpa.ts with esbuild into two CommonJS files, the input of the SEA
// packaging step, and writes dist/kubectl-cpa, a launcher that runs them on the pinned Node. Only the launcher
// is on dist/ (which may go on PATH); the chunks are under dist/lib/:
//   dist/lib/kubectl-cpa.cjs       the main script: everything but the cluster connection;
//   dist/lib/kubectl-cpa-kube.cjs  the kube chunk: src/adapters/kube-connect.ts with @kubernetes/client-node (4 MB).
// Parsing client-node made `version` start 2.5× slower than kubectl, so only commands that talk to a cluster
// load the chunk (src/adapters/kube-chunk-loader.ts), in place of src/deps.ts's
// `import('./adapters/kube-connect.ts')`.
import { build } from 'esbuild';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PLUGIN_COMPLETION_FILE, pluginCompletionScript } from '../src/cli/completion-plugin.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const dist = join(root, 'dist');
const lib = join(dist, 'lib');
mkdirSync(lib, { recursive: true });
// The layout before dist/lib/: stale chunks left on dist/ would be run by nothing and confuse PATH users.
for (const old of ['kubectl-cpa.cjs', 'kubectl-cpa-kube.cjs']) rmSync(join(dist, old), { force: true });

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
  outfile: join(lib, 'kubectl-cpa-kube.cjs'),
  plugins: [shareWithMain(shared)],
});
const main = await build({
  ...common,
  entryPoints: [join(root, 'cmd', 'kubectl-cpa.ts')],
  outfile: join(lib, 'kubectl-cpa.cjs'),
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

// The launcher: a POSIX shell script that execs the bundle on the Node that npm ci installed for this repo, as
// ONE exec and no helper process (the launcher of issue 11 forked readlink, dirname, uname ×2, tr and sed
// before node: 10–20 ms of every start). The platform is the build's, as node_modules holds the runtime of
// the machine npm ci ran on; the directory comes from $0 by parameter expansion, and only when that does not
// lead to the bundle (a symlink to the launcher elsewhere, e.g. a kubectl plugin link on PATH) does it resolve
// the link with readlink.
const runtime = `node-${process.platform}-${process.arch}`;
if (!existsSync(join(root, 'node_modules', runtime, 'bin', 'node'))) {
  console.error(`warning: node_modules/${runtime} is missing: the launcher needs it (npm ci)`);
}
const launcher = `#!/bin/sh
# kubectl-cpa launcher (npm run build): runs dist/lib/kubectl-cpa.cjs on the pinned Node ${pkg.engines.node}.
here=\${0%/*}
if [ ! -f "$here/lib/kubectl-cpa.cjs" ]; then
  here=$(dirname "$(readlink -f "$0")")
fi
node=$here/../node_modules/${runtime}/bin/node
if [ ! -x "$node" ]; then
  echo "error: pinned Node runtime not found at $node; run npm ci in $here/.." >&2
  exit 1
fi
exec "$node" --disable-sigusr1 "$here/lib/kubectl-cpa.cjs" "$@"
`;
writeFileSync(join(dist, 'kubectl-cpa'), launcher);
chmodSync(join(dist, 'kubectl-cpa'), 0o755);
// kubectl (>= 1.26) completes `kubectl cpa <TAB>` through this executable found on PATH beside the plugin.
writeFileSync(join(dist, PLUGIN_COMPLETION_FILE), pluginCompletionScript());
chmodSync(join(dist, PLUGIN_COMPLETION_FILE), 0o755);
console.error(
  `built dist/lib/kubectl-cpa.cjs (${kib(main)} KiB), dist/lib/kubectl-cpa-kube.cjs (${kib(chunk)} KiB) and dist/kubectl-cpa in ${Date.now() - started}ms`,
);
