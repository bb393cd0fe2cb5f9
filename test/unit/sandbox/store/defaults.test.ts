import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyDefaults, imagePullPolicyFor, qosClass } from '../../../../src/sandbox/store/defaults.ts';
import { validateObject, validateUpdate } from '../../../../src/sandbox/store/validate.ts';
import { deploymentManifest, type Json } from '../support.ts';

describe('defaulting', () => {
  const pullCases: { given: string; want: string }[] = [
    { given: 'nginx', want: 'Always' },
    { given: 'nginx:latest', want: 'Always' },
    { given: 'nginx:1.27', want: 'IfNotPresent' },
    { given: 'localhost:5000/app', want: 'Always' },
    { given: 'localhost:5000/app:2', want: 'IfNotPresent' },
    { given: 'app@sha256:abc', want: 'IfNotPresent' },
  ];
  for (const c of pullCases)
    it(`imagePullPolicy of ${c.given} is ${c.want}`, () => assert.equal(imagePullPolicyFor(c.given), c.want));

  it('fills a Deployment like kube-apiserver v1.37 (strategy, limits, pod template)', () => {
    const d = deploymentManifest('web', 2, 'web:1') as { spec: Record<string, unknown> };
    (d.spec.template as { spec: { containers: object[] } }).spec.containers = [
      { name: 'c', image: 'web:1', ports: [{ containerPort: 80 }] },
    ];
    applyDefaults('Deployment', d);
    assert.deepEqual(d.spec.strategy, {
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
    });
    assert.equal(d.spec.revisionHistoryLimit, 10);
    assert.equal(d.spec.progressDeadlineSeconds, 600);
    assert.deepEqual((d.spec.template as { spec: object }).spec, {
      containers: [
        {
          name: 'c',
          image: 'web:1',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          resources: {},
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      securityContext: {},
      schedulerName: 'default-scheduler',
    });
  });

  it('takes a ReplicationController selector and labels from its template', () => {
    const rc = {
      metadata: { name: 'rc' },
      spec: { template: { metadata: { labels: { app: 'x' } }, spec: { containers: [] } } },
    } as Record<string, Json>;
    applyDefaults('ReplicationController', rc);
    assert.deepEqual(
      [rc.spec.selector, rc.metadata.labels, rc.spec.replicas],
      [{ app: 'x' }, { app: 'x' }, 1],
    );
  });

  const qosCases: { name: string; given: object; want: string }[] = [
    { name: 'no resources', given: { containers: [{}] }, want: 'BestEffort' },
    {
      name: 'requests only',
      given: { containers: [{ resources: { requests: { cpu: '1' } } }] },
      want: 'Burstable',
    },
    {
      name: 'equal limits',
      given: { containers: [{ resources: { limits: { cpu: '1', memory: '1Gi' } } }] },
      want: 'Guaranteed',
    },
  ];
  for (const c of qosCases)
    it(`QoS class with ${c.name} is ${c.want}`, () =>
      assert.equal(qosClass(c.given as Record<string, unknown>), c.want));
});

describe('validation', () => {
  it('accepts a valid Deployment', () =>
    assert.deepEqual(validateObject('Deployment', deploymentManifest('web', 1)), []));

  it('reports every problem with its field path', () => {
    const bad = deploymentManifest('Bad_Name', -1) as Record<string, Json>;
    bad.spec.template.metadata.labels = { app: 'other' };
    bad.spec.template.spec.containers = [{ name: 'c' }];
    assert.deepEqual(
      validateObject('Deployment', bad).map((c) => c.field),
      [
        'metadata.name',
        'spec.replicas',
        'spec.template.metadata.labels',
        'spec.template.spec.containers[0].image',
      ],
    );
  });

  it('refuses a changed Deployment selector as immutable, whatever the key order', () => {
    const old = deploymentManifest('web', 1) as Record<string, Json>;
    const same = JSON.parse(JSON.stringify(old));
    same.spec.selector = { matchLabels: { app: 'web' } };
    assert.deepEqual(validateUpdate('Deployment', same, old), []);
    const moved = JSON.parse(JSON.stringify(old));
    moved.spec.selector.matchLabels.extra = 'x';
    moved.spec.template.metadata.labels.extra = 'x';
    assert.deepEqual(
      validateUpdate('Deployment', moved, old).map((c) => c.message.endsWith('field is immutable')),
      [true],
    );
  });

  it('requires containers with images on a Pod, and a DNS label as a Namespace name', () => {
    assert.deepEqual(
      validateObject('Pod', { metadata: { name: 'p' }, spec: {} }).map((c) => c.field),
      ['spec.containers'],
    );
    assert.deepEqual(
      validateObject('Namespace', { metadata: { name: 'a.b' } }).map((c) => c.field),
      ['metadata.name'],
    );
  });
});
