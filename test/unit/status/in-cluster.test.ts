// Autoscalers run by `kubectl cpa deploy`'s pods: the claim on the target names the writing pod (downward API
// POD_NAME), and only the elected leader writes, so that pod is the leader. status shows SOURCE in-cluster.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ClaimHolder } from '../../../src/status/claim.ts';
import { fromAnnotated, type AutoscalerStatus } from '../../../src/status/model.ts';
import { renderDetail } from '../../../src/status/render-detail.ts';
import { renderJson } from '../../../src/status/render-data.ts';
import { renderTable } from '../../../src/status/render-table.ts';
import { item } from './fixtures.ts';

const AT = Date.parse('2026-01-01T00:00:05.000Z');

function annotated(holder: ClaimHolder | undefined) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      annotations: {
        'kubectl-cpa.io/status': JSON.stringify({
          schemaVersion: 1,
          name: 'web',
          runner: { host: holder?.host ?? 'laptop', pid: holder?.pid ?? 7, version: 'x' },
          config: { minReplicas: 1, maxReplicas: 5, intervalMs: 1000, runMode: 'per-resource' },
          cycle: { time: '2026-01-01T00:00:04.000Z', durationMs: 5, runType: 'scaler' },
          consecutiveFailures: 0,
          ...(holder === undefined
            ? {}
            : { claim: { holder, renewTime: '2026-01-01T00:00:04.000Z', leaseMs: 60_000 } }),
        }),
      },
    },
    spec: { replicas: 2 },
  };
}

describe('status: in-cluster autoscalers', () => {
  const rows: {
    name: string;
    holder: ClaimHolder | undefined;
    want: Pick<AutoscalerStatus, 'source' | 'leader'>;
  }[] = [
    {
      name: 'a claim written from a pod: in-cluster, that pod leads',
      holder: { name: 'web', host: 'cpa-5d8f9-aaaaa', pid: 1, pod: 'cpa-5d8f9-aaaaa' },
      want: { source: 'in-cluster', leader: 'cpa-5d8f9-aaaaa' },
    },
    {
      name: 'a claim written from a laptop: annotations, no leader',
      holder: { name: 'web', host: 'laptop', pid: 42 },
      want: { source: 'annotations', leader: undefined },
    },
    {
      name: 'no claim (an older runner): annotations, no leader',
      holder: undefined,
      want: { source: 'annotations', leader: undefined },
    },
  ];
  for (const row of rows)
    test(row.name, () => {
      const got = fromAnnotated(annotated(row.holder), AT);
      assert.deepEqual({ source: got?.source, leader: got?.leader }, row.want);
    });

  const inCluster = item({ source: 'in-cluster', leader: 'cpa-5d8f9-aaaaa', runner: null });
  const options = { wide: true, allNamespaces: false, tty: false, color: false, nowMs: AT };

  test('-o wide: SOURCE in-cluster and the LEADER pod; <none> for a laptop runner', () => {
    const [head, first, second] = renderTable([inCluster, item()], options).split('\n');
    assert.match(head ?? '', /\sSOURCE\s+HELD BY\s+LEADER$/);
    assert.match(first ?? '', /\sin-cluster\s+<none>\s+cpa-5d8f9-aaaaa$/);
    assert.match(second ?? '', /\sannotations\s+<none>\s+<none>$/);
  });

  test('the detail view names the leader pod', () => {
    const text = renderDetail(inCluster, { nowMs: AT, color: false, events: null });
    assert.match(text, /^Source:\s+in-cluster \(leader pod cpa-5d8f9-aaaaa; kubectl-cpa\.io\/status on /m);
    assert.match(text, /^Leader:\s+cpa-5d8f9-aaaaa$/m);
  });

  test('-o json carries source and leader', () => {
    const doc = JSON.parse(renderJson([inCluster])) as { items: AutoscalerStatus[] };
    assert.equal(doc.items[0]?.source, 'in-cluster');
    assert.equal(doc.items[0]?.leader, 'cpa-5d8f9-aaaaa');
  });
});
