// The README's minimal Role is enough for a cycle, and a missing right is named precisely. The Role is
// extracted from README.md, not repeated here, so the documentation is what is tested.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { useCluster, type TestCluster } from '../support/cluster.ts';
import { cpa, jsonEvents, repoRoot, shellProject } from '../support/cpa.ts';

/** The first ```yaml block under the README's "## RBAC" heading. */
export function readmeRole(): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## RBAC'));
  const match = /```yaml\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error('README.md has no yaml block in its RBAC section');
  return match[1];
}

const CONFIG = `
runMode: per-pod
metric: {type: shell, timeout: 5000, shell: {entrypoint: /bin/sh, command: ["-c", "cat > /dev/null; echo 1"]}}
evaluate: {type: shell, timeout: 5000, shell: {entrypoint: /bin/sh, command: ["-c", "cat > /dev/null; echo '{\\"targetReplicas\\": 2}'"]}}
`;

describe('RBAC: the README Role', () => {
  let cluster: TestCluster;
  let ns: string;
  const project = shellProject(CONFIG);
  before(async () => {
    cluster = await useCluster();
    ns = await cluster.createNamespace('rbac');
    await cluster.apply(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 1, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: registry.invalid/x:1}]}}}\n',
      ns,
    );
    await cluster.apply(readmeRole(), ns);
    await cluster.apply(
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: alice-cpa}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: kubectl-cpa}\nsubjects: [{kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}]\n',
      ns,
    );
  });
  after(() => project.cleanup());

  it('the restricted user bound to the README Role completes a cycle', async () => {
    const result = await cpa(
      cluster,
      ['run', project.dir, '--once', '--target', 'deployment/web', '-n', ns, '--log-format', 'json'],
      { kubeconfig: cluster.restrictedKubeconfig },
    );
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(jsonEvents(result.stderr).find((e) => e.event === 'decision')?.to, 2);
  });

  it('without patch on deployments/scale the cycle fails naming the verb, resource and namespace', async () => {
    const withoutPatch = readmeRole().replace('verbs: ["get", "patch"]', 'verbs: ["get"]');
    assert.notEqual(withoutPatch, readmeRole(), 'the README Role grants patch on the scale subresource');
    await cluster.apply(withoutPatch, ns);
    await cluster.api(
      'PATCH',
      `/apis/apps/v1/namespaces/${ns}/deployments/web/scale`,
      [{ op: 'replace', path: '/spec/replicas', value: 1 }],
      'application/json-patch+json',
    );
    const result = await cpa(
      cluster,
      ['run', project.dir, '--once', '--target', 'deployment/web', '-n', ns, '--log-format', 'json'],
      { kubeconfig: cluster.restrictedKubeconfig },
    );
    assert.equal(result.exitCode, 1);
    const error = jsonEvents(result.stderr).find((e) => e.event === 'cycle-error');
    assert.equal(error?.stage, 'patch');
    assert.match(String(error?.message), /patch/);
    assert.match(String(error?.message), /deployments\/scale/);
    assert.match(String(error?.message), new RegExp(`namespace "${ns}"`));
  });
});
