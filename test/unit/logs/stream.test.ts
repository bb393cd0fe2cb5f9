// The streaming adapter against a loopback HTTPS server that serves pods/{name}/log like the API server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createStreamer } from '../../../src/adapters/kube-stream.ts';
import { loadKubeconfig } from '../../../src/adapters/kubeconfig-loader.ts';
import { KubeError } from '../../../src/errors.ts';
import { readPodLog } from '../../../src/logs/read.ts';
import type { KubeStreamer } from '../../../src/ports.ts';
import { LogApiStub } from '../../fixtures/logs/log-api-stub.ts';

const stub = new LogApiStub();
let stream: KubeStreamer;

async function streamerFor(file: string): Promise<KubeStreamer> {
  const loaded = await loadKubeconfig({ kubeconfig: file }, { env: {}, homeDir: undefined });
  return createStreamer(loaded.kc);
}

before(async () => {
  await stub.start();
  stub.addPod('web', { containers: ['autoscaler', 'sidecar'] });
  stub.append('web', 'one\ntwo → deux\nthree');
  stream = await streamerFor(stub.kubeconfig);
});
after(() => stub.close());

const LOG = '/api/v1/namespaces/default/pods/web/log';

async function text(chunks: AsyncIterable<Buffer>): Promise<string> {
  let out = '';
  for await (const c of chunks) out += c.toString('utf8');
  return out;
}

test('streams the body of a log request with its query (tailLines, container)', async () => {
  const body = await text(await stream({ path: LOG, query: { tailLines: '2', container: 'sidecar' } }));
  assert.equal(body, 'two → deux\nthree\n');
  assert.equal(stub.requests.at(-1), `${LOG}?tailLines=2&container=sidecar`);
});

test('timestamps=true puts an RFC 3339 stamp in front of every line', async () => {
  const body = await text(await stream({ path: LOG, query: { timestamps: 'true' } }));
  const lines = body.trimEnd().split('\n');
  assert.equal(lines.length, 3);
  for (const line of lines)
    assert.match(line, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z (one|two|three)/);
});

const errorCases: {
  name: string;
  given: { path: string; query?: Record<string, string> };
  want: RegExp;
  status: number;
}[] = [
  {
    name: 'a missing pod: the 404 Status message, naming the namespace',
    given: { path: '/api/v1/namespaces/default/pods/nope/log' },
    want: /^pods "nope" not found in namespace "default"$/,
    status: 404,
  },
  {
    name: 'a container that is not in the pod: the 400 Status message',
    given: { path: LOG, query: { container: 'nope' } },
    want: /container nope is not valid for pod web/,
    status: 400,
  },
];

for (const { name, given, want, status } of errorCases) {
  test(`rejects with a KubeError for ${name}`, async () => {
    const call = {
      verb: 'get',
      group: '',
      resource: 'pods',
      subresource: 'log',
      namespace: 'default',
      name: given.path.split('/')[6],
    };
    await assert.rejects(stream({ ...given, call }), (err: unknown) => {
      assert.ok(err instanceof KubeError);
      assert.match(err.message, want);
      assert.equal(err.details.status, status);
      return true;
    });
  });
}

test('credentials come from the kubeconfig: a wrong token is a 401 with a hint', async () => {
  const file = `${stub.kubeconfig}-wrong`;
  writeFileSync(file, readFileSync(stub.kubeconfig, 'utf8').replace('log-stub-token', 'wrong'));
  const wrong = await streamerFor(file);
  await assert.rejects(wrong({ path: LOG }), (err: unknown) => {
    assert.ok(err instanceof KubeError);
    assert.equal(err.details.status, 401);
    assert.match(err.hint ?? '', /credentials/);
    return true;
  });
});

test('follow: lines appended later arrive on the open stream; abort ends the iteration quietly', async () => {
  const abort = new AbortController();
  const chunks = await stream({ path: LOG, query: { follow: 'true' }, signal: abort.signal });
  let got = '';
  for await (const c of chunks) {
    got += c.toString('utf8');
    if (got === 'one\ntwo → deux\nthree\n') stub.append('web', 'four');
    if (got.endsWith('four\n')) abort.abort();
  }
  assert.equal(got, 'one\ntwo → deux\nthree\nfour\n');
});

test('an unreachable server is a KubeError that names it', async () => {
  const file = `${stub.kubeconfig}-down`;
  writeFileSync(file, readFileSync(stub.kubeconfig, 'utf8').replace(/127\.0\.0\.1:\d+/, '127.0.0.1:1'));
  const down = await streamerFor(file);
  await assert.rejects(down({ path: LOG }), /cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:1/);
});

test('readPodLog: the whole log with kubelet stamps, ready for summarizeCpaLog', async () => {
  const text = await readPodLog(
    stream,
    { namespace: 'default', name: 'web', container: 'autoscaler' },
    { tailLines: 10 },
  );
  assert.match(text, /^\S+Z one\n\S+Z two → deux\n\S+Z three\n/);
  assert.match(stub.requests.at(-1)!, /\/web\/log\?timestamps=true&container=autoscaler&tailLines=10$/);
});
