// Replica counts the sandbox must refuse exactly as kube-apiserver v1.37.2 does (answers recorded from the
// e2e harness's real server; test/e2e/sandbox-contract.test.ts compares the two live). Before the fix the
// sandbox took any number: a scale to 10^12 was stored and its controller set out to create 10^12 pods,
// so /healthz stopped answering. The wording follows the step of kube-apiserver that refuses the value:
// - a create or update body is decoded into the Go type: an int32 field that is no int32 is a 400;
// - a JSON or merge patch is applied, then decoded: a 422 on the field `patch`;
// - a strategic merge patch converts through int64 and wraps into int32 (1e12 → -727379968), then
//   validation refuses the negative count like any other: a 422 on `spec.replicas`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { deploymentManifest, fixture, type Fixture } from '../unit/sandbox/support.ts';

const NS = '/apis/apps/v1/namespaces/default';
const JSON_PATCH = 'application/json-patch+json';
const MERGE = 'application/merge-patch+json';
const SMP = 'application/strategic-merge-patch+json';

const kindOf = (kind: string, name: string, replicas: unknown) => ({
  ...deploymentManifest(name, 0),
  kind,
  spec: { ...(deploymentManifest(name, 0).spec as object), replicas },
});
const decodeError = (kind: string, struct: string, what: string) =>
  `${kind} in version "v1" cannot be handled as a ${kind}: json: cannot unmarshal ${what} into Go struct field ${struct}.spec.replicas of type int32`;
const negative = (qualified: string, name: string, n: number) =>
  `${qualified} "${name}" is invalid: spec.replicas: Invalid value: ${n}: must be greater than or equal to 0`;
/** The message of a patch whose result does not decode: the whole patched object is quoted, then the cause. */
const patchDecode = (struct: string, what: string) =>
  new RegExp(
    `^ "" is invalid: patch: Invalid value: ".*": json: cannot unmarshal ${what} into Go struct field ${struct}\\.spec\\.replicas of type int32$`,
  );

interface Row {
  name: string;
  given: { method: string; path: string; body: unknown; contentType?: string };
  want: { status: number; message: string | RegExp; replicas?: number };
}

