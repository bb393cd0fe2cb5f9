// The HTTPS shell on real loopback sockets: TLS trusted through the CA only, bearer token, streaming,
// state file round trip, clean close.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { request } from 'node:https';
import { parse } from 'yaml';
import { CpaError } from '../../../../src/errors.ts';
import { startSandbox, type SandboxHandle } from '../../../../src/sandbox/server/server.ts';
import { sandboxDeps } from '../../../support/sandbox-deps.ts';

const deps = sandboxDeps();
const dir = mkdtempSync(join(tmpdir(), 'sandbox-server-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function get(sb: SandboxHandle, path: string, token = sb.token): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(new URL(path, sb.url), { ca: sb.caPem, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('startSandbox (HTTPS on loopback)', () => {
  it('serves the API over TLS with its own CA and writes a kubeconfig that points at it', async () => {
    const kubeconfigOut = join(dir, 'nested', 'kubeconfig');
    const sb = await startSandbox(deps, { kubeconfigOut });
    try {
      assert.match(sb.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const ns = await get(sb, '/api/v1/namespaces');
      assert.deepEqual(
        JSON.parse(ns.body).items.map((n: { metadata: { name: string } }) => n.metadata.name),
        ['default', 'kube-node-lease', 'kube-public', 'kube-system'],
      );
      assert.equal((await get(sb, '/api/v1/namespaces', 'wrong')).status, 401);
      const config = parse(readFileSync(kubeconfigOut, 'utf8'));
      assert.equal(config.clusters[0].cluster.server, sb.url);
      assert.equal(
        Buffer.from(config.clusters[0].cluster['certificate-authority-data'], 'base64').toString(),
        sb.caPem,
      );
      assert.equal(config.users[0].user.token, sb.token);
      assert.equal(statSync(kubeconfigOut).mode & 0o777, 0o600, 'the token is a secret');
    } finally {
      await sb.close();
    }
  });

  it('ends open watches when closed, and resolves close once', async () => {
    const sb = await startSandbox(deps);
    const ended = new Promise<number>((resolve, reject) => {
      request(
        new URL('/api/v1/namespaces/default/pods?watch=true', sb.url),
        { ca: sb.caPem, headers: { authorization: `Bearer ${sb.token}` } },
        (res) => {
          res.resume();
          res.on('close', () => resolve(res.statusCode ?? 0));
        },
      )
        .on('error', reject)
        .end();
    });
    await new Promise((r) => setTimeout(r, 100));
    await Promise.all([sb.close(), sb.close()]);
    assert.equal(await ended, 200);
  });

  it('keeps objects in the state file across a restart', async () => {
    const stateFile = join(dir, 'state.json');
    const first = await startSandbox(deps, { stateFile });
    const body = JSON.stringify({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'kept' },
      spec: {},
    });
    await new Promise<void>((resolve, reject) => {
      request(
        new URL('/apis/coordination.k8s.io/v1/namespaces/default/leases', first.url),
        {
          method: 'POST',
          ca: first.caPem,
          headers: { authorization: `Bearer ${first.token}`, 'content-type': 'application/json' },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 201 ? resolve() : reject(new Error(String(res.statusCode))),
          );
        },
      ).end(body);
    });
    await first.close();
    const second = await startSandbox(deps, { stateFile });
    try {
      assert.equal(
        (await get(second, '/apis/coordination.k8s.io/v1/namespaces/default/leases/kept')).status,
        200,
      );
    } finally {
      await second.close();
    }
  });

  it('refuses a state file that is not one, saying how to recover', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"hello": 1}');
    await assert.rejects(
      startSandbox(deps, { stateFile: bad }),
      (err: unknown) =>
        err instanceof CpaError &&
        /not a sandbox state file/.test(err.message) &&
        err.hint === 'delete the file to start with a fresh sandbox',
    );
  });

  it('reports a taken port with a hint', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const { port } = blocker.address() as { port: number };
    try {
      await assert.rejects(
        startSandbox(deps, { port }),
        (err: unknown) => err instanceof CpaError && /address already in use/.test(err.message),
      );
    } finally {
      blocker.close();
    }
  });
});
