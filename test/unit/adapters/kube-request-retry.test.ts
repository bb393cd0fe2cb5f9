// Retry-After: a 429, or a 5xx that says when to come back, is retried after the time the server asked for —
// a few times at most, never for longer than MAX_RETRY_AFTER_MS at once, and never past the call's own
// timeout (which `run` sets from the interval, so a throttled call never outlives its cycle).
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTransport, type KubeTransport } from '../../../src/adapters/kube-request.ts';
import { MAX_RETRIES, MAX_RETRY_AFTER_MS, retryAfterMs } from '../../../src/adapters/kube-retry.ts';
import { loadKubeconfig } from '../../../src/adapters/kubeconfig-loader.ts';
import { KubeError } from '../../../src/errors.ts';

describe('retryAfterMs', () => {
  /** The answer's Date header. */
  const nowMs = Date.parse('2026-01-01T00:00:00Z');
  const cases: { name: string; given: string | undefined; want: number | undefined; serverNowMs?: number }[] =
    [
      { name: 'delta-seconds', given: '2', want: 2_000 },
      { name: 'zero', given: '0', want: 0 },
      { name: 'spaces around', given: ' 3 ', want: 3_000 },
      { name: 'an HTTP-date 5 s ahead', given: 'Thu, 01 Jan 2026 00:00:05 GMT', want: 5_000 },
      { name: 'an HTTP-date in the past', given: 'Wed, 31 Dec 2025 23:59:00 GMT', want: 0 },
      { name: 'absent', given: undefined, want: undefined },
      {
        name: 'an HTTP-date without the server Date',
        given: 'Thu, 01 Jan 2026 00:00:05 GMT',
        want: undefined,
        serverNowMs: NaN,
      },
      { name: 'empty', given: '', want: undefined },
      { name: 'negative', given: '-1', want: undefined },
      { name: 'a fraction', given: '1.5', want: undefined },
      { name: 'words', given: 'soon', want: undefined },
    ];
  for (const c of cases) {
    it(`${c.name}: ${JSON.stringify(c.given)} → ${c.want}`, () => {
      assert.equal(retryAfterMs(c.given, c.serverNowMs ?? nowMs), c.want);
    });
  }
});

/** One scripted answer: status and Retry-After (none when undefined). */
interface Answer {
  status: number;
  retryAfter?: string;
}

describe('createTransport with Retry-After', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cpa-retry-'));
  let script: Answer[] = [];
  let arrivals: number[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      arrivals.push(Date.now());
      const answer = script.shift() ?? { status: 200 };
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (answer.retryAfter !== undefined) headers['Retry-After'] = answer.retryAfter;
      res.writeHead(answer.status, headers);
      const reason = answer.status === 429 ? 'TooManyRequests' : 'ServiceUnavailable';
      res.end(
        answer.status === 200
          ? '{"kind":"PodList","items":[]}'
          : JSON.stringify({ kind: 'Status', message: 'slow down', reason, code: answer.status }),
      );
    });
  });
  let port = 0;

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function transport(timeoutMs: number): Promise<KubeTransport> {
    const file = path.join(dir, 'kubeconfig');
    writeFileSync(
      file,
      `apiVersion: v1\nkind: Config\ncurrent-context: c\n` +
        `clusters: [{name: k, cluster: {server: 'http://127.0.0.1:${port}', insecure-skip-tls-verify: true}}]\n` +
        `users: [{name: u, user: {token: t}}]\ncontexts: [{name: c, context: {cluster: k, user: u}}]\n`,
    );
    const loaded = await loadKubeconfig({ kubeconfig: file }, { env: {}, homeDir: undefined });
    return createTransport(loaded.kc, { timeoutMs });
  }

  /** Runs one GET against `answers`; returns the outcome, the number of attempts and the gaps between them. */
  async function callWith(
    answers: Answer[],
    timeoutMs = 10_000,
    during?: (t: KubeTransport) => void,
  ): Promise<{ result: unknown; attempts: number; gapsMs: number[] }> {
    script = [...answers];
    arrivals = [];
    const t = await transport(timeoutMs);
    const pending = t.request({ method: 'GET', path: '/api/v1/namespaces/ns/pods' }).then(
      (res) => res.status,
      (err: unknown) => err,
    );
    during?.(t);
    const result = await pending;
    t.close();
    const gapsMs = arrivals.slice(1).map((at, i) => at - arrivals[i]!);
    return { result, attempts: arrivals.length, gapsMs };
  }

  const table: { name: string; given: Answer[]; attempts: number; status: number }[] = [
    {
      name: '429 twice with Retry-After: 0, then 200',
      given: [429, 429].map(after0),
      attempts: 3,
      status: 200,
    },
    { name: '503 with Retry-After: 0, then 200', given: [after0(503)], attempts: 2, status: 200 },
    { name: '500 with Retry-After: 0, then 200', given: [after0(500)], attempts: 2, status: 200 },
    { name: '503 without Retry-After is not retried', given: [{ status: 503 }], attempts: 1, status: 503 },
    { name: '404 with Retry-After is not retried', given: [after0(404)], attempts: 1, status: 404 },
    {
      name: 'a Retry-After longer than the cap is not waited for',
      given: [{ status: 429, retryAfter: String(MAX_RETRY_AFTER_MS / 1000 + 1) }],
      attempts: 1,
      status: 429,
    },
    {
      name: `at most ${MAX_RETRIES} retries`,
      given: Array.from({ length: MAX_RETRIES + 3 }, () => after0(429)),
      attempts: MAX_RETRIES + 1,
      status: 429,
    },
  ];
  for (const c of table) {
    it(`${c.name}: ${c.attempts} attempt(s), ends with ${c.status}`, { timeout: 10_000 }, async () => {
      const { result, attempts } = await callWith(c.given);
      assert.equal(attempts, c.attempts);
      if (c.status === 200) assert.equal(result, 200);
      else assert.ok(result instanceof KubeError && result.details.status === c.status, String(result));
    });
  }

  it('waits as long as Retry-After says before trying again', { timeout: 10_000 }, async () => {
    const { result, gapsMs } = await callWith([{ status: 429, retryAfter: '1' }]);
    assert.equal(result, 200);
    assert.equal(gapsMs.length, 1);
    assert.ok(gapsMs[0]! >= 950, `retried after ${gapsMs[0]} ms`);
  });

  it('does not wait past the call timeout: the 429 is the answer at once', { timeout: 10_000 }, async () => {
    const startedMs = Date.now();
    const { result, attempts } = await callWith([{ status: 429, retryAfter: '2' }], 1_000);
    assert.equal(attempts, 1);
    assert.ok(result instanceof KubeError && result.details.status === 429, String(result));
    assert.ok(Date.now() - startedMs < 900, 'waited for a retry that could not fit');
  });

  it('close() ends a call waiting to retry at once', { timeout: 10_000 }, async () => {
    const startedMs = Date.now();
    const { result } = await callWith([{ status: 429, retryAfter: '3' }], 10_000, (t) =>
      setTimeout(() => t.close(), 200),
    );
    assert.ok(result instanceof KubeError, String(result));
    assert.match(result.message, /closed/);
    assert.ok(Date.now() - startedMs < 2_000, 'close() did not end the wait');
  });
});

function after0(status: number): Answer {
  return { status, retryAfter: '0' };
}
