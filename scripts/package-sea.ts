// The Node SEA steps shared by `npm run package` and `npm run bench`: the preparation blob (written by the
// pinned Node, which must be the very version it is injected into), stripping, and injection with postject.
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import type { Target } from './package-targets.ts';

/** The sentinel Node looks for to know it carries a SEA blob (postject flips its last character). */
export const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/**
 * Writes the SEA preparation blob for `bundle` into `work` with `node`. The code cache (V8's compiled code
 * of the bundle) is only valid for the platform that made it, so only the build host's own target gets it.
 * `assets` (key → file) are embedded as they are, for `sea.getAsset(key)` (the kube chunk).
 */
export function writeSeaBlob(
  node: string,
  work: string,
  bundle: string,
  codeCache: boolean,
  name: string,
  assets: Record<string, string> = {},
): string {
  // The main script is named relative to `work`, so that stack traces say kubectl-cpa.cjs, not a build path.
  const main = 'kubectl-cpa.cjs';
  copyFileSync(bundle, join(work, main));
  const config = {
    main,
    output: name,
    disableExperimentalSEAWarning: true,
    useSnapshot: false,
    useCodeCache: codeCache,
    assets,
  };
  writeFileSync(join(work, `${name}.json`), JSON.stringify(config));
  const result = spawnSync(node, ['--experimental-sea-config', `${name}.json`], {
    cwd: work,
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new Error(`failed to write the SEA blob ${name}: ${result.stderr || result.error}`);
  return join(work, name);
}

/** Strips an ELF binary in place with `tool`; says what happened, for the build summary. */
export function stripElf(file: string, tool: string): string {
  const result = spawnSync(tool, ['--strip-all', file], { encoding: 'utf8' });
  if (result.error) {
    return `not stripped (${tool} not found; install binutils${tool === 'strip' ? '' : '-aarch64-linux-gnu'})`;
  }
  if (result.status !== 0) throw new Error(`failed to strip ${basename(file)}: ${result.stderr}`);
  return 'stripped';
}

/** Injects `blob` into the executable `file` with postject (run as a child: it is slow, single-threaded wasm). */
export async function injectSea(root: string, file: string, blob: string, target: Target): Promise<void> {
  const cli = join(root, 'node_modules', 'postject', 'dist', 'cli.js');
  const macho = target.executable === 'macho' ? ['--macho-segment-name', 'NODE_SEA'] : [];
  const args = [cli, file, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE, ...macho];
  await promisify(execFile)(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 }).catch(
    (err: { stderr?: string; message: string }) => {
      throw new Error(`failed to inject the SEA blob into ${file}: ${err.stderr || err.message}`);
    },
  );
}
