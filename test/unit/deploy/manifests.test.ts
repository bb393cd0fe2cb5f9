import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deployManifests, type DeployInput } from '../../../src/deploy/manifests.ts';
import { containerCommand, MOUNT_DIR } from '../../../src/deploy/workload.ts';
import { installSelector } from '../../../src/deploy/labels.ts';
import type { KubeObject } from '../../../src/ports.ts';

const web = {
  name: 'web',
  files: [
    { path: 'config.yaml', bytes: Buffer.from('runMode: per-pod\n') },
    { path: 'hooks/metric.sh', bytes: Buffer.from('echo 1\n') },
  ],
  target: { group: 'apps', resource: 'deployments', namespace: 'ops' },
  runMode: 'per-pod' as const,
};
const input: DeployInput = {
  name: 'cpa',
  namespace: 'ops',
  image: 'example.test/cpa:1',
  replicas: 2,
  version: '0.1.0',
  autoscalers: [web],
};

type Pod = {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      spec: {
        serviceAccountName: string;
        securityContext: Record<string, unknown>;
        containers: {
          image: string;
          command: string[];
          args: string[];
          livenessProbe: { httpGet: { path: string } };
          readinessProbe: { httpGet: { path: string } };
          resources: { requests: Record<string, string> };
          securityContext: Record<string, unknown>;
          ports: { name: string; containerPort: number }[];
        }[];
        volumes: {
          name: string;
          projected?: { sources: { configMap: { name: string; items: unknown[] } }[] };
        }[];
      };
    };
  };
};

const byKind = (objects: KubeObject[], kind: string) => objects.filter((o) => o.kind === kind);

describe('deployManifests', () => {
  const objects = deployManifests(input);

  it('creates, in apply order, ServiceAccount, Role, RoleBinding, ConfigMap, Deployment, PodDisruptionBudget', () => {
    assert.deepEqual(
      objects.map((o) => `${o.kind}/${o.metadata?.name}`),
      [
        'ServiceAccount/cpa',
        'Role/kubectl-cpa-cpa',
        'RoleBinding/kubectl-cpa-cpa',
        'ConfigMap/cpa-web',
        'Deployment/cpa',
        'PodDisruptionBudget/cpa',
      ],
    );
  });

  it('every object carries the labels undeploy selects by', () => {
    const selector = installSelector(input);
    for (const o of objects) {
      for (const pair of selector.split(',')) {
        const [k, v] = pair.split('=') as [string, string];
        assert.equal(o.metadata?.labels?.[k], v, `${o.kind} label ${k}`);
      }
    }
  });

  it('the Deployment runs run --all on the mounted autoscalers with leader election, probes, requests, locked down', () => {
    const d = byKind(objects, 'Deployment')[0] as unknown as Pod;
    const pod = d.spec.template.spec;
    const c = pod.containers[0];
    assert.ok(c);
    assert.equal(d.spec.replicas, 2);
    assert.equal(c.image, 'example.test/cpa:1');
    assert.deepEqual(
      [...c.command, ...c.args.slice(0, 4)],
      ['kubectl-cpa', 'run', '--all', MOUNT_DIR, '--leader-elect'],
    );
    assert.ok(c.args.includes('--leader-elect-resource-name=cpa'));
    assert.equal(c.livenessProbe.httpGet.path, '/healthz');
    assert.equal(c.readinessProbe.httpGet.path, '/readyz');
    assert.deepEqual(c.ports, [{ name: 'metrics', containerPort: 9090, protocol: 'TCP' }]);
    assert.ok(c.resources.requests.cpu && c.resources.requests.memory);
    assert.equal(c.securityContext.readOnlyRootFilesystem, true);
    assert.equal(c.securityContext.allowPrivilegeEscalation, false);
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.equal(pod.serviceAccountName, 'cpa');
    assert.deepEqual(d.spec.selector.matchLabels, {
      'app.kubernetes.io/name': 'kubectl-cpa',
      'app.kubernetes.io/instance': 'cpa',
    });
  });

  it('the projected volume lays each autoscaler out at MOUNT_DIR/NAME/PATH', () => {
    const d = byKind(objects, 'Deployment')[0] as unknown as Pod;
    const volume = d.spec.template.spec.volumes.find((v) => v.name === 'autoscalers');
    assert.deepEqual(volume?.projected?.sources, [
      {
        configMap: {
          name: 'cpa-web',
          items: [
            { key: 'config.yaml', path: 'web/config.yaml' },
            { key: 'hooks_metric.sh', path: 'web/hooks/metric.sh' },
          ],
        },
      },
    ]);
  });

  it('a changed hook changes the pod template (the pods roll), the same input does not', () => {
    const hashOf = (i: DeployInput) =>
      (byKind(deployManifests(i), 'Deployment')[0] as unknown as Pod).spec.template.metadata.annotations[
        'kubectl-cpa.io/config-hash'
      ];
    const changed = {
      ...input,
      autoscalers: [
        { ...web, files: [web.files[0]!, { path: 'hooks/metric.sh', bytes: Buffer.from('echo 2\n') }] },
      ],
    };
    assert.equal(hashOf(input), hashOf({ ...input }));
    assert.notEqual(hashOf(input), hashOf(changed));
  });

  it('the PodDisruptionBudget lets one pod go at a time, selecting the pods', () => {
    const pdb = byKind(objects, 'PodDisruptionBudget')[0] as { spec?: unknown };
    assert.deepEqual(pdb.spec, {
      maxUnavailable: 1,
      selector: {
        matchLabels: { 'app.kubernetes.io/name': 'kubectl-cpa', 'app.kubernetes.io/instance': 'cpa' },
      },
    });
  });

  it('is the same for the same input (deterministic)', () => {
    assert.deepEqual(deployManifests(input), objects);
  });

  it('reports every problem of the input at once', () => {
    assert.throws(
      () =>
        deployManifests({
          ...input,
          name: 'Bad_Name',
          replicas: 0,
          autoscalers: [web, web, { ...web, name: 'Web.Two' }],
        }),
      (err: Error) => {
        assert.match(err.message, /--name: "Bad_Name"/);
        assert.match(err.message, /--replicas: 0/);
        assert.match(err.message, /autoscaler "web" is given twice/);
        assert.match(err.message, /autoscaler "Web.Two": .*rename the directory/);
        return true;
      },
    );
  });
});

describe('containerCommand', () => {
  it('names the Lease after the installation, in its namespace', () => {
    const { args } = containerCommand({ name: 'team-a', namespace: 'ops' });
    assert.ok(args.includes('--leader-elect-resource-name=team-a'));
    assert.ok(args.includes('--leader-elect-resource-namespace=ops'));
  });
});
