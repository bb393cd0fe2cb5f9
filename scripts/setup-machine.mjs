// What `npm test` needs from the machine beyond npm: checked before anything runs, so that the README's
// test command sets up a fresh Debian/Ubuntu machine by itself (CI runs exactly that command). Missing
// Debian packages are installed when we may (root with apt-get); otherwise the run stops at once with the
// exact command to type. Toolchains that Debian does not ship at the needed version (Go, Rust's cargo) are
// prerequisites, named with where to get them. Exit 0: ready; 1: something is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A file or command the tests use, and the Debian packages that provide it. */
const NEEDS = [
  { what: 'openssl', why: 'certificates of the test control plane', packages: ['openssl'] },
  { what: 'unzip', why: 'reads the windows archive in the tests, like users do', packages: ['unzip'] },
  {
    what: 'aarch64-linux-gnu-strip',
    why: 'strips the linux-arm64 release binary',
    packages: ['binutils-aarch64-linux-gnu'],
  },
  { what: 'qemu-aarch64', why: 'runs the linux-arm64 binary in the tests', packages: ['qemu-user'] },
  {
    what: '/usr/aarch64-linux-gnu/lib/libstdc++.so.6',
    why: 'the arm64 libraries qemu-aarch64 loads',
    packages: ['libc6-arm64-cross', 'libstdc++6-arm64-cross', 'libgcc-s1-arm64-cross'],
  },
  { what: 'wine', why: 'runs the windows binary in the tests', packages: ['wine', 'wine64'] },
  { what: 'chromium', why: 'renders the simulate chart in the tests (headless)', packages: ['chromium'] },
];

/** Prerequisites that come with the machine image, not from Debian at the needed version. */
const TOOLCHAINS = [
  { what: 'go', why: 'builds the real control plane from the Go module proxy', get: 'Go 1.26 from go.dev' },
  { what: 'cargo', why: 'builds rcodesign, which signs the darwin binaries', get: 'Rust from rustup.rs' },
  { what: 'python3', why: "runs the example autoscaler's hooks", get: 'apt-get install python3' },
];

const onPath = (cmd) =>
  (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, cmd)));
const present = (what) => (what.startsWith('/') ? existsSync(what) : onPath(what));

const missing = NEEDS.filter((n) => !present(n.what));
const packages = [...new Set(missing.flatMap((n) => n.packages))];
if (packages.length > 0) {
  for (const n of missing) process.stderr.write(`setup: missing ${n.what} (${n.why})\n`);
  const line = `apt-get install -y --no-install-recommends ${packages.join(' ')}`;
  const root = process.getuid?.() === 0;
  if (!root || !onPath('apt-get')) {
    process.stderr.write(
      `setup: cannot install them here (${root ? 'no apt-get' : 'not root'}); run, then npm test again:\n` +
        `  sudo apt-get update && sudo ${line}\n`,
    );
    process.exit(1);
  }
  process.stderr.write(`setup: installing ${packages.join(' ')} (apt-get, about 2 minutes)\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '--no-install-recommends', ...packages],
  ]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0) {
      process.stderr.write(`setup: apt-get ${args[0]} failed (exit ${result.status ?? result.signal})\n`);
      process.exit(1);
    }
  }
}
const absent = TOOLCHAINS.filter((t) => !onPath(t.what));
for (const t of absent) process.stderr.write(`setup: missing ${t.what} (${t.why}); install ${t.get}\n`);
if (absent.length > 0) process.exit(1);
process.stderr.write('setup: every tool the tests need is present\n');
