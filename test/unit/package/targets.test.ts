// Release file names and URLs: the names krew users and the manifest see, from Node's platform names.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TARGETS, archiveName, hostTarget, releaseUrl } from '../../../scripts/package-targets.ts';

const byId = (id: string) => TARGETS.find((t) => t.id === id)!;

describe('archiveName', () => {
  const cases = [
    { name: 'linux amd64 is a tar.gz', given: 'linux-x64', want: 'kubectl-cpa_0.1.0_linux_amd64.tar.gz' },
    {
      name: 'darwin arm64 is a tar.gz',
      given: 'darwin-arm64',
      want: 'kubectl-cpa_0.1.0_darwin_arm64.tar.gz',
    },
    { name: 'windows amd64 is a zip', given: 'win-x64', want: 'kubectl-cpa_0.1.0_windows_amd64.zip' },
  ];
  for (const { name, given, want } of cases)
    it(name, () => assert.equal(archiveName('0.1.0', byId(given)), want));

  it('gives five distinct names for five distinct os/arch pairs', () => {
    assert.equal(new Set(TARGETS.map((t) => archiveName('1.0.0', t))).size, 5);
    assert.equal(new Set(TARGETS.map((t) => `${t.os}/${t.arch}`)).size, 5);
  });
});

describe('hostTarget', () => {
  const cases = [
    { name: 'Linux x64', given: ['linux', 'x64'], want: 'linux-x64' },
    { name: 'Windows (win32) x64', given: ['win32', 'x64'], want: 'win-x64' },
    { name: 'macOS arm64', given: ['darwin', 'arm64'], want: 'darwin-arm64' },
    { name: 'a platform we do not release for', given: ['freebsd', 'x64'], want: undefined },
  ];
  for (const { name, given, want } of cases) {
    it(name, () => assert.equal(hostTarget(given[0]!, given[1]!)?.id, want));
  }
});

describe('releaseUrl', () => {
  const cases = [
    {
      name: 'the GitHub releases pattern',
      given: 'https://github.com/o/kubectl-cpa/releases/download/v{version}/{file}',
      want: 'https://github.com/o/kubectl-cpa/releases/download/v0.2.0/kubectl-cpa_0.2.0_linux_arm64.tar.gz',
    },
    {
      name: 'os and arch placeholders, unknown ones kept',
      given: 'https://mirror.test/{os}/{arch}/{nope}',
      want: 'https://mirror.test/linux/arm64/{nope}',
    },
  ];
  for (const { name, given, want } of cases)
    it(name, () => assert.equal(releaseUrl(given, '0.2.0', byId('linux-arm64')), want));
});
