// Hostile configuration paths and sizes through the built CLI: a directory, /proc/self/mem, a file only
// another user may read, and a 50 MB config. Each ends at once with `error: failed to read FILE: REASON`
// (before: "internal error … please report it" without the file, or minutes of parsing to a V8 OOM abort).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cpaBinary } from '../support/cpa.ts';

const dir = mkdtempSync(join(tmpdir(), 'cpa-rel-config-'));
chmodSync(dir, 0o755);
after(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], asNobody = false): { status: number | null; stderr: string } {
  const [file, argv] = asNobody
    ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', cpaBinary, ...args]]
    : [cpaBinary, args];
  const result = spawnSync(file, argv, { encoding: 'utf8', timeout: 60_000, cwd: dir });
  return { status: result.status, stderr: result.stderr };
}

const cases: { name: string; file: () => string; want: (f: string) => string; asNobody?: boolean }[] = [
  {
    name: '-f DIR',
    file: () => (mkdirSync(join(dir, 'adir'), { recursive: true }), join(dir, 'adir')),
    want: (f) => `error: failed to read ${f}: is a directory, not a file`,
  },
  {
    name: '-f /proc/self/mem (EIO)',
    file: () => '/proc/self/mem',
    want: (f) => `error: failed to read ${f}: input/output error`,
  },
  {
    name: 'a 50 MB config (one long string)',
    file: () => {
      const f = join(dir, 'big.yaml');
      writeFileSync(f, `name: "${'x'.repeat(50 * 1024 * 1024)}"\n`);
      return f;
    },
    want: (f) => `error: failed to read ${f}: the file is 50.0 MiB, the limit is 1 MiB`,
  },
  {
    name: 'a mode-000 file, as a user who may not read it',
    file: () => {
      const f = join(dir, 'locked.yaml');
      writeFileSync(f, 'metric: {}\n');
      chmodSync(f, 0o000);
      return f;
    },
    want: (f) => `error: failed to read ${f}: permission denied`,
    asNobody: true,
  },
];

for (const c of cases) {
  test(`run ${c.name} → a clear error naming the file, exit 1`, (t) => {
    if (c.asNobody && !existsSync('/usr/bin/setpriv') && !existsSync('/bin/setpriv')) {
      // setpriv is util-linux, on every Debian/Ubuntu; without it the non-root case cannot be set up.
      t.diagnostic('setpriv not found');
      assert.fail('setpriv (util-linux) is needed to run a command as another user');
    }
    const file = c.file();
    const { status, stderr } = run(['run', dir, '-f', file, '--once'], c.asNobody);
    assert.equal(stderr.split('\n')[0], c.want(file), stderr);
    assert.doesNotMatch(stderr, /internal error/);
    assert.equal(status, 1);
  });
}
