// Abuse of `kubectl cpa sandbox` (the built binary, in its own process so that its memory can be read):
// hundreds of idle connections and open watches at once, slowloris clients trickling their headers, and
// malformed requests. /healthz keeps answering promptly, the process's RSS stays bounded, and every
// malformed request gets a 4xx rather than a hang, a 5xx or a crash.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { connect as tcpConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { sleep, until } from './support/chaos.ts';
import { killRuns, startCpa, type Background } from './support/runner.ts';

const GUARD = { timeout: 60_000 };
const scratch = mkdtempSync(join(tmpdir(), 'cpa-abuse-'));
let sandbox: Background;
let host = '127.0.0.1';
let port = 0;
let ca = '';
let token = '';
const open: Socket[] = [];

before(async () => {
  const kubeconfig = join(scratch, 'kubeconfig');
  sandbox = startCpa(['sandbox', '--kubeconfig-out', kubeconfig]);
  await until(() => existsSync(kubeconfig), 20_000, 'the sandbox kubeconfig', sandbox);
  const kc = parse(readFileSync(kubeconfig, 'utf8')) as {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { user: { token: string } }[];
  };
  const url = new URL(kc.clusters[0]!.cluster.server);
  [host, port] = [url.hostname, Number(url.port)];
  ca = Buffer.from(kc.clusters[0]!.cluster['certificate-authority-data'], 'base64').toString('utf8');
  token = kc.users[0]!.user.token;
});
after(() => {
  for (const s of open) s.destroy();
  killRuns();
  rmSync(scratch, { recursive: true, force: true });
});

function rssMiB(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

/** One request; resolves with the status and how long it took (rejects after `timeoutMs`). */
function request(
  path: string,
  options: { method?: string; body?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<{ status: number; ms: number }> {
  const startedMs = Date.now();
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host,
        port,
        path,
        method: options.method ?? 'GET',
        ca,
        agent: false,
        timeout: options.timeoutMs ?? 5_000,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: Date.now() - startedMs }));
      },
    );
    req.setHeader('Authorization', `Bearer ${token}`);
    for (const [k, v] of Object.entries(options.headers ?? {})) req.setHeader(k, v);
    req.on('timeout', () =>
      req.destroy(new Error(`${path}: no answer within ${options.timeoutMs ?? 5_000} ms`)),
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** /healthz five times; returns the slowest answer in ms. */
async function healthz(): Promise<number> {
  let slowest = 0;
  for (let i = 0; i < 5; i++) {
    const { status, ms } = await request('/healthz');
    assert.equal(status, 200);
    slowest = Math.max(slowest, ms);
  }
  return slowest;
}

function tls(): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ host, port, ca, servername: host === '127.0.0.1' ? undefined : host }, () =>
      resolve(s),
    );
    s.on('error', reject);
    open.push(s);
  });
}

