// The krew manifest: generated from the template it is valid; every krew-index rule is enforced with a
// message naming the field; and the archive checks catch what krew's install would reject.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tarGz, zip, type ArchiveEntry } from '../../../scripts/package-archive.ts';
import {
  archiveProblems,
  manifestProblems,
  renderManifest,
  selectorMatches,
  type KrewManifest,
  type KrewPlatform,
} from '../../../scripts/package-manifest.ts';
import { TARGETS } from '../../../scripts/package-targets.ts';
import { repoRoot } from '../../support/cpa.ts';

const template = readFileSync(join(repoRoot, 'krew', 'cpa.template.yaml'), 'utf8');
const sha = (n: number): string => n.toString(16).padStart(64, '0');

function manifest(): KrewManifest {
  const built = TARGETS.map((target, i) => ({
    target,
    uri: `https://example.test/${target.id}`,
    sha256: sha(i),
  }));
  return renderManifest(template, '1.2.3', built);
}

describe('renderManifest', () => {
  it('fills v<version> and one platform per target with bin, files and a lowercase sha256', () => {
    const m = manifest();
    assert.equal(m.spec.version, 'v1.2.3');
    assert.deepEqual(
      m.spec.platforms.map((p) => [p.selector.matchLabels, p.bin, p.files?.map((f) => f.from)]),
      TARGETS.map((t) => [
        { os: t.os, arch: t.arch },
        t.binary,
        [t.binary, t.os === 'windows' ? 'kubectl_complete-cpa.cmd' : 'kubectl_complete-cpa', 'LICENSE'],
      ]),
    );
    assert.match(m.spec.caveats ?? '', /kubectl cpa demo/);
  });

  it('is valid for krew', () => assert.deepEqual(manifestProblems(manifest(), 'cpa.yaml'), []));
});

const platform = (m: KrewManifest, i: number): KrewPlatform => m.spec.platforms[i]!;

describe('manifestProblems', () => {
  const cases: { name: string; given: (m: KrewManifest) => void; file?: string; want: string[] }[] = [
    {
      name: 'uppercase sha256',
      given: (m) => (platform(m, 0).sha256 = 'A'.repeat(64)),
      want: [`spec.platforms[0].sha256: "${'A'.repeat(64)}" must match ^[a-f0-9]{64}$`],
    },
    {
      name: 'version without v',
      given: (m) => (m.spec.version = '1.2.3'),
      want: ['spec.version: "1.2.3" is not v<semver>'],
    },
    {
      name: 'version 1.2',
      given: (m) => (m.spec.version = 'v1.2'),
      want: ['spec.version: "v1.2" is not v<semver>'],
    },
    {
      name: 'a two-line short description',
      given: (m) => (m.spec.shortDescription = 'a\nb'),
      want: ['spec.shortDescription: must be one line'],
    },
    {
      name: 'a name that is not the file name',
      given: () => undefined,
      file: 'kubectl-cpa.yaml',
      want: ['metadata.name: "cpa" does not match the file name kubectl-cpa.yaml'],
    },
    {
      name: 'a Windows device name',
      given: (m) => (m.metadata.name = 'con'),
      file: 'con.yaml',
      want: ['metadata.name: "con" is not allowed'],
    },
    { name: 'another kind', given: (m) => (m.kind = 'Plugins'), want: ['kind: "Plugins" is not Plugin'] },
    {
      name: 'two platforms for linux/amd64',
      given: (m) => (platform(m, 1).selector = { matchLabels: { os: 'linux', arch: 'amd64' } }),
      want: ['spec.platforms[0, 1]: selectors overlap on linux/amd64'],
    },
    {
      name: 'an os-only selector next to os+arch ones',
      given: (m) => (platform(m, 1).selector = { matchLabels: { os: 'linux' } }),
      want: ['spec.platforms[0, 1]: selectors overlap on linux/amd64'],
    },
    {
      name: 'a selector key other than os and arch',
      given: (m) => (platform(m, 0).selector.matchLabels = { os: 'linux', arch: 'amd64', libc: 'musl' }),
      want: ['spec.platforms[0].selector: key "libc" is not supported (only os and arch)'],
    },
    {
      name: 'a platform krew does not know',
      given: (m) => (platform(m, 0).selector.matchLabels = { os: 'plan9', arch: 'amd64' }),
      want: ['spec.platforms[0].selector: matches no platform krew supports'],
    },
    {
      name: 'an empty selector',
      given: (m) => (platform(m, 0).selector = {}),
      want: ['spec.platforms[0].selector: must not be empty'],
    },
    {
      name: 'a windows bin without .exe',
      given: (m) => (platform(m, 4).bin = 'kubectl-cpa'),
      want: ['spec.platforms[4].bin: "kubectl-cpa" must end in .exe on windows'],
    },
    {
      name: 'an empty files list',
      given: (m) => (platform(m, 0).files = []),
      want: ['spec.platforms[0].files: omit it or list files'],
    },
    {
      name: 'a file operation without "to"',
      given: (m) => (platform(m, 0).files = [{ from: 'kubectl-cpa', to: '' }]),
      want: ['spec.platforms[0].files[0]: both "from" and "to" are required'],
    },
    {
      name: 'missing uri and bin',
      given: (m) => Object.assign(platform(m, 2), { uri: '', bin: '' }),
      want: ['spec.platforms[2].uri: required', 'spec.platforms[2].bin: required'],
    },
    {
      name: 'a description line over 80 characters',
      given: (m) => (m.spec.description = `${'word '.repeat(17)}\n`),
      want: [`spec.description: line longer than 80 characters: "${'word '.repeat(17)}"`],
    },
    {
      name: 'no platforms',
      given: (m) => (m.spec.platforms = []),
      want: ['spec.platforms: at least one platform is required'],
    },
  ];
  for (const { name, given, file, want } of cases) {
    it(name, () => {
      const m = manifest();
      given(m);
      assert.deepEqual(manifestProblems(m, file ?? `${m.metadata.name}.yaml`), want);
    });
  }
});

