// npm run build: bundles cmd/kubectl-cpa.ts with esbuild into dist/kubectl-cpa.cjs (one CommonJS file, the
// input of the SEA packaging step) and writes dist/kubectl-cpa, a launcher that runs it on the pinned Node.
import { build } from 'esbuild';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });

const started = Date.now();
const result = await build({
  entryPoints: [join(root, 'cmd', 'kubectl-cpa.ts')],
  outfile: join(dist, 'kubectl-cpa.cjs'),
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
});
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);

// The launcher: a POSIX shell script that execs the bundle on the Node that npm ci installed for this repo.
const launcher = `#!/bin/sh
# kubectl-cpa launcher (npm run build): runs the bundle on the pinned Node ${pkg.engines.node}.
here=$(dirname "$(readlink -f "$0")")
node="$here/../node_modules/node-$(uname -s | tr A-Z a-z)-$(uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/')/bin/node"
if [ ! -x "$node" ]; then
  echo "error: pinned Node runtime not found at $node; run npm ci in $(dirname "$here")" >&2
  exit 1
fi
exec "$node" "$here/kubectl-cpa.cjs" "$@"
`;
writeFileSync(join(dist, 'kubectl-cpa'), launcher);
chmodSync(join(dist, 'kubectl-cpa'), 0o755);
console.error(
  `built dist/kubectl-cpa.cjs (${(bytes / 1024).toFixed(0)} KiB) and dist/kubectl-cpa in ${Date.now() - started}ms`,
);
