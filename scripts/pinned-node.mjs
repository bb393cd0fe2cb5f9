// Runs a script on the Node line pinned in package.json (the npm package node-<os>-<arch>), not on whatever
// `node` is first on PATH: tests and builds must use the same runtime as the shipped binary.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = `node-${process.platform}-${process.arch}`;
const node = join(root, 'node_modules', pkg, 'bin', 'node');
if (!existsSync(node)) {
  console.error(
    `error: the pinned Node runtime is missing (${node}); run "npm ci" first (it is the dev dependency ${pkg})`,
  );
  process.exit(1);
}
const result = spawnSync(node, process.argv.slice(2), { stdio: 'inherit' });
if (result.error) {
  console.error(`error: cannot run ${node}: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? (result.signal ? 1 : 0));
