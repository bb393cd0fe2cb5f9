// REST API overload: clients that fire many requests and abandon them must not starve the loop. Before the
// fix every request queued a cycle with no cap and a cycle ran even after its client had gone, so 300
// abandoned `GET /api/v1/metrics?dry_run=true` delayed the loop's ticks by 32 s.
import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { startService } from './support/api-harness.ts';

const HANG_GUARD = { timeout: 20_000 };

/** Fires a GET and destroys it after `abandonMs`; resolves with the status if an answer came first. */
function abandoningGet(
  url: string,
  abandonMs: number,
): Promise<{ status: number; retryAfter?: string } | null> {
  return new Promise((resolve) => {
    const req = http.get(new URL('/api/v1/metrics?dry_run=true', url), (res) => {
      res.resume();
      const retryAfter = res.headers['retry-after'];
      resolve({ status: res.statusCode ?? 0, ...(retryAfter === undefined ? {} : { retryAfter }) });
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve(null);
    }, abandonMs);
    req.on('error', () => resolve(null));
    req.on('close', () => clearTimeout(timer));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('abandoned API requests neither starve the loop nor keep running hooks', HANG_GUARD, async () => {
  const intervalMs = 200;
  const hookDelayMs = 150;
  const abandonMs = 400;
  const service = await startService({ intervalMs, hookDelayMs });
  const startedMs = Date.now();
  let replies: Awaited<ReturnType<typeof abandoningGet>>[];
  try {
    replies = await Promise.all(Array.from({ length: 40 }, () => abandoningGet(service.url, abandonMs)));
    // Let the loop run a while after the clients have gone.
    await sleep(2_500 - (Date.now() - startedMs));
  } finally {
    await service.stop();
  }

  const refused = replies.filter((r) => r?.status === 429);
  assert.ok(refused.length >= 36, `expected ≥36 of 40 requests refused with 429, got ${refused.length}`);
  assert.ok(
    refused.every((r) => r?.retryAfter !== undefined && /^\d+$/.test(r.retryAfter)),
    'every 429 carries Retry-After in seconds',
  );

  const apiCalls = service.calls.filter((c) => c.runType === 'api_dry_run');
  assert.ok(apiCalls.length <= 4, `at most the 4 admitted requests may run a hook, ran ${apiCalls.length}`);
  const late = apiCalls.filter((c) => c.startedMs > startedMs + abandonMs + 100);
  assert.deepEqual(late, [], 'no hook runs for a request after its client has gone');

  // The loop keeps its cadence: between ticks at most one interval plus one API cycle, with a generous margin.
  const ticks = service.calls
    .filter((c) => c.runType === 'scaler' && c.name === 'metric')
    .map((c) => c.startedMs);
  assert.ok(ticks.length >= 5, `expected ≥5 loop cycles in 2.5 s at 200 ms, got ${ticks.length}`);
  const gaps = [ticks[0]! - startedMs, ...ticks.slice(1).map((t, i) => t - ticks[i]!)];
  const worst = Math.max(...gaps);
  assert.ok(worst < 1_000, `a loop tick waited ${worst} ms (gaps ${gaps.join(', ')})`);
});