describe('selectorMatches', () => {
  const cases: { name: string; given: KrewPlatform['selector']; want: string[] }[] = [
    {
      name: 'matchLabels os+arch',
      given: { matchLabels: { os: 'darwin', arch: 'arm64' } },
      want: ['darwin/arm64'],
    },
    {
      name: 'matchExpressions In',
      given: {
        matchLabels: { os: 'linux' },
        matchExpressions: [{ key: 'arch', operator: 'In', values: ['arm', 'arm64'] }],
      },
      want: ['linux/arm', 'linux/arm64'],
    },
    {
      name: 'matchExpressions NotIn',
      given: {
        matchLabels: { os: 'windows' },
        matchExpressions: [{ key: 'arch', operator: 'NotIn', values: ['386'] }],
      },
      want: ['windows/amd64', 'windows/arm64'],
    },
  ];
  const pairs = ['windows/386', 'windows/amd64', 'windows/arm64', 'linux/arm', 'linux/arm64', 'darwin/arm64'];
  for (const { name, given, want } of cases) {
    it(name, () => {
      const got = pairs.filter((p) => selectorMatches(given, p.split('/')[0]!, p.split('/')[1]!));
      assert.deepEqual(got, want);
    });
  }
});

describe('archiveProblems', () => {
  const good: ArchiveEntry[] = [
    { name: 'kubectl-cpa', mode: 0o755, data: Buffer.from('binary') },
    { name: 'kubectl_complete-cpa', mode: 0o755, data: Buffer.from('#!/bin/sh') },
    { name: 'LICENSE', mode: 0o644, data: Buffer.from('license') },
  ];
  const check = (archive: Buffer, change: (p: KrewPlatform) => void = () => undefined): string[] => {
    const p = structuredClone(platform(manifest(), 0));
    p.sha256 = createHash('sha256').update(archive).digest('hex');
    change(p);
    return archiveProblems(p, 0, archive);
  };
  const cases: { name: string; given: () => string[]; want: string[] }[] = [
    { name: 'a good tar.gz', given: () => check(tarGz(good)), want: [] },
    {
      name: 'a good zip for windows',
      given: () =>
        check(zip([{ ...good[0]!, name: 'kubectl-cpa.exe' }, good[2]!]), (p) => {
          p.bin = 'kubectl-cpa.exe';
          p.files = [
            { from: 'kubectl-cpa.exe', to: '.' },
            { from: 'LICENSE', to: '.' },
          ];
        }),
      want: [],
    },
    {
      name: 'a sha256 that is not the archive’s',
      given: () => check(tarGz(good), (p) => (p.sha256 = sha(1))),
      want: [
        `spec.platforms[0].sha256: the archive's sha256 is ${createHash('sha256').update(tarGz(good)).digest('hex')}`,
      ],
    },
    {
      name: 'no LICENSE in the archive',
      given: () => check(tarGz(good.slice(0, 2))),
      want: [
        'spec.platforms[0].files: "LICENSE" matches nothing in the archive',
        'spec.platforms[0]: no LICENSE file is extracted',
      ],
    },
    {
      name: 'a binary that is not executable',
      given: () => check(tarGz([{ ...good[0]!, mode: 0o644 }, good[1]!, good[2]!])),
      want: ['spec.platforms[0].bin: mode is 644, want 755'],
    },
    {
      name: 'bin naming a file that is not extracted',
      given: () => check(tarGz(good), (p) => (p.bin = 'kubectl-cpa-other')),
      want: ['spec.platforms[0].bin: "kubectl-cpa-other" is not among the extracted files'],
    },
  ];
  for (const { name, given, want } of cases) it(name, () => assert.deepEqual(given(), want));
});
