// prepareRun: the configuration, the target and the namespace are settled once, in one order; every config
// problem (the run-time checks included) is reported together; nothing stays connected on a failure.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError } from '../../../src/errors.ts';
import { prepareRun, type RunRequest } from '../../../src/runner/prepare.ts';
import { fakeConnect, FakeCpaClient, mapFiles } from './fakes.ts';

const HOOKS = `
metric: { type: shell, timeout: 1000, shell: { entrypoint: /bin/sh, command: ["-c", "echo 1"] } }
evaluate: { type: shell, timeout: 1000, shell: { entrypoint: /bin/sh, command: ["-c", "echo 1"] } }
`;
const WITH_TARGET = `scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }\n${HOOKS}`;

function setup(configText: string, env: Record<string, string> = {}) {
  const client = new FakeCpaClient(1);
  const { connectKube, asked } = fakeConnect(client);
  const deps = { files: mapFiles({ 'a/config.yaml': configText }), cwd: '/work', connectKube };
  const request = (over: Partial<RunRequest> = {}): RunRequest => ({ dir: 'a', env, ...over });
  return { client, asked, prepare: (over?: Partial<RunRequest>) => prepareRun(deps, request(over)) };
}

describe('prepareRun: the namespace is settled once', () => {
  const rows: { name: string; config: string; env?: Record<string, string>; flag?: string; want: string }[] =
    [
      { name: 'none anywhere → the kube context', config: WITH_TARGET, want: 'ctx-ns' },
      { name: 'the file', config: `namespace: file-ns\n${WITH_TARGET}`, want: 'file-ns' },
      {
        name: 'the environment over the file',
        config: `namespace: file-ns\n${WITH_TARGET}`,
        env: { namespace: 'env-ns' },
        want: 'env-ns',
      },
      {
        name: '-n over everything',
        config: `namespace: file-ns\n${WITH_TARGET}`,
        env: { namespace: 'env-ns' },
        flag: 'flag-ns',
        want: 'flag-ns',
      },
    ];
  for (const row of rows) {
    test(row.name, async () => {
      const { prepare } = setup(row.config, row.env);
      const prepared = await prepare({ configFile: undefined, namespace: row.flag });
      assert.equal(prepared.namespace, row.want);
      assert.equal(prepared.config.namespace, row.want);
      assert.equal(prepared.dir, '/work/a');
      assert.match(prepared.notes.at(-1) ?? '', new RegExp(`namespace "${row.want}"$`));
    });
  }
});

describe('prepareRun: the target', () => {
  test('from the config', async () => {
    const prepared = await setup(WITH_TARGET).prepare();
    assert.deepEqual(prepared.target, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' });
  });
  test('--target in the ref form overrides the config without a look-up', async () => {
    const { prepare, client } = setup(WITH_TARGET);
    const prepared = await prepare({ target: 'apps/v1/StatefulSet/db' });
    assert.deepEqual(prepared.target, { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' });
    assert.deepEqual(client.lookups, []);
  });
  test('--target wdg/x is looked up through discovery, and a config needs no target then', async () => {
    const { prepare, client } = setup(HOOKS);
    const prepared = await prepare({ target: 'wdg/x' });
    assert.deepEqual(prepared.target, { apiVersion: 'example.dev/v1', kind: 'Widget', name: 'x' });
    assert.deepEqual(prepared.config.scaleTargetRef, prepared.target);
    assert.deepEqual(client.lookups, ['wdg']);
  });
  test('a failed look-up closes the client it opened', async () => {
    const { prepare, client } = setup(HOOKS);
    await assert.rejects(prepare({ target: 'nosuch/x' }), /no resource nosuch/);
    assert.equal(client.closed, 1);
  });
});

describe('prepareRun: every problem at once, before connecting', () => {
  test('a missing target, a bad kubernetesMetricSpecs quantity and a bad key in one ConfigError', async () => {
    // kubernetesMetricSpecs are gathered since issue 14; a malformed one is still reported with the rest.
    const { prepare, asked } = setup(
      `${HOOKS}minReplicas: -1\nkubernetesMetricSpecs: [{type: Pods, pods: {metric: {name: q}, target: {type: AverageValue, averageValue: "5 cores"}}}]\n`,
    );
    const err = await prepare().catch((e: unknown) => e);
    assert.ok(err instanceof ConfigError);
    assert.equal(err.message, 'invalid configuration in a/config.yaml (3 problems):');
    assert.deepEqual(
      err.problems.map((p) => p.split(':')[0]),
      [
        'minReplicas (a/config.yaml',
        'kubernetesMetricSpecs[0].pods.target.averageValue (a/config.yaml',
        'scaleTargetRef',
      ],
    );
    assert.match(
      err.problems[2] ?? '',
      /is required to run: .* --target \(e\.g\. --target deployment\/web\)$/,
    );
    assert.deepEqual(asked, [], 'nothing connects while the config has problems');
  });
  test('a missing config file names it and how to pass one', async () => {
    const { prepare } = setup(WITH_TARGET);
    const err = await prepare({ dir: 'b' }).catch((e: unknown) => e);
    assert.ok(err instanceof ConfigError);
    assert.equal(err.message, 'failed to read configuration file b/config.yaml: no such file');
  });
  test('the Kubernetes call timeout follows the interval', async () => {
    const { prepare, asked } = setup(`interval: 500\n${WITH_TARGET}`);
    await prepare();
    assert.equal(asked[0]?.requestTimeoutMs, 2_000);
  });
});