const rows: Row[] = [
  {
    name: 'create a Deployment with 10^12 replicas',
    given: { method: 'POST', path: `${NS}/deployments`, body: kindOf('Deployment', 'big', 1e12) },
    want: { status: 400, message: decodeError('Deployment', 'DeploymentSpec', 'number 1000000000000') },
  },
  {
    name: 'create a Deployment with 1.5 replicas',
    given: { method: 'POST', path: `${NS}/deployments`, body: kindOf('Deployment', 'frac', 1.5) },
    want: { status: 400, message: decodeError('Deployment', 'DeploymentSpec', 'number 1.5') },
  },
  {
    name: 'create a Deployment with "2" replicas',
    given: { method: 'POST', path: `${NS}/deployments`, body: kindOf('Deployment', 'str', '2') },
    want: { status: 400, message: decodeError('Deployment', 'DeploymentSpec', 'string') },
  },
  {
    name: 'create a Deployment with -2147483649 replicas (below int32)',
    given: { method: 'POST', path: `${NS}/deployments`, body: kindOf('Deployment', 'low', -2147483649) },
    want: { status: 400, message: decodeError('Deployment', 'DeploymentSpec', 'number -2147483649') },
  },
  {
    name: 'create a Deployment with -3 replicas',
    given: { method: 'POST', path: `${NS}/deployments`, body: kindOf('Deployment', 'neg', -3) },
    want: { status: 422, message: negative('Deployment.apps', 'neg', -3) },
  },
  {
    name: 'create a StatefulSet with 10^12 replicas',
    given: { method: 'POST', path: `${NS}/statefulsets`, body: kindOf('StatefulSet', 'st', 1e12) },
    want: { status: 400, message: decodeError('StatefulSet', 'StatefulSetSpec', 'number 1000000000000') },
  },
  {
    name: 'create a ReplicaSet with 2147483648 replicas',
    given: { method: 'POST', path: `${NS}/replicasets`, body: kindOf('ReplicaSet', 'rs', 2147483648) },
    want: { status: 400, message: decodeError('ReplicaSet', 'ReplicaSetSpec', 'number 2147483648') },
  },
  {
    name: 'create a ReplicaSet with -1 replicas',
    given: { method: 'POST', path: `${NS}/replicasets`, body: kindOf('ReplicaSet', 'rs', -1) },
    want: { status: 422, message: negative('ReplicaSet.apps', 'rs', -1) },
  },
  {
    name: 'update a Deployment to 10^12 replicas',
    given: { method: 'PUT', path: `${NS}/deployments/web`, body: kindOf('Deployment', 'web', 1e12) },
    want: { status: 400, message: decodeError('Deployment', 'DeploymentSpec', 'number 1000000000000') },
  },
  {
    name: 'update the scale to 10^12',
    given: {
      method: 'PUT',
      path: `${NS}/deployments/web/scale`,
      body: {
        apiVersion: 'autoscaling/v1',
        kind: 'Scale',
        metadata: { name: 'web' },
        spec: { replicas: 1e12 },
      },
    },
    want: { status: 400, message: decodeError('Scale', 'ScaleSpec', 'number 1000000000000') },
  },
  {
    name: 'update the scale to -1',
    given: {
      method: 'PUT',
      path: `${NS}/deployments/web/scale`,
      body: {
        apiVersion: 'autoscaling/v1',
        kind: 'Scale',
        metadata: { name: 'web' },
        spec: { replicas: -1 },
      },
    },
    want: { status: 422, message: negative('Scale.autoscaling', 'web', -1) },
  },
  {
    name: 'JSON-patch the scale to 10^12',
    given: {
      method: 'PATCH',
      path: `${NS}/deployments/web/scale`,
      body: [{ op: 'replace', path: '/spec/replicas', value: 1e12 }],
      contentType: JSON_PATCH,
    },
    want: { status: 422, message: patchDecode('ScaleSpec', 'number 1000000000000') },
  },
  {
    name: 'merge-patch the scale to 2147483648',
    given: {
      method: 'PATCH',
      path: `${NS}/deployments/web/scale`,
      body: { spec: { replicas: 2147483648 } },
      contentType: MERGE,
    },
    want: { status: 422, message: patchDecode('ScaleSpec', 'number 2147483648') },
  },
  {
    name: 'merge-patch the scale to 1.5',
    given: {
      method: 'PATCH',
      path: `${NS}/deployments/web/scale`,
      body: { spec: { replicas: 1.5 } },
      contentType: MERGE,
    },
    want: { status: 422, message: patchDecode('ScaleSpec', 'number 1.5') },
  },
  {
    name: 'merge-patch the scale to true',
    given: {
      method: 'PATCH',
      path: `${NS}/deployments/web/scale`,
      body: { spec: { replicas: true } },
      contentType: MERGE,
    },
    want: { status: 422, message: patchDecode('ScaleSpec', 'bool') },
  },
  {
    name: 'merge-patch the scale to -1',
    given: {
      method: 'PATCH',
      path: `${NS}/deployments/web/scale`,
      body: { spec: { replicas: -1 } },
      contentType: MERGE,
    },
    want: { status: 422, message: negative('Scale.autoscaling', 'web', -1) },
  },
  {
    name: 'strategic-merge-patch the scale to 10^12 (wraps to a negative int32)',
    given: {
      method: 'PATCH',
      path: `${NS}/deployments/web/scale`,
      body: { spec: { replicas: 1e12 } },
      contentType: SMP,
    },
    want: { status: 422, message: negative('Scale.autoscaling', 'web', -727379968) },
  },
  {
    name: 'merge-patch a Deployment to 10^12',
    given: {
      method: 'PATCH',
      path: `${NS}/deployments/web`,
      body: { spec: { replicas: 1e12 } },
      contentType: MERGE,
    },
    want: { status: 422, message: patchDecode('DeploymentSpec', 'number 1000000000000') },
  },
  {
    name: 'JSON-patch a Deployment to 10^12',
    given: {
      method: 'PATCH',
      path: `${NS}/deployments/web`,
      body: [{ op: 'replace', path: '/spec/replicas', value: 1e12 }],
      contentType: JSON_PATCH,
    },
    want: { status: 422, message: patchDecode('DeploymentSpec', 'number 1000000000000') },
  },
  {
    name: 'strategic-merge-patch a Deployment to 10^12',
    given: {
      method: 'PATCH',
      path: `${NS}/deployments/web`,
      body: { spec: { replicas: 1e12 } },
      contentType: SMP,
    },
    want: { status: 422, message: negative('Deployment.apps', 'web', -727379968) },
  },
  {
    name: 'strategic-merge-patch a Deployment to 1.5',
    given: {
      method: 'PATCH',
      path: `${NS}/deployments/web`,
      body: { spec: { replicas: 1.5 } },
      contentType: SMP,
    },
    want: {
      status: 422,
      message:
        ' "" is invalid: patch: Invalid value: "map[spec:map[replicas:1.5]]": cannot convert float64 to int32',
    },
  },
  {
    name: 'strategic-merge-patch a Deployment to "3"',
    given: {
      method: 'PATCH',
      path: `${NS}/deployments/web`,
      body: { spec: { replicas: '3' } },
      contentType: SMP,
    },
    want: {
      status: 422,
      message: ' "" is invalid: patch: Invalid value: "map[spec:map[replicas:3]]": unrecognized type: int32',
    },
  },
  {
    name: 'strategic-merge-patch a Deployment to 2^32 + 5 (wraps to 5, accepted)',
    given: {
      method: 'PATCH',
      path: `${NS}/deployments/web?dryRun=All`,
      body: { spec: { replicas: 4294967296 + 5 } },
      contentType: SMP,
    },
    want: { status: 200, message: '', replicas: 5 },
  },
  {
    name: 'merge-patch a Deployment to 2147483647 (the largest int32, accepted)',
    given: {
      method: 'PATCH',
      path: `${NS}/deployments/web?dryRun=All`,
      body: { spec: { replicas: 2147483647 } },
      contentType: MERGE,
    },
    want: { status: 200, message: '', replicas: 2147483647 },
  },
];

