// A keep-alive socket the server has just dropped: the request written on it meets a reset before any
// answer. Sent again once on a fresh connection, as Node's documentation advises for `reusedSocket`, the
// call succeeds instead of failing the cycle (seen in the bench: `socket hang up (ECONNRESET)` on a scale
// GET against the sandbox, about one cycle in a hundred).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { createTransport } from '../../../src/adapters/kube-request.ts';
import { loadKubeconfig } from '../../../src/adapters/kubeconfig-loader.ts';
import { KubeError } from '../../../src/errors.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'cpa-stale-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A plain-HTTP server that answers the first `answered` requests of each connection, then resets the
 * connection on the next one without answering (a server closing an idle keep-alive connection).
 */
async function resettingServer(answered: number) {
  const stats = { connections: 0, requests: 0 };
  const server = createServer((socket: Socket) => {
    stats.connections += 1;
    let seen = 0;
    let buffered = '';
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      for (let end = buffered.indexOf('\r\n\r\n'); end >= 0; end = buffered.indexOf('\r\n\r\n')) {
        buffered = buffered.slice(end + 4);
        stats.requests += 1;
        seen += 1;
        if (seen > answered) return void socket.resetAndDestroy();
        const body = '{"kind":"PodList","items":[]}';
        socket.write(
          `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n` +
            `Connection: keep-alive\r\n\r\n${body}`,
        );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port, stats };
}

async function transportTo(port: number) {
  const file = path.join(dir, `${port}.yaml`);
  await writeFile(
    file,
    `apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters: [{name: k, cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]\n` +
      `users: [{name: u, user: {token: t}}]\ncontexts: [{name: c, context: {cluster: k, user: u}}]\n`,
  );
  const loaded = await loadKubeconfig({ kubeconfig: file }, { env: {}, homeDir: undefined });
  return createTransport(loaded.kc, { timeoutMs: 5_000 });
}

const list = { method: 'GET' as const, path: '/api/v1/namespaces/ns/pods' };

test('a request reset on a reused keep-alive socket is sent once more on a new connection', async () => {
  const { port, stats } = await resettingServer(1);
  const transport = await transportTo(port);
  try {
    assert.equal((await transport.request(list)).status, 200);
    assert.equal((await transport.request(list)).status, 200, 'the second call survives the reset');
    assert.deepEqual(stats, { connections: 2, requests: 3 });
  } finally {
    transport.close();
  }
});

test('a reset on a fresh connection is not retried: the call fails naming the server', async () => {
  const { port, stats } = await resettingServer(0);
  const transport = await transportTo(port);
  try {
    await assert.rejects(transport.request(list), (err: unknown) => {
      assert.ok(err instanceof KubeError);
      assert.match(err.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
      return true;
    });
    assert.equal(stats.connections, 1);
  } finally {
    transport.close();
  }
});
