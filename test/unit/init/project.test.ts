// The scaffold of `init` as data: the files per language and mode, a config the real loader accepts with
// the hooks mapped through the Dockerfile, the sample workload and trace, the README's three commands.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { imagePathMap, parseDockerfileCopies } from '../../../src/config/dockerfile.ts';
import { loadConfig } from '../../../src/config/load.ts';
import { dockerfileRecipe, KUBECTL_CPA_IMAGE } from '../../../src/init/dockerfile.ts';
import { scaffold, type InitOptions } from '../../../src/init/project.ts';
import { HOOK_LOAD_ANNOTATION } from '../../../src/init/sample.ts';
import { parseTrace } from '../../../src/simulate/trace.ts';

const BASE: InitOptions = {
  dir: 'my-scaler',
  lang: 'python',
  mode: 'per-resource',
  target: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
  http: false,
  version: '1.2.3',
};

describe('scaffold: files', () => {
  const rows: { name: string; given: Partial<InitOptions>; want: string[] }[] = [
    {
      name: 'python',
      given: {},
      want: [
        'Dockerfile',
        'README.md',
        'config.yaml',
        'deployment.yaml',
        'evaluate.py',
        'metric.py',
        'trace.csv',
      ],
    },
    {
      name: 'node with the HTTP evaluator',
      given: { lang: 'node', http: true },
      want: [
        'Dockerfile',
        'README.md',
        'config.yaml',
        'deployment.yaml',
        'evaluate-server.mjs',
        'evaluate.mjs',
        'metric.mjs',
        'trace.csv',
      ],
    },
    {
      name: 'bash for a custom resource: no sample workload',
      given: { lang: 'bash', target: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'r' } },
      want: ['Dockerfile', 'README.md', 'config.yaml', 'evaluate.sh', 'metric.sh', 'trace.csv'],
    },
  ];
  for (const row of rows)
    it(row.name, () => assert.deepEqual(Object.keys(scaffold({ ...BASE, ...row.given })).sort(), row.want));
});

describe('scaffold: config.yaml runs as written', () => {
  for (const lang of ['python', 'node', 'bash'] as const)
    for (const mode of ['per-resource', 'per-pod'] as const)
      it(`${lang} ${mode}: the loader accepts it and maps the hooks to the project's files`, () => {
        const files = scaffold({ ...BASE, lang, mode });
        const copies = parseDockerfileCopies(files.Dockerfile!);
        const paths = imagePathMap(copies, '/p', (p) => p.slice(3) in files);
        const result = loadConfig({
          text: files['config.yaml']!,
          fileName: 'config.yaml',
          env: {},
          imagePaths: paths,
          forRun: { targetLookedUp: false },
        });
        assert.ok(result.ok, JSON.stringify(!result.ok && result.issues));
        if (!result.ok) return;
        assert.equal(result.config.runMode, mode);
        assert.deepEqual(result.config.scaleTargetRef, BASE.target);
        const evaluate = result.config.evaluate;
        assert.ok(evaluate.type === 'shell');
        if (evaluate.type === 'shell')
          assert.match(evaluate.shell.command[0] ?? '', /^\/p\/evaluate\.(py|mjs|sh)$/);
      });

  it('--http: the evaluator is an http method on loopback, the server started beside kubectl-cpa in the image', () => {
    const files = scaffold({ ...BASE, http: true });
    const config = parse(files['config.yaml']!) as { evaluate: { type: string; http: { url: string } } };
    assert.equal(config.evaluate.type, 'http');
    assert.equal(config.evaluate.http.url, 'http://127.0.0.1:8081/evaluate');
    assert.match(
      files.Dockerfile!,
      /^CMD \["\/bin\/sh", "-c", "python3 \/evaluate_server\.py & exec kubectl-cpa run \/"\]$/m,
    );
    assert.match(files['README.md']!, /python3 evaluate_server\.py &/);
  });
});

describe('scaffold: sample workload and trace', () => {
  it('per-resource: the annotation on the workload (250 → 3 replicas)', () => {
    const w = parse(scaffold(BASE)['deployment.yaml']!) as {
      metadata: { annotations: Record<string, string> };
      spec: { template: { metadata: { annotations?: unknown } } };
    };
    assert.equal(w.metadata.annotations[HOOK_LOAD_ANNOTATION], '250');
    assert.equal(w.spec.template.metadata.annotations, undefined);
  });
  it('per-pod: the annotation on every pod (150 per pod)', () => {
    const w = parse(scaffold({ ...BASE, mode: 'per-pod' })['deployment.yaml']!) as {
      spec: { template: { metadata: { annotations: Record<string, string> } } };
    };
    assert.equal(w.spec.template.metadata.annotations[HOOK_LOAD_ANNOTATION], '150');
  });
  it('a StatefulSet gets its serviceName', () => {
    const w = parse(
      scaffold({ ...BASE, target: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' } })[
        'deployment.yaml'
      ]!,
    ) as { kind: string; spec: { serviceName: string } };
    assert.deepEqual([w.kind, w.spec.serviceName], ['StatefulSet', 'db']);
  });
  for (const mode of ['per-resource', 'per-pod'] as const)
    it(`the ${mode} trace parses: 30 minutes, a bump to 6 replicas of demand`, () => {
      const parsed = parseTrace(scaffold({ ...BASE, mode })['trace.csv']!);
      assert.ok(parsed.ok);
      if (!parsed.ok) return;
      assert.equal(parsed.samples.length, 30);
      assert.equal(Math.max(...parsed.samples.map((s) => s.demand ?? 0)), 6);
      if (mode === 'per-pod') assert.ok(parsed.samples.every((s) => s.pods?.length === s.demand));
      else assert.ok(parsed.samples.every((s) => s.value !== undefined));
    });
});

describe('README and Dockerfile', () => {
  it('the README gives the next three commands with DIR', () => {
    const readme = scaffold({ ...BASE, dir: 'my dir' })['README.md']!;
    const commands = [...readme.matchAll(/^ {7}(kubectl cpa .*)$/gm)].map((m) => m[1]);
    assert.deepEqual(commands, [
      "kubectl cpa simulate 'my dir' --trace 'my dir'/trace.csv --chart 'my dir'/backtest.html",
      "kubectl cpa run 'my dir' --sandbox --once",
      "kubectl cpa run 'my dir'",
    ]);
  });
  it('the recipe copies kubectl-cpa from its release image and the files to /', () => {
    const text = dockerfileRecipe({
      base: 'node:22-slim',
      files: ['config.yaml', 'a.mjs'],
      version: '1.2.3',
    });
    const lines = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    assert.deepEqual(lines, [
      'FROM node:22-slim',
      `COPY --from=${KUBECTL_CPA_IMAGE}:1.2.3 /kubectl-cpa /usr/local/bin/`,
      'COPY config.yaml a.mjs /',
      'CMD ["kubectl-cpa", "run", "/"]',
    ]);
  });
});
