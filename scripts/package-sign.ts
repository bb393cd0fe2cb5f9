// Ad-hoc code signatures for the darwin binaries. Apple silicon refuses to run an unsigned arm64 binary, and
// injecting the SEA blob removes the official signature. Nothing in Debian signs Mach-O files; rcodesign
// (crate apple-codesign, pure Rust, from crates.io) can sign ad hoc without a certificate. It is built once
// with cargo into a cache outside the work tree, like the Go binaries of the test cluster.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The pinned signer: built with `cargo install --locked`, so its dependency versions are the crate's lock. */
export const RCODESIGN = { crate: 'apple-codesign', version: '0.29.0' } as const;

function run(cmd: string, args: string[], what: string): string {
  const result = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(`failed to ${what}: cannot run ${cmd}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(
      `failed to ${what} (${cmd} exit ${result.status}):\n${(result.stderr || result.stdout).trim()}`,
    );
  }
  return result.stdout;
}

/** Path of rcodesign in `cacheRoot`, building it with cargo on first use; `built` says whether it was. */
export function ensureRcodesign(
  cacheRoot: string,
  log: (line: string) => void,
): { path: string; built: boolean } {
  const path = join(cacheRoot, RCODESIGN.version, 'bin', 'rcodesign');
  if (existsSync(path)) return { path, built: false };
  log(`building rcodesign ${RCODESIGN.version} with cargo (once per machine; cached in ${cacheRoot})`);
  const started = Date.now();
  run(
    'cargo',
    [
      'install',
      '--locked',
      // Ad-hoc signing needs none of the notarization clients (AWS S3, App Store Connect): half the build.
      '--no-default-features',
      '--root',
      join(cacheRoot, RCODESIGN.version),
      RCODESIGN.crate,
      '--version',
      RCODESIGN.version,
    ],
    `build rcodesign (install Rust's cargo, or put a built rcodesign at ${path})`,
  );
  log(`built rcodesign in ${((Date.now() - started) / 1000).toFixed(0)}s`);
  return { path, built: true };
}

/** Signs the Mach-O file at `file` in place with an ad-hoc signature under `identifier`. */
export function adhocSign(rcodesign: string, file: string, identifier: string): void {
  run(rcodesign, ['sign', '--binary-identifier', identifier, file], `sign ${file} ad hoc`);
}
