// The official Node binaries the release is built from: fetched with `npm pack` from the npm packages that
// repackage nodejs.org's builds (the registry is the only network the build machines reach), kept in a
// cache outside the work tree, and accepted only when the tarball's sha256 is the one pinned in the repo.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readTar } from './package-archive.ts';
import { nodeTarballName, type Target } from './package-targets.ts';

/** Where the caches live: $KUBECTL_CPA_CACHE, else $XDG_CACHE_HOME, else ~/.cache (outside the work tree). */
export function cacheBase(env: Record<string, string | undefined>, home: string): string {
  return env['KUBECTL_CPA_CACHE'] ?? env['XDG_CACHE_HOME'] ?? join(home, '.cache');
}

/** The directory holding the verified npm tarballs. */
export const nodeCacheDir = (base: string): string => join(base, 'kubectl-cpa-node');

/** scripts/node-sha256.json: the Node version and the sha256 of each package's tarball. */
export interface NodePins {
  node: string;
  tarballs: Record<string, string>;
}

/** Reads and checks the pins file: one pin for each target's package. */
export function readPins(file: string, targets: readonly Target[]): NodePins {
  const pins = JSON.parse(readFileSync(file, 'utf8')) as NodePins;
  const missing = targets.filter((t) => !/^[a-f0-9]{64}$/.test(pins.tarballs?.[t.npmPackage] ?? ''));
  if (missing.length > 0) {
    throw new Error(`${file}: no sha256 for ${missing.map((t) => t.npmPackage).join(', ')}`);
  }
  return pins;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function npmPack(spec: string, dir: string): void {
  const result = spawnSync('npm', ['pack', spec, '--pack-destination', dir, '--silent'], {
    encoding: 'utf8',
  });
  if (result.error) throw new Error(`failed to run npm pack ${spec}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`failed to fetch ${spec} with npm pack: ${result.stderr.trim()}`);
}

/** The verified npm tarball of `target`'s Node, fetched into `cacheDir` on first use. */
export function nodeTarball(
  target: Target,
  pins: NodePins,
  cacheDir: string,
): { file: string; fetched: boolean } {
  mkdirSync(cacheDir, { recursive: true });
  const file = join(cacheDir, nodeTarballName(target, pins.node));
  const fetched = !existsSync(file);
  if (fetched) npmPack(`${target.npmPackage}@${pins.node}`, cacheDir);
  const want = pins.tarballs[target.npmPackage];
  const got = sha256(readFileSync(file));
  if (got !== want) {
    // A wrong file must not survive into the next run's cache.
    rmSync(file, { force: true });
    throw new Error(
      `refusing ${target.npmPackage}@${pins.node}: its tarball has sha256 ${got}, scripts/node-sha256.json pins ${want}`,
    );
  }
  return { file, fetched };
}

/** The Node executable inside a verified package tarball. */
export function nodeBinaryFrom(tarball: string, target: Target): Buffer {
  const entry = readTar(readFileSync(tarball)).find((e) => e.name === target.nodeEntry);
  if (!entry) throw new Error(`${tarball} has no ${target.nodeEntry}`);
  return entry.data;
}
