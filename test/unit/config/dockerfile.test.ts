// Dockerfile ADD/COPY parsing and mapping in-image paths to local files, and applying the map in loadConfig.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  imagePathMap,
  parseDockerfileCopies,
  rewriteImagePaths,
  type DockerCopy,
} from '../../../src/config/dockerfile.ts';
import { BASE, loadOk } from './fixtures.ts';

describe('parseDockerfileCopies', () => {
  const cases: { name: string; given: string; want: DockerCopy[] }[] = [
    {
      name: "the seed guide's Dockerfile",
      given:
        '# Pull in Python build of CPA\nFROM custompodautoscaler/python:latest\n\n' +
        '# Add config, evaluator and metric gathering Py scripts\nADD config.yaml evaluate.py metric.py /\n',
      want: [{ sources: ['config.yaml', 'evaluate.py', 'metric.py'], dest: '/' }],
    },
    {
      name: 'JSON-array form with flags before it',
      given: 'FROM x\nCOPY --chown=1000:1000 --chmod=755 ["a b.py", "c.py", "/app/"]\n',
      want: [{ sources: ['a b.py', 'c.py'], dest: '/app/' }],
    },
    {
      name: 'plain form with flags',
      given: 'FROM x\ncopy --link metric.py /metric.py\n',
      want: [{ sources: ['metric.py'], dest: '/metric.py' }],
    },
    {
      name: 'line continuations and a comment inside them',
      given: 'FROM x\nCOPY metric.py \\\n# the evaluator\n     evaluate.py \\\n     /srv/\n',
      want: [{ sources: ['metric.py', 'evaluate.py'], dest: '/srv/' }],
    },
    {
      name: 'the escape directive changes the continuation character',
      given: '# escape=`\nFROM x\nCOPY a.py `\n  /opt/\n',
      want: [{ sources: ['a.py'], dest: '/opt/' }],
    },
    {
      name: 'relative destinations resolve against WORKDIR; . is a directory',
      given: 'FROM x\nWORKDIR /app\nWORKDIR scripts\nCOPY m.py .\nCOPY e.py lib/\nCOPY c.yaml conf.yaml\n',
      want: [
        { sources: ['m.py'], dest: '/app/scripts/' },
        { sources: ['e.py'], dest: '/app/scripts/lib/' },
        { sources: ['c.yaml'], dest: '/app/scripts/conf.yaml' },
      ],
    },
    {
      name: 'only the final stage counts; --from and heredocs are not local files',
      given:
        'FROM golang AS build\nCOPY main.go /src/\nFROM alpine\nCOPY --from=build /out/app /app\n' +
        'COPY <<EOF /etc/x\nhello\nEOF\nADD metric.py /\n',
      want: [{ sources: ['metric.py'], dest: '/' }],
    },
    {
      name: 'CRLF line endings',
      given: 'FROM x\r\nADD a.py /\r\n',
      want: [{ sources: ['a.py'], dest: '/' }],
    },
    { name: 'a COPY without destination is skipped', given: 'FROM x\nCOPY lonely\n', want: [] },
  ];
  for (const { name, given, want } of cases)
    it(name, () => assert.deepEqual(parseDockerfileCopies(given), want));
});

