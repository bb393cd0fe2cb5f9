// The transport against real loopback servers: plain HTTP (insecure-skip-tls-verify) and HTTPS with a
// throw-away CA made by openssl.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTransport, type KubeTransport } from '../../../src/adapters/kube-request.ts';
import { loadKubeconfig } from '../../../src/adapters/kubeconfig-loader.ts';
import { KubeError } from '../../../src/errors.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'cpa-request-'));

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Answers like the API server: JSON for known paths, a Status for the rest; records every request. */
function handler(seen: Seen[]) {
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.setHeader('Content-Type', 'application/json');
      if (req.url?.startsWith('/prefix/api/v1/namespaces/ns/pods')) {
        res.end(JSON.stringify({ kind: 'PodList', items: [] }));
      } else if (req.url === '/prefix/hang') {
        return; // never answers
      } else {
        res.statusCode = 404;
        res.end(
          JSON.stringify({
            kind: 'Status',
            message: 'deployments.apps "web" not found',
            reason: 'NotFound',
            code: 404,
            details: { name: 'web' },
          }),
        );
      }
    });
  };
}

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function transportFor(
  name: string,
  cluster: string,
  user = '{token: secret-token}',
  timeoutMs?: number,
): Promise<KubeTransport> {
  const file = path.join(dir, `${name}.yaml`);
  await writeFile(
    file,
    `apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters: [{name: k, cluster: ${cluster}}]\n` +
      `users: [{name: u, user: ${user}}]\ncontexts: [{name: c, context: {cluster: k, user: u}}]\n`,
  );
  const loaded = await loadKubeconfig({ kubeconfig: file }, { env: {}, homeDir: undefined });
  return createTransport(loaded.kc, { timeoutMs });
}

describe('createTransport over plain HTTP', () => {
  const seen: Seen[] = [];
  const server = http.createServer(handler(seen));
  let port = 0;
  let transport: KubeTransport;
  const connections: number[] = [];

  before(async () => {
    server.on('connection', () => connections.push(1));
    port = await listen(server);
    transport = await transportFor(
      'plain',
      `{server: 'http://127.0.0.1:${port}/prefix', insecure-skip-tls-verify: true}`,
      undefined,
      500,
    );
  });
  after(() => {
    transport.close();
    server.closeAllConnections();
    server.close();
  });

  it('sends the bearer token, query and JSON body under the server path prefix', async () => {
    const res = await transport.request({
      method: 'PATCH',
      path: '/api/v1/namespaces/ns/pods',
      query: { labelSelector: 'app=web,tier in (a,b)' },
      body: [{ op: 'replace', path: '/spec/replicas', value: 3 }],
      contentType: 'application/json-patch+json',
    });
    assert.deepEqual(res, { status: 200, body: { kind: 'PodList', items: [] } });
    const last = seen.at(-1)!;
    assert.equal(last.method, 'PATCH');
    assert.equal(last.url, '/prefix/api/v1/namespaces/ns/pods?labelSelector=app%3Dweb%2Ctier+in+%28a%2Cb%29');
    assert.equal(last.headers.authorization, 'Bearer secret-token');
    assert.equal(last.headers['content-type'], 'application/json-patch+json');
    assert.equal(last.body, '[{"op":"replace","path":"/spec/replicas","value":3}]');
  });

  it('keeps the connection alive between requests', async () => {
    const before = connections.length;
    await transport.request({ method: 'GET', path: '/api/v1/namespaces/ns/pods' });
    await transport.request({ method: 'GET', path: '/api/v1/namespaces/ns/pods' });
    assert.ok(connections.length - before <= 1, `opened ${connections.length - before} connections`);
  });

  it('turns a Status answer into a KubeError for the call', async () => {
    const call = { verb: 'get', group: 'apps', resource: 'deployments', namespace: 'ns', name: 'web' };
    await assert.rejects(
      transport.request({ method: 'GET', path: '/apis/apps/v1/namespaces/ns/deployments/web', call }),
      (err: unknown) => {
        assert.ok(err instanceof KubeError);
        assert.equal(err.message, 'deployments.apps "web" not found in namespace "ns"');
        assert.equal(err.details.status, 404);
        return true;
      },
    );
  });

  it('gives up on a server that never answers (hang guard)', async () => {
    await assert.rejects(
      transport.request({ method: 'GET', path: '/hang' }),
      /cannot reach the Kubernetes API at http:\/\/127\.0\.0\.1:\d+\/prefix: no response within 0\.5s/,
    );
  });

  it('names the server when the connection is refused', async () => {
    const closed = http.createServer();
    const deadPort = await listen(closed);
    closed.close();
    const dead = await transportFor(
      'dead',
      `{server: 'http://127.0.0.1:${deadPort}', insecure-skip-tls-verify: true}`,
    );
    await assert.rejects(dead.request({ method: 'GET', path: '/api' }), (err: unknown) => {
      assert.ok(err instanceof KubeError);
      assert.match(
        err.message,
        new RegExp(`^cannot reach the Kubernetes API at http://127.0.0.1:${deadPort}: connect ECONNREFUSED`),
      );
      assert.equal(err.details.reason, 'ECONNREFUSED');
      return true;
    });
    dead.close();
  });
});

describe('createTransport credentials', () => {
  it('a failing exec credential plugin is a KubeError naming the server', async () => {
    const user = '{exec: {apiVersion: client.authentication.k8s.io/v1, command: /nonexistent/cpa-plugin}}';
    const t = await transportFor('exec', `{server: 'https://127.0.0.1:1'}`, user);
    await assert.rejects(t.request({ method: 'GET', path: '/api' }), (err: unknown) => {
      assert.ok(err instanceof KubeError);
      assert.match(
        err.message,
        /^failed to prepare credentials for https:\/\/127\.0\.0\.1:1: .*nonexistent\/cpa-plugin/,
      );
      return true;
    });
    t.close();
  });
});

describe('createTransport over HTTPS', () => {
  const seen: Seen[] = [];
  let server: https.Server;
  let port = 0;
  let ca = '';

  before(async () => {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    ca = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    server = https.createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert: ca }, handler(seen));
    port = await listen(server);
  });
  after(async () => {
    server.closeAllConnections();
    server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('verifies the server against certificate-authority-data', async () => {
    const caData = Buffer.from(ca).toString('base64');
    const t = await transportFor(
      'tls',
      `{server: 'https://127.0.0.1:${port}/prefix', certificate-authority-data: ${caData}}`,
    );
    const res = await t.request({ method: 'GET', path: '/api/v1/namespaces/ns/pods' });
    assert.equal(res.status, 200);
    assert.equal(seen.at(-1)?.headers.authorization, 'Bearer secret-token');
    t.close();
  });

  it('rejects an untrusted certificate with a certificate hint', async () => {
    const t = await transportFor('untrusted', `{server: 'https://127.0.0.1:${port}/prefix'}`);
    await assert.rejects(t.request({ method: 'GET', path: '/api/v1/namespaces/ns/pods' }), (err: unknown) => {
      assert.ok(err instanceof KubeError);
      assert.match(
        err.message,
        /^cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:\d+\/prefix: x509: the server's certificate is not trusted by the certificate-authority of the kubeconfig: self-signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\)$/,
      );
      assert.match(err.hint ?? '', /certificate-authority/);
      return true;
    });
    t.close();
  });
});
