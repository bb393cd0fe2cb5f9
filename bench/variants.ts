// The executables `npm run bench` compares. Besides the release binary (SEA + code cache, client-node
// loaded lazily) it builds the same SEA without each optimisation, so that the bench can say what each
// one buys: without the code cache, with client-node loaded eagerly, and with client-node split out of the
// main script entirely (a lower bound; the release already keeps client-node in a lazily loaded SEA asset).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { nodeBinaryFrom, nodeTarball, type NodePins } from '../scripts/package-node.ts';
import { injectSea, stripElf, writeSeaBlob } from '../scripts/package-sea.ts';
import { TARGETS, archiveName } from '../scripts/package-targets.ts';

const linux = TARGETS.find((t) => t.id === 'linux-x64')!;

/** Where the variants are built and what they are built from. */
export interface VariantInputs {
  root: string;
  work: string;
  version: string;
  pins: NodePins;
  nodeCache: string;
}

/** Paths of the executables under test. */
export interface Variants {
  release: string;
  noCodeCache: string;
  eagerClientNode: string;
  splitClientNode: string;
}

/** Bundles like scripts/build.mjs (same options), from `entry` or from `contents` resolved in the repo. */
async function bundle(
  inputs: VariantInputs,
  outfile: string,
  extra: { contents?: string; external?: string[] },
): Promise<void> {
  await build({
    ...(extra.contents
      ? {
          stdin: {
            contents: extra.contents,
            resolveDir: inputs.root,
            loader: 'ts',
            sourcefile: 'bench-entry.ts',
          },
        }
      : { entryPoints: [join(inputs.root, 'cmd', 'kubectl-cpa.ts')] }),
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minifySyntax: true,
    legalComments: 'none',
    external: extra.external ?? [],
    define: {
      __KUBECTL_CPA_VERSION__: JSON.stringify(inputs.version),
      'import.meta.url': '__import_meta_url',
    },
    banner: { js: 'const __import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
    logLevel: 'error',
  });
}

/** A linux-x64 SEA of `bundleFile` (stripped base, like the release), written to `dir/kubectl-cpa`. */
async function sea(
  inputs: VariantInputs,
  dir: string,
  bundleFile: string,
  codeCache: boolean,
): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const exe = join(dir, 'kubectl-cpa');
  writeFileSync(exe, nodeBinaryFrom(nodeTarball(linux, inputs.pins, inputs.nodeCache).file, linux), {
    mode: 0o755,
  });
  stripElf(exe, linux.strip!);
  const blob = writeSeaBlob(process.execPath, dir, bundleFile, codeCache, 'sea.blob');
  await injectSea(inputs.root, exe, blob, linux);
  return exe;
}

function unpackRelease(inputs: VariantInputs): string {
  const dir = join(inputs.work, 'release');
  mkdirSync(dir, { recursive: true });
  const archive = join(inputs.root, 'dist', 'release', archiveName(inputs.version, linux));
  const result = spawnSync('tar', ['-xzf', archive, '-C', dir], { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`cannot unpack ${archive} (run npm run package first): ${result.stderr}`);
  return join(dir, 'kubectl-cpa');
}

/** Builds the comparison variants (two at a time: the injector is single-threaded). */
export async function buildVariants(inputs: VariantInputs): Promise<Variants> {
  const release = unpackRelease(inputs);
  const eagerFile = join(inputs.work, 'eager.cjs');
  const splitFile = join(inputs.work, 'split.cjs');
  await bundle(inputs, eagerFile, {
    contents: "import '@kubernetes/client-node';\nimport './cmd/kubectl-cpa.ts';\n",
  });
  // client-node left out of the file: `version` and `--help` never reach it, so they still run.
  await bundle(inputs, splitFile, { external: ['@kubernetes/client-node'] });
  const [noCodeCache, eagerClientNode] = await Promise.all([
    sea(
      inputs,
      join(inputs.work, 'no-code-cache'),
      join(inputs.root, 'dist', 'lib', 'kubectl-cpa.cjs'),
      false,
    ),
    sea(inputs, join(inputs.work, 'eager'), eagerFile, true),
  ]);
  const splitClientNode = await sea(inputs, join(inputs.work, 'split'), splitFile, true);
  return { release, noCodeCache, eagerClientNode, splitClientNode };
}

/** Size in bytes of the main script of a bundle file (for the report). */
export const fileBytes = (file: string): number => readFileSync(file).length;