describe('imagePathMap', () => {
  const local = new Set(['/w/metric.py', '/w/evaluate.py', '/w/config.yaml', '/w/src/lib.py', '/w/scripts/']);
  const exists = (p: string): boolean => local.has(p);
  const cases: { name: string; given: DockerCopy[]; want: [string, string][] }[] = [
    {
      name: 'several sources into a directory keep their base names',
      given: [{ sources: ['config.yaml', 'evaluate.py', 'metric.py'], dest: '/' }],
      want: [
        ['/config.yaml', '/w/config.yaml'],
        ['/evaluate.py', '/w/evaluate.py'],
        ['/metric.py', '/w/metric.py'],
      ],
    },
    {
      name: 'a single source to a file path is renamed',
      given: [{ sources: ['metric.py'], dest: '/app/m.py' }],
      want: [['/app/m.py', '/w/metric.py']],
    },
    {
      name: 'a nested source lands by base name',
      given: [{ sources: ['src/lib.py'], dest: '/app/' }],
      want: [['/app/lib.py', '/w/src/lib.py']],
    },
    {
      name: 'missing files, URLs, globs and directories are not mapped',
      given: [{ sources: ['gone.py', 'https://x/y.py', '*.py', 'scripts/', '.', 'metric.py'], dest: '/a/' }],
      want: [['/a/metric.py', '/w/metric.py']],
    },
    {
      name: 'a later copy to the same path wins',
      given: [
        { sources: ['metric.py'], dest: '/m.py' },
        { sources: ['evaluate.py'], dest: '/m.py' },
      ],
      want: [['/m.py', '/w/evaluate.py']],
    },
  ];
  for (const { name, given, want } of cases) {
    it(name, () => assert.deepEqual([...imagePathMap(given, '/w', exists)], want));
  }
});

describe('rewriteImagePaths', () => {
  const map = new Map([
    ['/metric.py', '/w/metric.py'],
    ['/app/m.py', '/my dir/m.py'],
  ]);
  const cases: { name: string; given: [string, boolean]; want: { text: string; used: string[] } }[] = [
    {
      name: 'whole path in a command line',
      given: ['python /metric.py --x', true],
      want: { text: 'python /w/metric.py --x', used: ['/metric.py'] },
    },
    {
      name: 'not inside a longer path',
      given: ['python /app/metric.py', true],
      want: { text: 'python /app/metric.py', used: [] },
    },
    {
      name: 'not a prefix of another name',
      given: ['python /metric.pyc', true],
      want: { text: 'python /metric.pyc', used: [] },
    },
    {
      name: 'a path needing quotes is quoted for a shell',
      given: ['python /app/m.py', true],
      want: { text: "python '/my dir/m.py'", used: ['/app/m.py'] },
    },
    {
      name: 'but not when already inside quotes',
      given: ['python "/app/m.py"', true],
      want: { text: 'python "/my dir/m.py"', used: ['/app/m.py'] },
    },
    {
      name: 'and never in a plain argument',
      given: ['/app/m.py', false],
      want: { text: '/my dir/m.py', used: ['/app/m.py'] },
    },
  ];
  for (const { name, given, want } of cases)
    it(name, () => assert.deepEqual(rewriteImagePaths(given[0], map, given[1]), want));
});

describe('loadConfig with image paths', () => {
  const imagePaths = new Map([
    ['/metric.py', '/w/metric.py'],
    ['/evaluate.py', '/w/evaluate.py'],
  ]);

  it('rewrites seed shell strings and notes each mapping', () => {
    const text =
      'metric: {type: shell, timeout: 1, shell: "python /metric.py"}\nevaluate: {type: shell, timeout: 1, shell: "python /evaluate.py"}\n';
    const { config, notes } = loadOk(text, { imagePaths });
    assert.deepEqual(config.metric.type === 'shell' && config.metric.shell.command, [
      '-c',
      'python /w/metric.py',
    ]);
    assert.deepEqual(config.evaluate.type === 'shell' && config.evaluate.shell.command, [
      '-c',
      'python /w/evaluate.py',
    ]);
    assert.ok(
      notes.includes('mapped image path /metric.py to /w/metric.py (Dockerfile ADD/COPY)'),
      notes.join('\n'),
    );
  });

  it('rewrites v2 entrypoints and arguments of methods and hooks', () => {
    const text = `${BASE.replace('[/m.py]', '[/metric.py]')}postScale: {type: shell, timeout: 1, shell: {entrypoint: /evaluate.py}}\n`;
    const { config } = loadOk(text, { imagePaths });
    assert.deepEqual(config.metric.type === 'shell' && config.metric.shell.command, ['/w/metric.py']);
    const hook = config.hooks.postScale;
    assert.equal(hook?.type === 'shell' && hook.shell.entrypoint, '/w/evaluate.py');
  });
});
