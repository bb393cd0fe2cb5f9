// npm run image: the container image of kubectl-cpa, built without Docker, as an OCI image layout in
// dist/image/ with a multi-arch index (linux/amd64, linux/arm64). Each image is two layers: the runtime
// (the shared libraries the SEA binary needs from Debian's packages for its architecture, CA certificates,
// /etc/passwd with the non-root user 65532, /tmp) and the binary (/kubectl-cpa from the release archives
// `npm run package` writes, and /usr/local/bin/kubectl-cpa linking to it). ENTRYPOINT ["/kubectl-cpa"].
// Reproducible: fixed mtimes, sorted entries, canonical JSON: two builds give the same digests.
//   --out DIR   where to write the layout (default dist/image)
// Cache: $KUBECTL_CPA_CACHE or ~/.cache, in kubectl-cpa-image/ (the .deb files and their apt lists).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { debsFor, runtimeFiles, withParents } from './image-debs.ts';
import { blob, canonicalJson, gzipLayer, layerTar, type Blob, type LayerEntry } from './image-layer.ts';
import { readArchive } from './package-archive.ts';
import { cacheBase } from './package-node.ts';
import { TARGETS, archiveName, type Target } from './package-targets.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const log = (line: string): void => void process.stderr.write(`image: ${line}\n`);

/** The unprivileged user of the image (distroless's `nonroot`). */
const NONROOT = 65532;
/** The image's creation time: fixed, like every mtime in it (1980-01-01, as the release archives). */
const CREATED = '1980-01-01T00:00:00Z';
const MEDIA = {
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  index: 'application/vnd.oci.image.index.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
} as const;
/** Debian's architecture names for the linux release targets. */
const DEB_ARCH: Record<string, string> = { amd64: 'amd64', arm64: 'arm64' };

const descriptor = (mediaType: string, b: Blob) => ({ mediaType, digest: b.digest, size: b.size });

/** /etc/passwd, /etc/group, the user's home, /tmp and the CA bundle of this Debian machine. */
function systemFiles(): LayerEntry[] {
  const caFile = '/etc/ssl/certs/ca-certificates.crt';
  if (!existsSync(caFile)) throw new Error(`${caFile} is missing: apt-get install ca-certificates`);
  const text = (s: string) => Buffer.from(s);
  return [
    {
      type: 'file',
      path: 'etc/passwd',
      mode: 0o644,
      data: text(
        `root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:${NONROOT}:${NONROOT}:nonroot:/home/nonroot:/sbin/nologin\n`,
      ),
    },
    { type: 'file', path: 'etc/group', mode: 0o644, data: text(`root:x:0:\nnonroot:x:${NONROOT}:\n`) },
    { type: 'file', path: 'etc/ssl/certs/ca-certificates.crt', mode: 0o644, data: readFileSync(caFile) },
    { type: 'dir', path: 'home/nonroot', mode: 0o700, uid: NONROOT, gid: NONROOT },
    { type: 'dir', path: 'tmp', mode: 0o1777 },
  ];
}

/** The SEA binary of `target` from its release archive. */
function seaBinary(version: string, target: Target): Buffer {
  const file = join(root, 'dist', 'release', archiveName(version, target));
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run package\` first`);
  const entry = readArchive(readFileSync(file)).find((e) => e.name === target.binary);
  if (!entry) throw new Error(`${file} holds no ${target.binary}`);
  return entry.data;
}

/** The image manifest of one platform, its config and layers, as blobs. */
function platformImage(version: string, target: Target, cache: string): { manifest: Blob; blobs: Blob[] } {
  const debArch = DEB_ARCH[target.arch];
  if (debArch === undefined) throw new Error(`no Debian architecture for ${target.arch}`);
  const runtime = gzipLayer(
    layerTar(withParents([...runtimeFiles(debsFor(debArch, cache)), ...systemFiles()])),
  );
  const app = gzipLayer(
    layerTar(
      withParents([
        { type: 'file', path: 'kubectl-cpa', mode: 0o755, data: seaBinary(version, target) },
        { type: 'symlink', path: 'usr/local/bin/kubectl-cpa', target: '/kubectl-cpa' },
      ]),
    ),
  );
  const config = blob(
    canonicalJson({
      created: CREATED,
      architecture: target.arch,
      os: 'linux',
      config: {
        User: `${NONROOT}:${NONROOT}`,
        Entrypoint: ['/kubectl-cpa'],
        Env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'HOME=/home/nonroot'],
        WorkingDir: '/',
        Labels: {
          'org.opencontainers.image.title': 'kubectl-cpa',
          'org.opencontainers.image.version': version,
          'org.opencontainers.image.licenses': 'Apache-2.0',
          'org.opencontainers.image.source': 'https://github.com/kubectl-cpa/kubectl-cpa',
        },
      },
      rootfs: { type: 'layers', diff_ids: [runtime.diffId, app.diffId] },
      history: [
        {
          created: CREATED,
          created_by: `npm run image: runtime (Debian ${'libc6 libstdc++6 libgcc-s1'}, CA certificates, user ${NONROOT})`,
        },
        { created: CREATED, created_by: 'npm run image: /kubectl-cpa (SEA binary of npm run package)' },
      ],
    }),
  );
  const manifest = blob(
    canonicalJson({
      schemaVersion: 2,
      mediaType: MEDIA.manifest,
      config: descriptor(MEDIA.config, config),
      layers: [descriptor(MEDIA.layer, runtime.blob), descriptor(MEDIA.layer, app.blob)],
    }),
  );
  return { manifest, blobs: [config, runtime.blob, app.blob, manifest] };
}

/** Builds the layout into `out`; returns the index digest. */
export function buildImage(out: string): string {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const cache = join(cacheBase(process.env, homedir()), 'kubectl-cpa-image');
  const linux = TARGETS.filter((t) => t.os === 'linux');
  const images = linux.map((t) => ({ target: t, ...platformImage(version, t, cache) }));
  const index = blob(
    canonicalJson({
      schemaVersion: 2,
      mediaType: MEDIA.index,
      manifests: images.map((i) => ({
        ...descriptor(MEDIA.manifest, i.manifest),
        platform: { architecture: i.target.arch, os: 'linux' },
      })),
      annotations: { 'org.opencontainers.image.ref.name': version },
    }),
  );
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'blobs', 'sha256'), { recursive: true });
  for (const b of [...images.flatMap((i) => i.blobs), index])
    writeFileSync(join(out, 'blobs', 'sha256', b.digest.slice('sha256:'.length)), b.data);
  writeFileSync(join(out, 'oci-layout'), canonicalJson({ imageLayoutVersion: '1.0.0' }));
  // The layout's entry point is the multi-arch index itself, so `crane push --index` pushes it as it is.
  writeFileSync(join(out, 'index.json'), index.data);
  for (const i of images) log(`linux/${i.target.arch}: ${i.manifest.digest}`);
  log(`index ${index.digest} (${version}) in ${out}`);
  return index.digest;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  try {
    process.stdout.write(`${buildImage(values.out ?? join(root, 'dist', 'image'))}\n`);
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
