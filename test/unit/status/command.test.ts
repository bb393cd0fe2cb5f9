// `kubectl cpa status` through main() with fake Deps and a fake API server: outputs, exit codes, -v 6
// tracing, and --watch stopping on a signal.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kubeClientOver } from '../../../src/kube/client.ts';
import { main } from '../../../src/main.ts';
import type { Deps, KubeStreamer, StreamRequest } from '../../../src/ports.ts';
import { encodeState } from '../../../src/status/schema.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { FakeApi, recorded, T0, workload } from './fixtures.ts';

interface Run {
  code: number;
  out: string;
  err: string;
  api: FakeApi;
  streamed: StreamRequest[];
}

/** A CustomPodAutoscaler `scaler` on Deployment/web, and its pod (labelled by the operator). */
const CPA = {
  metadata: { name: 'scaler', namespace: 'team-a' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    config: [{ name: 'interval', value: '15000' }],
  },
};
const CPA_POD = {
  metadata: {
    name: 'scaler',
    namespace: 'team-a',
    labels: { 'v1.custompodautoscaler.com/owned-by': 'scaler' },
  },
  spec: { containers: [{ name: 'autoscaler' }] },
  status: { phase: 'Running' },
};
const GO_CPA_LOG = [
  '2025-03-01T10:00:05.000000000Z I0301 10:00:05.000000       1 scaling.go:111] Picked max evaluation over stabilization window of 0 seconds; replicas 4',
  '2025-03-01T10:00:05.000100000Z I0301 10:00:05.000100       1 scaling.go:134] Rescaling from 3 to 4 replicas',
  '',
].join('\n');

/** Runs `status ARGS` against a namespace `team-a` holding `web` (annotated) and `plain` (not). */
async function status(
  args: string[],
  options: { tty?: boolean; stopAfterFrames?: number; cpaLog?: string } = {},
): Promise<Run> {
  const api = new FakeApi((req) => {
    if (options.cpaLog !== undefined && req.path.endsWith('/custompodautoscalers'))
      return { body: { items: [CPA] } };
    if (options.cpaLog !== undefined && req.path.endsWith('/pods')) return { body: { items: [CPA_POD] } };
    if (req.path === '/apis/apps/v1/namespaces/team-a/deployments')
      return {
        body: {
          items: [
            workload('Deployment', 'web', { annotation: encodeState(recorded()) }),
            workload('Deployment', 'plain'),
          ],
        },
      };
    if (/\/(deployments|statefulsets|replicasets|replicationcontrollers)$/.test(req.path))
      return { body: { items: [] } };
    if (req.path.endsWith('/events')) return { body: { items: [] } };
    return undefined;
  });
  const streamed: StreamRequest[] = [];
  const stream: KubeStreamer = async (req) => {
    streamed.push(req);
    return (async function* () {
      yield Buffer.from(options.cpaLog ?? '');
    })();
  };
  let out = '';
  let err = '';
  let frames = 0;
  let stop: (() => void) | undefined;
  const deps = {
    clock: new FakeClock(T0 + 10_000),
    env: {},
    cwd: '/',
    out: {
      isTTY: options.tty ?? false,
      write: (text: string) => {
        out += text;
        if (++frames >= (options.stopAfterFrames ?? Infinity)) stop?.();
      },
    },
    err: { isTTY: false, write: (text: string) => void (err += text) },
    connectKube: async () => ({
      client: { ...kubeClientOver(api.request), stream },
      context: 'test',
      namespace: 'team-a',
      server: 'https://test',
    }),
    onShutdownSignal: (handler: (signal: string) => void) => {
      stop = () => handler('SIGINT');
      return () => (stop = undefined);
    },
    host: { hostname: 'h', pid: 1, node: 'v22' },
    version: '0.0.0-test',
  } as unknown as Deps;
  const code = await main(['status', ...args], deps);
  return { code, out, err, api, streamed };
}

