// npm run package: one executable per platform from the esbuild bundles (dist/lib/kubectl-cpa.cjs, the main
// script, and dist/lib/kubectl-cpa-kube.cjs, the kube chunk, embedded as a SEA asset) and the official Node
// binaries, as Node single executable applications (SEA), then the release archives,
// SHA256SUMS and the krew manifest. Writes dist/release/ and krew/cpa.yaml.
//   --release-url PATTERN   where the archives will be downloaded from ({version} {file} {os} {arch});
//                           also $KUBECTL_CPA_RELEASE_URL; default <homepage>/releases/download/v{version}/{file}
// Caches (outside the work tree, reused by every later run): $KUBECTL_CPA_CACHE or ~/.cache, in
// kubectl-cpa-node/ (the verified npm tarballs) and kubectl-cpa-rcodesign/ (the signer built with cargo).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { tarGz, zip } from './package-archive.ts';
import { signedSeaProblems } from './package-macho.ts';
import { archiveProblems, manifestProblems, manifestYaml, renderManifest } from './package-manifest.ts';
import type { KrewManifest } from './package-manifest.ts';
import { cacheBase, nodeBinaryFrom, nodeCacheDir, nodeTarball, readPins } from './package-node.ts';
import { fixChecksum, withoutSignature } from './package-pe.ts';
import { KUBE_CHUNK } from '../src/adapters/kube-chunk-loader.ts';
import { pluginCompletionFor } from '../src/cli/completion-plugin.ts';
import { injectSea, stripElf, writeSeaBlob } from './package-sea.ts';
import { adhocSign, ensureRcodesign } from './package-sign.ts';
import { TARGETS, archiveName, hostTarget, releaseUrl, type Target } from './package-targets.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const releaseDir = join(root, 'dist', 'release');
const log = (line: string): void => void process.stderr.write(`package: ${line}\n`);

/** What one target produced, for the summary and the manifest. */
interface Built {
  target: Target;
  file: string;
  sha256: string;
  binaryBytes: number;
  archiveBytes: number;
  seconds: number;
  notes: string[];
}

interface Context {
  version: string;
  work: string;
  blobs: { plain: string; codeCache: string };
  host: Target | undefined;
  pins: ReturnType<typeof readPins>;
  nodeCache: string;
  rcodesign: string;
  license: Buffer;
}

function fail(message: string): never {
  throw new Error(message);
}

/** The base Node binary of `target`, unsigned and stripped where that is safe, written to `exe`. */
function prepareBase(ctx: Context, target: Target, exe: string, notes: string[]): void {
  const tarball = nodeTarball(target, ctx.pins, ctx.nodeCache);
  if (tarball.fetched) notes.push('fetched');
  const base = nodeBinaryFrom(tarball.file, target);
  mkdirSync(dirname(exe), { recursive: true });
  writeFileSync(exe, target.executable === 'pe' ? withoutSignature(base) : base, { mode: 0o755 });
  if (target.strip) notes.push(stripElf(exe, target.strip));
}

/** Turns the injected binary into what macOS / Windows accept: an ad-hoc signature, a valid checksum. */
function finish(ctx: Context, target: Target, exe: string, notes: string[]): void {
  if (target.executable === 'pe') {
    const pe = readFileSync(exe);
    fixChecksum(pe);
    writeFileSync(exe, pe);
    notes.push('Authenticode signature removed');
  }
  if (target.executable === 'macho') {
    adhocSign(ctx.rcodesign, exe, 'kubectl-cpa');
    const problems = signedSeaProblems(readFileSync(exe));
    if (problems.length > 0) fail(`the signed ${target.id} binary is not valid: ${problems.join('; ')}`);
    notes.push('signed ad hoc');
  }
}

async function buildTarget(ctx: Context, target: Target): Promise<Built> {
  const started = Date.now();
  const notes: string[] = [];
  const exe = join(ctx.work, target.id, target.binary);
  prepareBase(ctx, target, exe, notes);
  const codeCache = target === ctx.host;
  await injectSea(root, exe, codeCache ? ctx.blobs.codeCache : ctx.blobs.plain, target);
  if (codeCache) notes.push('code cache');
  finish(ctx, target, exe, notes);
  const binary = readFileSync(exe);
  const completion = pluginCompletionFor(target.os);
  const entries = [
    { name: target.binary, mode: 0o755, data: binary },
    // kubectl (>= 1.26) completes `kubectl cpa <TAB>` through this file when it is on PATH beside the binary.
    { name: completion.name, mode: 0o755, data: Buffer.from(completion.text) },
    { name: 'LICENSE', mode: 0o644, data: ctx.license },
  ];
  const archive = target.format === 'zip' ? zip(entries) : tarGz(entries);
  const file = join(releaseDir, archiveName(ctx.version, target));
  writeFileSync(file, archive);
  rmSync(dirname(exe), { recursive: true, force: true });
  const sha256 = createHash('sha256').update(archive).digest('hex');
  const seconds = (Date.now() - started) / 1000;
  log(`${target.id}: ${basename(file)} (${notes.join(', ')}) in ${seconds.toFixed(1)}s`);
  return { target, file, sha256, binaryBytes: binary.length, archiveBytes: archive.length, seconds, notes };
}

