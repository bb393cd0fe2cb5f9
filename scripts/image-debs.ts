// The shared libraries a SEA binary needs (glibc, libstdc++, libgcc_s), taken from Debian's own packages for
// each architecture: `apt-get download` with a private apt state (the machine's apt configuration is left
// alone; arm64 package lists are fetched into the cache), then `dpkg-deb --fsys-tarfile` and a small tar
// reader that keeps symbolic links. The .deb files are cached; the same cache gives the same bytes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LayerEntry } from './image-layer.ts';

/** Debian's name of the architecture, and its packages. */
export const DEB_PACKAGES = ['libc6', 'libstdc++6', 'libgcc-s1'] as const;

/** The files of those packages an executable linked like Node's needs at run time (and their licences). */
const WANTED =
  /^(ld-linux[-.\w]*\.so\.\d|libc\.so\.6|libm\.so\.6|libdl\.so\.2|libpthread\.so\.0|librt\.so\.1|libstdc\+\+\.so\.6[.\d]*|libgcc_s\.so\.1|copyright)$/;

function run(cmd: string, args: string[], what: string): Buffer {
  const result = spawnSync(cmd, args, { maxBuffer: 512 * 1024 * 1024 });
  if (result.error || result.status !== 0)
    throw new Error(`failed to ${what}: ${result.error?.message ?? result.stderr.toString().trim()}`);
  return result.stdout;
}

/** The .deb files of DEB_PACKAGES for `arch` (amd64, arm64), downloaded into `cache` on first use. */
export function debsFor(arch: string, cache: string): string[] {
  const dir = join(cache, 'debs', arch);
  const have = () => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.deb')) : []);
  if (have().length < DEB_PACKAGES.length) {
    const state = join(cache, 'apt', arch);
    mkdirSync(join(state, 'lists', 'partial'), { recursive: true });
    mkdirSync(join(state, 'archives', 'partial'), { recursive: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(state, 'status'), '');
    const opts = [
      '-q',
      '-o',
      `APT::Architecture=${arch}`,
      '-o',
      `APT::Architectures::=${arch}`,
      '-o',
      `Dir::State::Lists=${join(state, 'lists')}`,
      '-o',
      `Dir::State::status=${join(state, 'status')}`,
      '-o',
      `Dir::Cache=${state}`,
    ];
    run('apt-get', [...opts, 'update'], `fetch the ${arch} package lists (apt-get update)`);
    const result = spawnSync('apt-get', [...opts, 'download', ...DEB_PACKAGES.map((p) => `${p}:${arch}`)], {
      cwd: dir,
    });
    if (result.status !== 0)
      throw new Error(
        `failed to download ${DEB_PACKAGES.join(' ')} for ${arch}: ${result.stderr.toString()}`,
      );
  }
  return have()
    .sort()
    .map((f) => join(dir, f));
}

function field(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

/** Directories, files and symbolic links of an uncompressed tar (ustar, GNU long names). */
export function readDebTar(tar: Buffer): LayerEntry[] {
  const entries: LayerEntry[] = [];
  let longName: string | undefined;
  let longLink: string | undefined;
  for (let off = 0; off + 512 <= tar.length;) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const size = parseInt(field(h, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(h[156] ?? 48);
    const data = tar.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L' || type === 'K') {
      const text = data.toString('utf8').replace(/\0+$/, '');
      if (type === 'L') longName = text;
      else longLink = text;
      continue;
    }
    const prefix = field(h, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100));
    const link = longLink ?? field(h, 157, 100);
    longName = longLink = undefined;
    const path = name.replace(/^\.?\/+/, '').replace(/\/+$/, '');
    if (path === '') continue;
    const mode = parseInt(field(h, 100, 8).trim() || '0', 8) & 0o7777;
    if (type === '5') entries.push({ type: 'dir', path, mode });
    else if (type === '2') entries.push({ type: 'symlink', path, target: link });
    else if (type === '0' || type === '\0')
      entries.push({ type: 'file', path, mode, data: Buffer.from(data) });
  }
  return entries;
}

/** The wanted files (and links) of the packages, with every parent directory as an entry of its own. */
export function runtimeFiles(debs: readonly string[]): LayerEntry[] {
  const picked = new Map<string, LayerEntry>();
  for (const deb of debs) {
    const tar = run('dpkg-deb', ['--fsys-tarfile', deb], `unpack ${deb}`);
    for (const entry of readDebTar(tar)) {
      const base = entry.path.split('/').pop() ?? '';
      if (entry.type === 'dir' || !WANTED.test(base)) continue;
      // One licence file per package: usr/share/doc/PKG/copyright.
      if (base === 'copyright' && !/^usr\/share\/doc\/[^/]+\/copyright$/.test(entry.path)) continue;
      picked.set(entry.path, entry);
    }
  }
  // The loader's /lib64 link (amd64) points into /lib/x86_64-linux-gnu: keep it, it is how the ELF finds it.
  return withParents([...picked.values()]);
}

/** `entries` plus a 0755 directory entry for each parent not listed. */
export function withParents(entries: readonly LayerEntry[]): LayerEntry[] {
  const all = new Map(entries.map((e) => [e.path, e]));
  for (const e of entries) {
    const parts = e.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!all.has(dir)) all.set(dir, { type: 'dir', path: dir, mode: 0o755 });
    }
  }
  return [...all.values()];
}
