// The release archives: what our writer produces must read back identically with our reader and with the
// system's tar and unzip (what users and krew's Go code see), with the binary's mode and nothing else.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  readArchive,
  readTar,
  readZip,
  tarGz,
  zip,
  type ArchiveEntry,
} from '../../../scripts/package-archive.ts';

const dir = mkdtempSync(join(tmpdir(), 'cpa-archive-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const entries: ArchiveEntry[] = [
  // 1000 bytes is not a multiple of the 512-byte tar block, so the padding is exercised too
  { name: 'kubectl-cpa', mode: 0o755, data: Buffer.alloc(1000, 7) },
  { name: 'LICENSE', mode: 0o644, data: Buffer.from('Apache License\n') },
];

function sh(cmd: string, args: string[]): string {
  const result = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8' });
  assert.equal(result.status, 0, `${cmd} ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

const formats = [
  { name: 'tar.gz', write: tarGz, read: readTar },
  { name: 'zip', write: zip, read: readZip },
];

describe('archive round trip', () => {
  for (const { name, write, read } of formats) {
    it(`${name}: reads back the same names, modes and bytes as regular files`, () => {
      const back = read(write(entries));
      assert.deepEqual(
        back.map((e) => [e.name, e.type, e.mode.toString(8), e.data.toString('hex')]),
        entries.map((e) => [e.name, '0', e.mode.toString(8), e.data.toString('hex')]),
      );
    });

    it(`${name}: the same entries give the same bytes (reproducible)`, () => {
      assert.ok(write(entries).equals(write(entries.map((e) => ({ ...e, data: Buffer.from(e.data) })))));
    });

    it(`${name}: readArchive sniffs the format from the content`, () => {
      assert.deepEqual(
        readArchive(write(entries)).map((e) => e.name),
        ['kubectl-cpa', 'LICENSE'],
      );
    });
  }
});

describe('the system tools agree', () => {
  it('tar lists the binary as -rwxr-xr-x root/root and extracts the same bytes', () => {
    writeFileSync(join(dir, 'a.tar.gz'), tarGz(entries));
    const listing = sh('tar', ['-tvzf', 'a.tar.gz']);
    assert.match(listing, /^-rwxr-xr-x root\/root\s+1000 1980-01-01 00:00 kubectl-cpa$/m);
    assert.match(listing, /^-rw-r--r-- root\/root\s+15 1980-01-01 00:00 LICENSE$/m);
    sh('tar', ['-xzf', 'a.tar.gz', 'kubectl-cpa']);
    assert.ok(readFileSync(join(dir, 'kubectl-cpa')).equals(entries[0]!.data));
  });

  it('zipinfo lists the binary as -rwxr-xr-x (unix attributes) and unzip extracts the same bytes', () => {
    writeFileSync(join(dir, 'a.zip'), zip(entries));
    const listing = sh('zipinfo', ['a.zip']);
    assert.match(listing, /^-rwxr-xr-x .* unx\s+1000 .* kubectl-cpa$/m);
    assert.match(listing, /^-rw-r--r-- .* unx\s+15 .* LICENSE$/m);
    assert.equal(sh('unzip', ['-p', 'a.zip', 'LICENSE']), 'Apache License\n');
    sh('unzip', ['-t', 'a.zip']);
  });

  it('readTar reports what krew would refuse: a symlink from GNU tar, and long pax names', () => {
    writeFileSync(join(dir, 'target'), 'x');
    symlinkSync('target', join(dir, 'link'));
    const long = 'd'.repeat(120);
    writeFileSync(join(dir, long), 'y');
    sh('tar', ['--format=pax', '-czf', 'b.tar.gz', 'link', long]);
    const read = readTar(readFileSync(join(dir, 'b.tar.gz')));
    assert.deepEqual(
      read.map((e) => [e.name, e.type]),
      [
        ['link', '2'],
        [long, '0'],
      ],
    );
  });
});
