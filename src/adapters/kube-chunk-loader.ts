// Loads the kube chunk (dist/lib/kubectl-cpa-kube.cjs: src/adapters/kube-connect.ts with client-node), which
// scripts/build.mjs keeps out of the main script: parsing those 4 MB made every command, even `version`,
// start 2.5× slower than kubectl. Bundled into the main script only; it runs when a command first connects
// to a cluster. In a single executable the chunk is a SEA asset, otherwise a file next to the main script.
import { createRequire } from 'node:module';
import path from 'node:path';
import sea from 'node:sea';
import { compileFunction } from 'node:vm';

/** The chunk's file name, in dist/lib/ beside the main script and as the SEA asset key (scripts/package.ts). */
export const KUBE_CHUNK = 'kubectl-cpa-kube.cjs';

/** What src/adapters/kube-connect.ts exports; the chunk is that module compiled to CommonJS. */
export type KubeChunk = typeof import('./kube-connect.ts');

/** Loads and runs the chunk. `mainFile` is the main script's __filename (the chunk sits beside it). */
export function loadKubeChunk(mainFile: string): KubeChunk {
  if (!sea.isSea())
    return createRequire(mainFile)(path.join(path.dirname(mainFile), KUBE_CHUNK)) as KubeChunk;
  // A SEA's main script can only require builtins, so the asset is compiled as a CommonJS module by hand,
  // with a real require (the chunk bundles everything but node: builtins). Its name is where the file
  // would be, so that stack traces and import.meta.url stay meaningful.
  const filename = path.join(path.dirname(process.execPath), KUBE_CHUNK);
  const module = { exports: {} as unknown };
  const wrapper = compileFunction(
    sea.getAsset(KUBE_CHUNK, 'utf8'),
    ['exports', 'require', 'module', '__filename', '__dirname'],
    { filename },
  );
  wrapper(module.exports, createRequire(filename), module, filename, path.dirname(filename));
  return module.exports as KubeChunk;
}