describe('kubectl cpa status', () => {
  it('prints the table of the context namespace, plain when piped', async () => {
    const r = await status([]);
    assert.equal(r.code, 0);
    assert.match(r.out, /^NAME\s+REFERENCE\s+LAST EVALUATION\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE\n/);
    assert.match(r.out, /\nmy-autoscaler\s+Deployment\/web\s+3\s+1\s+5\s+3\s+\S+\n$/);
    assert.equal(r.err, '');
  });

  it('-o jsonpath over the list; status NAME -o jsonpath over the one item, as kubectl get KIND NAME', async () => {
    const list = await status(['-o', 'jsonpath={range .items[*]}{.name}{"\\t"}{.target.name}{"\\n"}{end}']);
    assert.equal(list.out, 'my-autoscaler\tweb\n');
    const one = await status(['my-autoscaler', '-o', 'jsonpath={.currentReplicas}']);
    assert.equal(one.out, '3');
  });

  it('-o custom-columns prints one row per autoscaler under the given headers', async () => {
    const r = await status(['-o', 'custom-columns=AUTOSCALER:.name,TARGET:.target.name,ERROR:.lastError']);
    assert.equal(r.out, 'AUTOSCALER      TARGET   ERROR\nmy-autoscaler   web      <nil>\n');
  });

  it('-o json prints the AutoscalerStatusList', async () => {
    const r = await status(['-o', 'json']);
    const doc = JSON.parse(r.out) as { kind: string; items: { name: string; state: string }[] };
    assert.equal(doc.kind, 'AutoscalerStatusList');
    assert.deepEqual(
      doc.items.map((i) => [i.name, i.state]),
      [['my-autoscaler', 'Active']],
    );
  });

  it('NAME shows the detail view with the target Events', async () => {
    const r = await status(['my-autoscaler']);
    assert.match(r.out, /^Name: +my-autoscaler$/m);
    assert.match(r.out, /^Events: {2}<none>$/m);
    assert.ok(r.api.calls.some((c) => c.path === '/api/v1/namespaces/team-a/events'));
  });

  it('an unknown NAME is an error with exit code 1', async () => {
    const r = await status(['nope']);
    assert.equal(r.code, 1);
    assert.match(r.err, /^error: no autoscaler named "nope" found in namespace "team-a"\nhint: /);
  });

  it('nothing found: says so on stderr, stdout stays empty', async () => {
    const r = await status(['-n', 'empty']);
    assert.equal(r.code, 0);
    assert.equal(r.out, '');
    assert.equal(r.err, 'No autoscalers found in empty namespace.\n');
  });

  it('-v 6 logs every API call: four workload lists and the CRD list', async () => {
    const r = await status(['-v', '6', '-o', 'name']);
    const calls = r.err.split('\n').filter((l) => l.startsWith('api: '));
    assert.equal(calls.length, 5);
    assert.ok(
      calls.some((l) =>
        /^api: GET \/apis\/custompodautoscaler\.com\/v1\/namespaces\/team-a\/custompodautoscalers\?limit=500 failed in \d+ms/.test(
          l,
        ),
      ),
    );
    assert.equal(r.out, 'deployment.apps/web\n');
  });

  it('a CustomPodAutoscaler: its pod log is streamed with timestamps and summarized (SOURCE logs)', async () => {
    const r = await status(['-o', 'json', '-v', '6'], { cpaLog: GO_CPA_LOG });
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(
      r.streamed.map((s) => [s.path, s.query]),
      [
        [
          '/api/v1/namespaces/team-a/pods/scaler/log',
          { timestamps: 'true', container: 'autoscaler', tailLines: '500' },
        ],
      ],
    );
    assert.match(
      r.err,
      /^api: GET \/api\/v1\/namespaces\/team-a\/pods\/scaler\/log \(stream\) 200 in \d+ms$/m,
    );
    const items = (JSON.parse(r.out) as { items: Record<string, unknown>[] }).items;
    const scaler = items.find((i) => i.source === 'logs');
    assert.deepEqual(
      [scaler?.name, scaler?.state, scaler?.currentReplicas, scaler?.desiredReplicas, scaler?.lastScaleTime],
      ['scaler', 'Active', 3, 4, '2025-03-01T10:00:05.000000000Z'],
    );
    assert.deepEqual(scaler?.lastDecision, {
      from: 3,
      to: 4,
      reason: 'Scaled',
      time: '2025-03-01T10:00:05.000000000Z',
    });
  });

  it('bad flags are a usage error (exit 2) before any API call', async () => {
    const r = await status(['-o', 'xml', '-A', '-n', 'x']);
    assert.equal(r.code, 2);
    assert.equal(r.api.calls.length, 0);
  });

  it('--watch on a terminal prints the table once and nothing more while nothing changes, until interrupted', async () => {
    const r = await status(['--watch'], { tty: true, stopAfterFrames: 3 });
    assert.equal(r.code, 0);
    assert.doesNotMatch(r.out, /\u001b/);
    assert.equal(r.out.match(/^NAME /gm)?.length, 1);
    assert.equal(r.out.match(/^my-autoscaler /gm)?.length, 1);
  });
});
