// `kubectl cpa <TAB>` through the real kubectl (≥ 1.26): kubectl finds dist/kubectl_complete-cpa on PATH and
// answers its own `__complete` from it; autoscaler names come from the cluster. `kubectl cpa completion
// kubectl-plugin` prints the same file the build puts beside the binary.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { useCluster, type TestCluster } from '../support/cluster.ts';
import { cpa, distDir } from '../support/cpa.ts';
import { encodeState } from '../../src/status/schema.ts';
import { recorded } from '../unit/status/fixtures.ts';

const annotated = (name: string, autoscaler: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  annotations:
    kubectl-cpa.io/status: '${encodeState(recorded({ name: autoscaler }))}'
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, image: registry.invalid/x:1}]}
`;

describe('plugin completion through the real kubectl', () => {
  let cluster: TestCluster;
  let ns: string;
  before(async () => {
    cluster = await useCluster();
    ns = await cluster.createNamespace('completion');
    await cluster.apply(`${annotated('web', 'web-scaler')}---\n${annotated('api', 'api-scaler')}`, ns);
  });

  /** `kubectl __complete cpa WORDS…` with dist/ on PATH: the candidates (without descriptions) and the directive. */
  const complete = async (words: string[], kubeconfig?: string) => {
    const r = await cluster.kubectl(['__complete', 'cpa', ...words], {
      env: { PATH: `${distDir}:${cluster.binDir}:${process.env['PATH'] ?? ''}` },
      ...(kubeconfig === undefined ? {} : { kubeconfig }),
    });
    assert.equal(r.exitCode, 0, r.stderr);
    return r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t')[0]);
  };

  it('kubectl __complete cpa st offers status', async () => {
    assert.deepEqual(await complete(['st']), ['status', ':4']);
  });

  it('kubectl __complete cpa status "" offers the autoscaler names of the namespace', async () => {
    assert.deepEqual(await complete(['status', '-n', ns, '']), ['api-scaler', 'web-scaler', ':4']);
    assert.deepEqual(await complete(['logs', '--namespace', ns, 'we']), ['web-scaler', ':4']);
  });

  it('flags and -o values', async () => {
    assert.ok((await complete(['status', '--all'])).includes('--all-namespaces'));
    assert.deepEqual(await complete(['status', '-o', 'custom']), ['custom-columns=', ':6']);
  });

  it('dist/kubectl_complete-cpa is executable and is what `completion kubectl-plugin` prints', async () => {
    const file = join(distDir, 'kubectl_complete-cpa');
    assert.equal(statSync(file).mode & 0o111, 0o111);
    const printed = await cpa(cluster, ['completion', 'kubectl-plugin'], {
      kubeconfig: cluster.adminKubeconfig,
    });
    assert.equal(printed.stdout, readFileSync(file, 'utf8'));
  });
});
