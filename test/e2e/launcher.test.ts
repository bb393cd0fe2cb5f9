// The development build's layout and launcher (issue 16, issue 11): dist/ holds the executables only, the
// bundles sit under dist/lib/, and dist/kubectl-cpa starts node with one exec and no helper process, so it
// runs with nothing on PATH; reached through a symlink elsewhere it still finds the bundle.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cpaBinary, distDir } from '../support/cpa.ts';

const scratch = mkdtempSync(join(tmpdir(), 'cpa-launcher-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const VERSION_LINE = /^kubectl-cpa version \S+ \(.*Node v22\.23\.2\)\n$/;

function version(file: string, path: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(file, ['version'], { encoding: 'utf8', cwd: scratch, env: { PATH: path } });
}

describe('dist/ layout', () => {
  it('holds only executables; the bundles are under dist/lib/', () => {
    const files = readdirSync(distDir).filter((f) => statSync(join(distDir, f)).isFile());
    assert.ok(files.includes('kubectl-cpa'), `dist/ holds ${files.join(', ')}`);
    for (const f of files) assert.ok((statSync(join(distDir, f)).mode & 0o111) !== 0, `${f} is executable`);
    assert.deepEqual(
      files.filter((f) => f.endsWith('.cjs')),
      [],
    );
    assert.ok(existsSync(join(distDir, 'lib', 'kubectl-cpa.cjs')));
    assert.ok(existsSync(join(distDir, 'lib', 'kubectl-cpa-kube.cjs')));
  });
});

describe('dist/kubectl-cpa launcher', () => {
  it('starts with no program on PATH: no helper process before node', () => {
    const got = version(cpaBinary, join(scratch, 'empty'));
    assert.equal(got.stderr, '');
    assert.match(got.stdout, VERSION_LINE);
    assert.equal(got.status, 0);
  });

  it('runs through a symlink in another directory (a plugin link on PATH)', () => {
    const link = join(scratch, 'kubectl-cpa');
    symlinkSync(cpaBinary, link);
    const got = version(link, '/usr/bin:/bin');
    assert.equal(got.stderr, '');
    assert.match(got.stdout, VERSION_LINE);
  });
});