test(
  '300 idle connections and 200 open watches: /healthz answers promptly, RSS bounded',
  GUARD,
  async (t) => {
    const pid = sandbox.child.pid!;
    const before = rssMiB(pid);
    for (let i = 0; i < 300; i++) {
      const s = tcpConnect(port, host);
      s.on('error', () => {});
      open.push(s);
    }
    const watching = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const s = await tls();
        const path =
          i % 2 === 0 ? '/api/v1/namespaces/default/pods?watch=true' : '/apis/apps/v1/deployments?watch=true';
        s.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${token}\r\n\r\n`);
        return new Promise<string>((resolve) => s.once('data', (d: Buffer) => resolve(d.toString('latin1'))));
      }),
    );
    assert.equal(
      watching.filter((head) => head.startsWith('HTTP/1.1 200')).length,
      200,
      'not every watch opened',
    );
    const slowest = await healthz();
    const during = rssMiB(pid);
    t.diagnostic(
      `RSS ${before.toFixed(1)} → ${during.toFixed(1)} MiB with 500 connections; slowest /healthz ${slowest} ms`,
    );
    assert.ok(slowest < 2_000, `/healthz took ${slowest} ms`);
    assert.ok(during - before < 150, `RSS grew by ${(during - before).toFixed(1)} MiB`);
    for (const s of open.splice(0)) s.destroy();
    await sleep(300);
    assert.ok((await healthz()) < 2_000);
  },
);

test('slowloris: 50 clients trickling headers do not hold up anyone else', GUARD, async (t) => {
  const slow = await Promise.all(Array.from({ length: 50 }, () => tls()));
  for (const s of slow) s.write(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\n`);
  const trickle = setInterval(() => {
    for (const s of slow) s.write('X-Slow: 1\r\n');
  }, 200);
  try {
    let slowest = 0;
    for (let i = 0; i < 6; i++) {
      slowest = Math.max(slowest, await healthz());
      await sleep(300);
    }
    t.diagnostic(`slowest /healthz beside 50 slowloris clients: ${slowest} ms`);
    assert.ok(slowest < 2_000, `/healthz took ${slowest} ms`);
  } finally {
    clearInterval(trickle);
    for (const s of slow) s.destroy();
  }
});

/** Sends raw bytes over TLS and returns the status line's code (0 if the server only closed). */
async function raw(bytes: string): Promise<number> {
  const s = await tls();
  s.write(bytes);
  const text = await new Promise<string>((resolve) => {
    let got = '';
    s.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      // The status line is the answer; a kept-alive connection would otherwise wait for the timer.
      if (/^HTTP\/1\.1 \d{3}/.test(got)) resolve(got);
    });
    s.on('close', () => resolve(got));
    s.on('end', () => resolve(got));
    setTimeout(() => resolve(got), 3_000);
  });
  s.destroy();
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
}

const auth = () => `Authorization: Bearer ${token}\r\n`;
const malformed: { name: string; send: () => Promise<number> }[] = [
  { name: 'a request line that is not HTTP', send: () => raw('HELLO THERE\r\n\r\n') },
  {
    name: 'a header line without a colon',
    send: () => raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nbroken\r\n\r\n`),
  },
  {
    name: '64 KiB of headers',
    send: () => raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(65_536)}\r\n\r\n`),
  },
  {
    name: 'a bad percent-escape in the path',
    send: () => raw(`GET /api/v1/namespaces/%ZZ/pods HTTP/1.1\r\nHost: x\r\n${auth()}\r\n`),
  },
  {
    name: 'a JSON body that does not parse',
    send: async () =>
      (
        await request('/api/v1/namespaces', {
          method: 'POST',
          body: '{"kind":',
          headers: { 'Content-Type': 'application/json' },
        })
      ).status,
  },
  {
    name: 'a body over 3 MiB',
    send: async () =>
      (
        await request('/api/v1/namespaces', {
          method: 'POST',
          body: `{"x":"${'a'.repeat(4 * 1024 * 1024)}"}`,
          headers: { 'Content-Type': 'application/json' },
        })
      ).status,
  },
  {
    name: 'a patch with an unknown content type',
    send: async () =>
      (
        await request('/api/v1/namespaces/default', {
          method: 'PATCH',
          body: '{}',
          headers: { 'Content-Type': 'text/plain' },
        })
      ).status,
  },
  { name: 'no token', send: () => raw('GET /api/v1/namespaces HTTP/1.1\r\nHost: x\r\n\r\n') },
];

for (const c of malformed) {
  test(`malformed: ${c.name} → 4xx, and the sandbox still answers`, GUARD, async (t) => {
    const status = await c.send();
    t.diagnostic(`answered ${status}`);
    assert.ok(status >= 400 && status <= 499, `answered ${status}`);
    assert.equal(sandbox.child.exitCode, null, 'the sandbox exited');
    assert.equal((await request('/healthz')).status, 200);
  });
}
