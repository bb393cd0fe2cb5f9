import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { listTree } from '../../../src/adapters/file-tree.ts';

describe('listTree', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tree-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('lists regular files recursively with sizes, sorted; dot-files and dot-directories skipped; links followed', async () => {
    mkdirSync(join(dir, 'hooks'));
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, 'config.yaml'), 'a: 1\n');
    writeFileSync(join(dir, 'hooks', 'metric.sh'), 'echo 1\n');
    writeFileSync(join(dir, '.env'), 'SECRET=1\n');
    writeFileSync(join(dir, '.git', 'HEAD'), 'ref\n');
    symlinkSync('config.yaml', join(dir, 'linked.yaml'));
    assert.deepEqual(await listTree(dir), [
      { path: 'config.yaml', size: 5 },
      { path: 'hooks/metric.sh', size: 7 },
      { path: 'linked.yaml', size: 5 },
    ]);
  });

  it('a path that is not a directory is an error naming it', async () => {
    await assert.rejects(
      listTree(join(dir, 'config.yaml')),
      /failed to list .*config\.yaml: not a directory/,
    );
  });
});