/** Runs `fn` over `items`, `limit` at a time (the injector is single-threaded WebAssembly). */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function writeManifest(
  built: Built[],
  version: string,
  urlPattern: string | undefined,
): Promise<string> {
  const template = readFileSync(join(root, 'krew', 'cpa.template.yaml'), 'utf8');
  const homepage = (parse(template) as KrewManifest).spec.homepage ?? '';
  const pattern = urlPattern ?? `${homepage}/releases/download/v{version}/{file}`;
  const platforms = built.map((b) => ({
    target: b.target,
    uri: releaseUrl(pattern, version, b.target),
    sha256: b.sha256,
  }));
  const manifest = renderManifest(template, version, platforms);
  const problems = [
    ...manifestProblems(manifest, 'cpa.yaml'),
    ...manifest.spec.platforms.flatMap((p, i) => archiveProblems(p, i, readFileSync(built[i]!.file))),
  ];
  if (problems.length > 0) fail(`the krew manifest breaks krew's rules:\n  ${problems.join('\n  ')}`);
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(join(root, 'krew', 'cpa.yaml'))) ?? {};
  const text = await prettier.format(manifestYaml(manifest), { ...options, parser: 'yaml' });
  writeFileSync(join(root, 'krew', 'cpa.yaml'), text);
  writeFileSync(join(releaseDir, 'cpa.yaml'), text);
  return pattern;
}

function context(pins: ReturnType<typeof readPins>, version: string, work: string): Context {
  const cache = cacheBase(process.env, homedir());
  const bundle = join(root, 'dist', 'lib', 'kubectl-cpa.cjs');
  const chunk = join(root, 'dist', 'lib', KUBE_CHUNK);
  for (const file of [bundle, chunk])
    if (!existsSync(file)) fail(`${file} is missing; run npm run build first`);
  const assets = { [KUBE_CHUNK]: chunk };
  const host = hostTarget(process.platform, process.arch);
  const signer = ensureRcodesign(join(cache, 'kubectl-cpa-rcodesign'), log);
  return {
    version,
    work,
    blobs: {
      plain: writeSeaBlob(process.execPath, work, bundle, false, 'sea.blob', assets),
      codeCache: writeSeaBlob(
        process.execPath,
        work,
        bundle,
        host !== undefined,
        'sea-code-cache.blob',
        assets,
      ),
    },
    host,
    pins,
    nodeCache: nodeCacheDir(cache),
    rcodesign: signer.path,
    license: readFileSync(join(root, 'LICENSE')),
  };
}

function summary(built: Built[], pattern: string, started: number): void {
  const mib = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MiB`;
  for (const b of built) {
    log(`${basename(b.file).padEnd(40)} binary ${mib(b.binaryBytes)}, archive ${mib(b.archiveBytes)}`);
  }
  log(`wrote dist/release/ (5 archives, SHA256SUMS, cpa.yaml) and krew/cpa.yaml; uri pattern ${pattern}`);
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

async function main(): Promise<void> {
  const started = Date.now();
  const { values } = parseArgs({ options: { 'release-url': { type: 'string' } } });
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    version: string;
    engines: { node: string };
  };
  const pins = readPins(join(root, 'scripts', 'node-sha256.json'), TARGETS);
  if (pins.node !== pkg.engines.node)
    fail(`scripts/node-sha256.json pins Node ${pins.node}, package.json ${pkg.engines.node}`);
  // The blob format belongs to one Node version: it must be written by the Node it is injected into.
  if (process.version !== `v${pins.node}`)
    fail(`run with Node ${pins.node} (npm run package), not ${process.version}`);
  const work = mkdtempSync(join(tmpdir(), 'kubectl-cpa-package-'));
  try {
    const ctx = context(pins, pkg.version, work);
    rmSync(releaseDir, { recursive: true, force: true });
    mkdirSync(releaseDir, { recursive: true });
    const built = await pool(TARGETS, 2, (t) => buildTarget(ctx, t));
    const sums = built
      .map((b) => `${b.sha256}  ${basename(b.file)}\n`)
      .sort((a, b) => a.slice(66).localeCompare(b.slice(66)));
    writeFileSync(join(releaseDir, 'SHA256SUMS'), sums.join(''));
    const pattern = await writeManifest(
      built,
      pkg.version,
      values['release-url'] ?? process.env['KUBECTL_CPA_RELEASE_URL'],
    );
    summary(built, pattern, started);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main().catch((err: Error) => {
  process.stderr.write(`error: ${err.message}\n`);
  process.exitCode = 1;
});
