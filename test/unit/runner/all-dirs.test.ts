// `run --all PARENT`: every subdirectory holding a config.yaml, in name order, over the real file system
// (the Files adapter's listDirs); a PARENT without any, or that is not a directory, is a usage error.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { realFiles } from '../../../src/adapters/files.ts';
import { UsageError } from '../../../src/errors.ts';
import { findAutoscalerDirs } from '../../../src/runner/roster.ts';

const root = mkdtempSync(join(tmpdir(), 'cpa-all-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('findAutoscalerDirs', () => {
  test('subdirectories with a config.yaml, sorted; others and plain files left out; symlinks followed', async () => {
    const parent = join(root, 'p');
    for (const d of ['web', 'api', 'notes', 'z-worker']) mkdirSync(join(parent, d), { recursive: true });
    for (const d of ['web', 'api', 'z-worker']) writeFileSync(join(parent, d, 'config.yaml'), 'x: 1\n');
    writeFileSync(join(parent, 'config.yaml'), 'not an autoscaler dir\n');
    mkdirSync(join(root, 'elsewhere'));
    writeFileSync(join(root, 'elsewhere', 'config.yaml'), 'x: 1\n');
    symlinkSync(join(root, 'elsewhere'), join(parent, 'linked'));
    assert.deepEqual(await findAutoscalerDirs({ files: realFiles }, parent), [
      `${parent}/api`,
      `${parent}/linked`,
      `${parent}/web`,
      `${parent}/z-worker`,
    ]);
  });

  test('no autoscaler under PARENT', async () => {
    const empty = join(root, 'empty');
    mkdirSync(join(empty, 'sub'), { recursive: true });
    await assert.rejects(findAutoscalerDirs({ files: realFiles }, empty), (err: unknown) => {
      assert.ok(err instanceof UsageError);
      assert.match(err.message, /no subdirectory of ".*empty" holds a config\.yaml/);
      return true;
    });
  });

  test('PARENT is not a directory', async () => {
    await assert.rejects(
      findAutoscalerDirs({ files: realFiles }, join(root, 'missing')),
      /is not a directory/,
    );
  });
});
