import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planAutoscaler } from '../../../src/cli/deploy-plan.ts';
import type { Files, ResolvedTarget } from '../../../src/ports.ts';

const CONFIG = `scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
metric: {type: shell, timeout: 5000, shell: {entrypoint: /bin/sh, command: ["m.sh"]}}
evaluate: {type: shell, timeout: 5000, shell: {entrypoint: /bin/sh, command: ["e.sh"]}}
`;

/** Files of one directory /p/web-scaler: path → size (content is that many "a"s, config.yaml is CONFIG). */
function dirFiles(sizes: Record<string, number>): Files & { reads: string[] } {
  const reads: string[] = [];
  const content = (rel: string) => (rel === 'config.yaml' ? CONFIG : 'a'.repeat(sizes[rel] ?? 0));
  return {
    reads,
    readText: async (path) => (path === '/p/web-scaler/config.yaml' ? CONFIG : null),
    exists: async () => false,
    listTree: async () =>
      Object.keys(sizes)
        .sort()
        .map((path) => ({ path, size: Buffer.byteLength(content(path)) })),
    readBytes: async (path) => {
      reads.push(path);
      return Buffer.from(content(path.replace('/p/web-scaler/', '')));
    },
  };
}

const client = {
  resolveTarget: async (ref: { name: string }, namespace: string): Promise<ResolvedTarget> => ({
    ...{ group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment' },
    ...{ name: ref.name, namespace, hasScale: true },
  }),
};

describe('planAutoscaler', () => {
  it('names the autoscaler after its directory, targets the home namespace, reads every file', async () => {
    const files = dirFiles({ 'config.yaml': 0, 'm.sh': 10, 'e.sh': 20 });
    const plan = await planAutoscaler({ files, cwd: '/' }, client, '/p/web-scaler', 'ops');
    assert.equal(plan.name, 'web-scaler');
    assert.deepEqual(plan.target, { group: 'apps', resource: 'deployments', namespace: 'ops' });
    assert.deepEqual(
      plan.files.map((f) => [f.path, f.bytes.length]),
      [
        ['config.yaml', CONFIG.length],
        ['e.sh', 20],
        ['m.sh', 10],
      ],
    );
  });

  it('over the ConfigMap limit: refused naming the largest files, before any file is read', async () => {
    const files = dirFiles({ 'config.yaml': 0, 'm.sh': 10, 'model.bin': 2 * 1024 * 1024 });
    await assert.rejects(
      planAutoscaler({ files, cwd: '/' }, client, '/p/web-scaler', 'ops'),
      (err: Error) => {
        assert.match(
          err.message,
          /autoscaler "web-scaler".*over the ConfigMap limit.*largest: model\.bin \(2097152 bytes\)/,
        );
        return true;
      },
    );
    assert.deepEqual(files.reads, []);
  });
});
