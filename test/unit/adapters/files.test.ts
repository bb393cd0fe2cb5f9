// The real Files port against real files: every way a read fails is a CpaError naming the file and the
// reason, and the size bound holds for regular files and for files that report no size (/proc, pipes).
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { readBoundedText, readError, sizeText } from '../../../src/adapters/files.ts';
import { CpaError } from '../../../src/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'cpa-files-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function failure(path: string, maxBytes?: number): Promise<CpaError> {
  try {
    await readBoundedText(path, maxBytes);
  } catch (err) {
    assert.ok(err instanceof CpaError, `not a CpaError: ${String(err)}`);
    return err;
  }
  assert.fail(`reading ${path} did not fail`);
}

describe('readBoundedText', () => {
  test('reads a file and resolves null for a missing one', async () => {
    writeFileSync(join(dir, 'ok.yaml'), 'a: 1\n');
    assert.equal(await readBoundedText(join(dir, 'ok.yaml')), 'a: 1\n');
    assert.equal(await readBoundedText(join(dir, 'missing.yaml')), null);
  });

  test('a directory is named as one', async () => {
    mkdirSync(join(dir, 'sub'));
    const err = await failure(join(dir, 'sub'));
    assert.equal(err.message, `failed to read ${join(dir, 'sub')}: is a directory, not a file`);
  });

  test('/proc/self/mem (EIO) is an input/output error, not an internal error', async () => {
    const err = await failure('/proc/self/mem');
    assert.equal(err.message, 'failed to read /proc/self/mem: input/output error');
  });

  test('a file over the bound is refused before it is read whole', async () => {
    writeFileSync(join(dir, 'big.yaml'), 'x'.repeat(2048));
    const err = await failure(join(dir, 'big.yaml'), 1024);
    assert.equal(
      err.message,
      `failed to read ${join(dir, 'big.yaml')}: the file is 2 KiB, the limit is 1 KiB`,
    );
  });

  test('a sizeless file over the bound (/proc) is cut off at the bound', async () => {
    const err = await failure('/proc/self/maps', 16);
    assert.match(
      err.message,
      /^failed to read \/proc\/self\/maps: the file is more than 16 bytes, the limit/,
    );
  });

  test('exactly the bound is allowed', async () => {
    writeFileSync(join(dir, 'edge.yaml'), 'y'.repeat(1024));
    assert.equal((await readBoundedText(join(dir, 'edge.yaml'), 1024))?.length, 1024);
  });

  test('a mode-000 file read by root still works; the reason text for EACCES is permission denied', async () => {
    writeFileSync(join(dir, 'locked.yaml'), 'a: 1\n');
    chmodSync(join(dir, 'locked.yaml'), 0o000);
    if (process.getuid?.() === 0) {
      assert.equal(await readBoundedText(join(dir, 'locked.yaml')), 'a: 1\n');
    } else {
      assert.match((await failure(join(dir, 'locked.yaml'))).message, /: permission denied$/);
    }
  });
});

describe('readError and sizeText', () => {
  const rows: { code?: string; message?: string; want: string }[] = [
    { code: 'EACCES', want: 'failed to read f: permission denied' },
    { code: 'EISDIR', want: 'failed to read f: is a directory, not a file' },
    { code: 'ELOOP', want: 'failed to read f: too many levels of symbolic links' },
    { code: 'EWEIRD', message: 'EWEIRD: odd', want: 'failed to read f: EWEIRD: odd' },
    { want: 'failed to read f: unknown error' },
  ];
  for (const row of rows) {
    test(`${row.code ?? 'no code'} → ${row.want}`, () => {
      assert.equal(readError('f', row).message, row.want);
    });
  }
  test('sizes', () => {
    assert.deepEqual([0, 1023, 1024, 1536, 1024 * 1024, 50 * 1024 * 1024 + 512 * 1024].map(sizeText), [
      '0 bytes',
      '1023 bytes',
      '1 KiB',
      '1.5 KiB',
      '1 MiB',
      '50.5 MiB',
    ]);
  });
});