describe('replica counts the sandbox refuses like kube-apiserver', () => {
  let f: Fixture;
  before(async () => {
    f = fixture();
    const created = await f.request('POST', `${NS}/deployments`, { body: deploymentManifest('web', 1) });
    assert.equal(created.status, 201, created.text);
  });

  for (const row of rows) {
    it(`${row.name} → ${row.want.status}`, async () => {
      const { method, path, body, contentType } = row.given;
      const answer = await f.request(method, path, { body, contentType });
      assert.equal(answer.status, row.want.status, answer.text);
      if (row.want.replicas !== undefined) {
        assert.equal(answer.body.spec.replicas, row.want.replicas);
        return;
      }
      assert.equal(answer.body.kind, 'Status');
      if (typeof row.want.message === 'string') assert.equal(answer.body.message, row.want.message);
      else assert.match(answer.body.message, row.want.message);
      const stored = await f.request('GET', `${NS}/deployments/web`);
      assert.equal(stored.body.spec.replicas, 1, 'nothing was stored');
    });
  }

  it('names the field `patch` and quotes the patched object when a patched object does not decode', async () => {
    const answer = await f.request('PATCH', `${NS}/deployments/web/scale`, {
      body: { spec: { replicas: 1e12 } },
      contentType: MERGE,
    });
    const causes = answer.body.details.causes;
    assert.deepEqual(Object.keys(answer.body.details), ['causes']);
    assert.equal(causes.length, 1);
    assert.equal(causes[0].field, 'patch');
    assert.equal(causes[0].reason, 'FieldValueInvalid');
    const quoted = /^Invalid value: (".*"): json: /.exec(causes[0].message)?.[1];
    assert.ok(quoted !== undefined, causes[0].message);
    const patched = JSON.parse(JSON.parse(quoted));
    assert.equal(patched.kind, 'Scale');
    assert.equal(patched.spec.replicas, 1e12);
  });
});

/** Starts a sandbox in a child process (a wedged event loop there must not wedge the test). */
function childSandbox(): Promise<{ url: string; ca: string; token: string; stop(): void }> {
  const server = new URL('../../src/sandbox/server/server.ts', import.meta.url).href;
  const deps = new URL('../support/sandbox-deps.ts', import.meta.url).href;
  const code = `
    const { startSandbox } = await import(${JSON.stringify(server)});
    const { sandboxDeps } = await import(${JSON.stringify(deps)});
    const sb = await startSandbox(sandboxDeps(), { startDelayMs: 50 });
    process.stdout.write(JSON.stringify({ url: sb.url, ca: sb.caPem, token: sb.token }) + '\\n');
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!out.includes('\n')) return;
      const info = JSON.parse(out) as { url: string; ca: string; token: string };
      resolve({ ...info, stop: () => child.kill('SIGKILL') });
    });
    child.on('exit', (code) => reject(new Error(`the sandbox child exited with ${code}`)));
  });
}

function send(
  sb: { url: string; ca: string; token: string },
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${sb.token}` };
    if (body !== undefined) headers['content-type'] = contentType;
    const req = httpsRequest(new URL(path, sb.url), { method, ca: sb.ca, headers, timeout: 3_000 }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 3 s`)));
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('a scale to 10^12 leaves the sandbox healthy', { timeout: 20_000 }, () => {
  let sb: Awaited<ReturnType<typeof childSandbox>>;
  before(async () => {
    sb = await childSandbox();
  });
  after(() => sb?.stop());

  it('refuses the scale with 422 and /healthz answers within 3 s', async () => {
    const created = await send(sb, 'POST', `${NS}/deployments`, deploymentManifest('web', 1));
    assert.equal(created.status, 201, created.text);
    const scaled = await send(
      sb,
      'PATCH',
      `${NS}/deployments/web/scale`,
      { spec: { replicas: 1e12 } },
      'application/merge-patch+json',
    );
    // Health first: before the fix the scale was accepted and the controller then wedged the process.
    assert.deepEqual(await send(sb, 'GET', '/healthz'), { status: 200, text: 'ok' });
    assert.equal(scaled.status, 422, scaled.text);
  });

  it('accepts the largest int32 (as kube-apiserver does) and keeps answering while pods are created', async () => {
    const created = await send(sb, 'POST', `${NS}/deployments`, deploymentManifest('max', 1));
    assert.equal(created.status, 201, created.text);
    const scaled = await send(
      sb,
      'PATCH',
      `${NS}/deployments/max/scale`,
      { spec: { replicas: 2147483647 } },
      'application/merge-patch+json',
    );
    assert.equal(scaled.status, 200, scaled.text);
    // Like kube-controller-manager, the sandbox creates pods in bursts and serves requests in between.
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(await send(sb, 'GET', '/healthz'), { status: 200, text: 'ok' });
    }
    const down = await send(
      sb,
      'PATCH',
      `${NS}/deployments/max/scale`,
      { spec: { replicas: 0 } },
      'application/merge-patch+json',
    );
    assert.equal(down.status, 200, down.text);
  });
});
