// streamLogs against the loopback log API: pods found like `kubectl cpa logs` finds them, streams through
// the real adapter, and the pod recreated by the operator while following.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createKubeClient } from '../../../src/adapters/kube-connect.ts';
import { loadKubeconfig } from '../../../src/adapters/kubeconfig-loader.ts';
import { CpaError } from '../../../src/errors.ts';
import { streamLogs, type FollowOptions, type LogSink } from '../../../src/logs/follow.ts';
import { findPods, type LogSource } from '../../../src/logs/pods.ts';
import type { Clock, CpaKubeClient } from '../../../src/ports.ts';
import { LogApiStub } from '../../fixtures/logs/log-api-stub.ts';

const stub = new LogApiStub();
let client: CpaKubeClient;

const clock: Clock = {
  nowMs: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    }),
};

before(async () => {
  await stub.start();
  const loaded = await loadKubeconfig({ kubeconfig: stub.kubeconfig }, { env: {}, homeDir: undefined });
  client = createKubeClient(loaded.kc);
});
after(async () => {
  client.close();
  await stub.close();
});

/** A sink that records what it is given; lines without their kubelet stamp. */
class Recorder implements LogSink {
  readonly lines: string[] = [];
  readonly notes: string[] = [];
  readonly podSets: string[][] = [];
  pods(list: { name: string; container: string }[]): void {
    this.podSets.push(list.map((p) => `${p.name}/${p.container}`));
  }
  line(pod: string, raw: string): void {
    this.lines.push(`${pod}: ${raw.replace(/^\S+ /, '')}`);
  }
  idle(): void {}
  end(): void {}
  note(text: string): void {
    this.notes.push(text);
  }
}

/** Waits for `ok()`; the bound only catches hangs. */
async function until(ok: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(ok(), `timed out waiting for ${what}`);
}

function run(source: LogSource, options: Partial<FollowOptions>, sink: LogSink) {
  const abort = new AbortController();
  const opts: FollowOptions = {
    namespace: 'default',
    describe: `x "${source.name}"`,
    follow: false,
    pollMs: 40,
    signal: abort.signal,
    ...options,
  };
  const deps = { stream: client.stream!, findPods: () => findPods(client.request, 'default', source), clock };
  return { done: streamLogs(deps, opts, sink), abort };
}

const OWNED = (name: string) => ({ labels: { 'v1.custompodautoscaler.com/owned-by': name } });

test('without follow: every pod of a Deployment, one after the other, with its container', async () => {
  stub.addDeployment('runner', { app: 'runner' });
  stub.addPod('runner-a', { labels: { app: 'runner' } });
  stub.addPod('runner-b', { labels: { app: 'runner' }, containers: ['cpa', 'sidecar'] });
  stub.append('runner-a', 'a1\na2');
  stub.append('runner-b', 'b1');
  const sink = new Recorder();
  await run({ kind: 'deployment', name: 'runner' }, {}, sink).done;
  assert.deepEqual(sink.lines, ['runner-a: a1', 'runner-a: a2', 'runner-b: b1']);
  assert.deepEqual(sink.podSets, [['runner-a/autoscaler', 'runner-b/cpa']]);
});

test('without follow: a CustomPodAutoscaler without pod is an error with a hint', async () => {
  stub.addCpa('lonely');
  await assert.rejects(run({ kind: 'cpa', name: 'lonely' }, {}, new Recorder()).done, (err: unknown) => {
    assert.ok(err instanceof CpaError);
    assert.equal(err.message, 'x "lonely" in namespace "default" has no pod');
    assert.match(err.hint ?? '', /custom-pod-autoscaler-operator/);
    return true;
  });
});

test('nothing of that name is an error, with the hint given by the caller', async () => {
  const { done } = run(
    { kind: 'cpa', name: 'ghost' },
    { follow: true, notFoundHint: 'try deployment/ghost' },
    new Recorder(),
  );
  await assert.rejects(done, {
    message: 'x "ghost" not found in namespace "default"',
    hint: 'try deployment/ghost',
  });
});

test('follow: the pod recreated by the operator is followed from its first line, saying so', async () => {
  stub.addCpa('web');
  stub.addPod('web', OWNED('web'));
  stub.append('web', 'old pod line');
  const sink = new Recorder();
  const { done, abort } = run({ kind: 'cpa', name: 'web' }, { follow: true, tailLines: 5 }, sink);
  await until(() => sink.lines.length === 1, 'the first line');
  stub.append('web', 'still old');
  await until(() => sink.lines.length === 2, 'a followed line');
  stub.deletePod('web');
  await until(() => sink.notes.some((n) => n.startsWith('waiting for a pod')), 'the waiting note');
  stub.addPod('web', OWNED('web'));
  stub.append('web', 'new pod line 1\nnew pod line 2');
  await until(() => sink.lines.length === 4, 'the new pod’s lines');
  abort.abort();
  await done;
  assert.deepEqual(sink.lines, [
    'web: old pod line',
    'web: still old',
    'web: new pod line 1',
    'web: new pod line 2',
  ]);
  assert.deepEqual(sink.notes, [
    '- pod/web is gone',
    'waiting for a pod of x "web" (Ctrl-C to stop)',
    '+ pod/web: new pod, following it',
  ]);
  const logCalls = stub.requests.filter((r) => r.startsWith('/api/v1/namespaces/default/pods/web/log'));
  assert.match(logCalls[0]!, /follow=true.*tailLines=5/);
  // The new pod is read from its beginning: no tail, no since.
  assert.doesNotMatch(logCalls.at(-1)!, /tailLines|since/);
});

test('follow: a dropped stream of a living pod resumes at its last stamp without repeating lines', async () => {
  stub.addPod('drop', OWNED('drop'));
  stub.append('drop', 'a\nb\nc', { sharedStamp: true });
  const sink = new Recorder();
  const { done, abort } = run({ kind: 'cpa', name: 'drop' }, { follow: true }, sink);
  await until(() => sink.lines.length === 3, 'the first lines');
  stub.dropFollowers('drop');
  await until(
    () =>
      stub.followers() === 1 && stub.requests.some((r) => r.includes('/drop/log') && r.includes('sinceTime')),
    'the resumed stream',
  );
  stub.append('drop', 'd');
  await until(() => sink.lines.length === 4, 'the line after the resume');
  abort.abort();
  await done;
  assert.deepEqual(sink.lines, ['drop: a', 'drop: b', 'drop: c', 'drop: d']);
  assert.deepEqual(sink.notes, []);
});

test('follow: a container that cannot be read is reported once, not at every poll', async () => {
  stub.addPod('odd', OWNED('odd'));
  const sink = new Recorder();
  const { done, abort } = run({ kind: 'cpa', name: 'odd' }, { follow: true, container: 'nope' }, sink);
  await until(() => stub.requests.filter((r) => r.includes('/odd/log')).length >= 3, 'three attempts');
  abort.abort();
  await done;
  assert.deepEqual(sink.notes, [
    'pod/odd: failed to get pods/log "odd" in namespace "default": bad request: container nope is not valid for pod odd; waiting',
  ]);
});
