// openSandbox, the start-up every command shares, on a real sandbox on 127.0.0.1: the manifests it loads,
// the kubeconfig it writes (and removes again when it wrote it to scratch space), and the warning for a
// request the sandbox failed to serve.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { openSandbox, type OpenSandboxDeps, type StartSandbox } from '../../../src/sandbox/start.ts';
import { startSandbox } from '../../../src/sandbox/server/server.ts';
import { sandboxDeps } from '../../support/sandbox-deps.ts';
import type { Obj } from '../../../src/sandbox/wire/json.ts';
import { deploymentManifest } from './support.ts';

const root = mkdtempSync(join(tmpdir(), 'sandbox-start-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Real sandbox deps (wall clock, HTTPS), captured stderr, and scratch space under `root` recording what it made. */
function testDeps(): { deps: OpenSandboxDeps; err: string[]; made: string[] } {
  const err: string[] = [];
  const made: string[] = [];
  const deps: OpenSandboxDeps = {
    ...sandboxDeps(),
    err: { write: (text) => void err.push(text), isTTY: false },
    scratch: {
      makeDir: async (prefix) => {
        const dir = await mkdtemp(join(root, prefix));
        made.push(dir);
        return dir;
      },
      writeText: async (file, text) => {
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, text, { mode: 0o600 });
      },
      writeAtomic: sandboxDeps().scratch.writeAtomic,
      remove: (path) => rm(path, { recursive: true, force: true }),
      listDir: async () => null,
    },
  };
  return { deps, err, made };
}

/** GET `path` trusting only the kubeconfig's CA and sending its token, as a client of the sandbox would. */
function get(kubeconfigPath: string, path: string): Promise<{ status: number; body: string }> {
  const config = parse(readFileSync(kubeconfigPath, 'utf8'));
  const cluster = config.clusters[0].cluster;
  const ca = Buffer.from(cluster['certificate-authority-data'], 'base64').toString();
  const headers = { authorization: `Bearer ${config.users[0].user.token}` };
  return new Promise((resolve, reject) => {
    request(new URL(path, cluster.server), { ca, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('openSandbox', () => {
  it('creates the manifests and writes a scratch kubeconfig that close() removes', async () => {
    const { deps, made } = testDeps();
    const sandbox = await openSandbox(deps, {
      startDelayMs: 10,
      manifests: [deploymentManifest('web', 2) as Obj],
    });
    try {
      assert.deepEqual(
        sandbox.loaded.map((o) => `${String(o.kind)}/${String((o.metadata as Obj).name)}`),
        ['Deployment/web'],
      );
      assert.equal(made.length, 1);
      assert.equal(dirname(sandbox.kubeconfigPath), made[0]);
      const reply = await get(sandbox.kubeconfigPath, '/apis/apps/v1/namespaces/default/deployments/web');
      assert.equal(reply.status, 200, reply.body);
      assert.equal(JSON.parse(reply.body).spec.replicas, 2);
    } finally {
      await Promise.all([sandbox.close(), sandbox.close()]);
    }
    assert.equal(existsSync(made[0]!), false, 'the scratch directory with the token is gone');
  });

  it('writes the kubeconfig to the path it is given and leaves it there', async () => {
    const { deps, made } = testDeps();
    const kubeconfigOut = join(root, 'given', 'sandbox.kubeconfig');
    const sandbox = await openSandbox(deps, { kubeconfigOut });
    try {
      assert.equal(sandbox.kubeconfigPath, kubeconfigOut);
      assert.deepEqual(sandbox.loaded, []);
      assert.equal((await get(kubeconfigOut, '/api/v1/namespaces/default')).status, 200);
    } finally {
      await sandbox.close();
    }
    assert.deepEqual(made, [], 'no scratch space used');
    assert.equal(existsSync(kubeconfigOut), true);
  });

  it('closes the sandbox and removes the kubeconfig when a manifest cannot be created', async () => {
    const { deps, made } = testDeps();
    let closed = 0;
    const start: StartSandbox = async (sandbox, options) => {
      const handle = await startSandbox(sandbox, options);
      return { ...handle, close: () => (closed++, handle.close()) };
    };
    await assert.rejects(
      openSandbox(deps, {
        start,
        manifests: [{ apiVersion: 'v1', kind: 'Gadget', metadata: { name: 'x' } }],
      }),
      /no kind "Gadget" is registered for version "v1"/,
    );
    assert.equal(closed, 1);
    assert.equal(made.length, 1);
    assert.equal(existsSync(made[0]!), false);
  });

  it('logs a request the sandbox failed to serve as a warning on stderr, and goes on serving', async () => {
    const { deps, err } = testDeps();
    const sandbox = await openSandbox(deps);
    try {
      const handle = sandbox.core.api.handle;
      // A handler bug: the server answers that request with a 500 and tells onError.
      sandbox.core.api.handle = async () => {
        throw new Error('boom');
      };
      assert.equal((await get(sandbox.kubeconfigPath, '/api/v1/namespaces')).status, 500);
      assert.deepEqual(err, ['warning: sandbox: failed to serve a request: boom\n']);
      sandbox.core.api.handle = handle;
      assert.equal((await get(sandbox.kubeconfigPath, '/api/v1/namespaces')).status, 200);
    } finally {
      await sandbox.close();
    }
  });
});
