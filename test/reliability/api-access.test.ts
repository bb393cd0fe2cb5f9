// Who may drive the REST API. Before the fix any local web page could scale the target: a "simple" CORS
// request (POST, Content-Type text/plain, no preflight) from `Origin: http://evil.example` was answered and
// scaled, DNS rebinding reached a loopback API under a foreign Host name, and a non-loopback bind had no
// authentication at all. Every rule below is checked on a real loopback server with real requests.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateRunFlags } from '../../src/cli/run-flags.ts';
import { CpaError, UsageError } from '../../src/errors.ts';
import { BASE, load } from '../unit/config/fixtures.ts';
import { send, startService, type Reply, type Service } from './support/api-harness.ts';

const HANG_GUARD = { timeout: 10_000 };
const EVALUATE = '/api/v1/evaluation';
const METRICS = '/api/v1/metrics?dry_run=true';

/** Runs `check` against a fresh service (interval long enough that the loop never runs meanwhile). */
async function withService(
  options: Omit<Parameters<typeof startService>[0], 'intervalMs' | 'hookDelayMs'>,
  check: (service: Service, hostPort: string) => Promise<void>,
): Promise<void> {
  const service = await startService({ intervalMs: 60_000, hookDelayMs: 1, ...options });
  try {
    await check(service, new URL(service.url).host);
  } finally {
    await service.stop();
  }
}

/** Asserts that the service refuses to start; one that starts anyway is stopped so the run cannot hang. */
async function assertStartRefused(
  options: Omit<Parameters<typeof startService>[0], 'intervalMs' | 'hookDelayMs'>,
  check: (err: unknown) => boolean,
): Promise<void> {
  let started: Service | undefined;
  try {
    await assert.rejects(async () => {
      started = await startService({ intervalMs: 60_000, hookDelayMs: 1, ...options });
    }, check);
  } finally {
    await started?.stop();
  }
}

function assertRefused(reply: Reply, status: number, message: RegExp): void {
  assert.equal(reply.status, status, reply.body);
  assert.equal(reply.headers['content-type'], 'application/json; charset=utf-8');
  const body = JSON.parse(reply.body) as { message: string; code: number };
  assert.equal(body.code, status);
  assert.match(body.message, message);
}

describe('cross-origin requests', () => {
  test('a simple cross-origin POST is refused with 403 and does not scale', HANG_GUARD, async () => {
    await withService({}, async (service) => {
      const reply = await send(service.url, {
        method: 'POST',
        path: EVALUATE,
        headers: { Origin: 'http://evil.example', 'Content-Type': 'text/plain' },
        body: 'x',
      });
      assertRefused(reply, 403, /Origin 'http:\/\/evil\.example' is not allowed/);
      assert.equal(service.kube.replicas, 2);
      assert.deepEqual(service.calls, [], 'no hook ran');
    });
  });

  const refusedOrigins = ['http://evil.example', 'null', 'http://localhost:1', 'https://127.0.0.1'];
  for (const origin of refusedOrigins) {
    test(`GET with Origin ${origin} is refused with 403`, HANG_GUARD, async () => {
      await withService({}, async (service) => {
        const reply = await send(service.url, { path: METRICS, headers: { Origin: origin } });
        assertRefused(reply, 403, /is not allowed/);
      });
    });
  }

  test("the API's own origin and requests without Origin are served", HANG_GUARD, async () => {
    await withService({}, async (service, hostPort) => {
      const own = await send(service.url, { path: METRICS, headers: { Origin: `http://${hostPort}` } });
      assert.equal(own.status, 200, own.body);
      const none = await send(service.url, { path: METRICS });
      assert.equal(none.status, 200, none.body);
    });
  });
});

describe('POST bodies', () => {
  const cases: { name: string; headers: Record<string, string>; body?: string; want: number }[] = [
    { name: 'no body and no Content-Type (curl -X POST, as in CPA docs)', headers: {}, want: 200 },
    { name: 'a JSON body', headers: { 'Content-Type': 'application/json' }, body: '{}', want: 200 },
    {
      name: 'JSON with parameters',
      headers: { 'Content-Type': 'Application/JSON; charset=utf-8' },
      body: '{}',
      want: 200,
    },
    { name: 'text/plain', headers: { 'Content-Type': 'text/plain' }, body: 'x', want: 415 },
    {
      name: 'a form (curl -d)',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'a=b',
      want: 415,
    },
    { name: 'multipart', headers: { 'Content-Type': 'multipart/form-data; boundary=x' }, want: 415 },
    { name: 'an empty text/plain', headers: { 'Content-Type': 'text/plain' }, want: 415 },
  ];
  for (const c of cases) {
    test(`POST evaluation with ${c.name} → ${c.want}`, HANG_GUARD, async () => {
      await withService({}, async (service) => {
        const reply = await send(service.url, {
          method: 'POST',
          path: EVALUATE,
          headers: c.headers,
          body: c.body,
        });
        if (c.want === 200) {
          assert.equal(reply.status, 200, reply.body);
          assert.equal(reply.body, '{"targetReplicas":3}');
          assert.equal(service.kube.replicas, 3);
        } else {
          assertRefused(reply, 415, /Content-Type .* is not supported/);
          assert.equal(service.kube.replicas, 2);
        }
      });
    });
  }

  test('a body without Content-Type is refused with 415', HANG_GUARD, async () => {
    await withService({}, async (service) => {
      const reply = await send(service.url, { method: 'POST', path: EVALUATE, body: 'x' });
      assertRefused(reply, 415, /no Content-Type/);
    });
  });
});

describe('Host header on a loopback bind (DNS rebinding)', () => {
  const cases: { host: (port: string) => string; want: number }[] = [
    { host: (p) => `evil.example:${p}`, want: 403 },
    { host: () => 'evil.example', want: 403 },
    { host: (p) => `localhost.evil.example:${p}`, want: 403 },
    { host: (p) => `localhost:${p}`, want: 200 },
    { host: (p) => `LOCALHOST:${p}`, want: 200 },
    { host: (p) => `127.0.0.1:${p}`, want: 200 },
    { host: (p) => `127.1.2.3:${p}`, want: 200 },
    { host: (p) => `[::1]:${p}`, want: 200 },
  ];
  for (const c of cases) {
    test(`Host ${c.host('PORT')} → ${c.want}`, HANG_GUARD, async () => {
      await withService({}, async (service, hostPort) => {
        const port = hostPort.slice(hostPort.lastIndexOf(':') + 1);
        const host = c.host(port);
        // A rebinding page is same-origin with itself, so its Origin matches its Host.
        const reply = await send(service.url, {
          path: METRICS,
          headers: { Host: host, Origin: `http://${host}` },
        });
        if (c.want === 200) assert.equal(reply.status, 200, reply.body);
        else assertRefused(reply, 403, /Host '.*' is not allowed/);
      });
    });
  }
});

describe('bearer token', () => {
  const TOKEN = 's3cret-token';
  const sources: { name: string; options: Parameters<typeof withService>[0] }[] = [
    { name: 'KUBECTL_CPA_API_TOKEN', options: { env: { KUBECTL_CPA_API_TOKEN: TOKEN } } },
    {
      name: 'apiConfig.tokenFile',
      options: { api: { tokenFile: '/etc/cpa/token' }, files: { '/etc/cpa/token': `${TOKEN}\n` } },
    },
    {
      name: '--api-token-file (over the environment)',
      options: {
        serve: { tokenFile: '/run/token' },
        files: { '/run/token': TOKEN },
        env: { KUBECTL_CPA_API_TOKEN: 'other' },
      },
    },
  ];
  for (const source of sources) {
    test(`from ${source.name}: required on every request`, HANG_GUARD, async () => {
      await withService(source.options, async (service) => {
        const missing = await send(service.url, { path: METRICS });
        assertRefused(missing, 401, /requires a bearer token/);
        assert.equal(missing.headers['www-authenticate'], 'Bearer realm="kubectl-cpa"');
        const wrong = await send(service.url, { path: METRICS, headers: { Authorization: 'Bearer nope' } });
        assertRefused(wrong, 401, /invalid bearer token/);
        const basic = await send(service.url, {
          path: METRICS,
          headers: { Authorization: `Basic ${TOKEN}` },
        });
        assertRefused(basic, 401, /requires a bearer token/);
        const unknown = await send(service.url, { path: '/nope', headers: { Authorization: 'Bearer nope' } });
        assert.equal(unknown.status, 401, 'routes are not disclosed without the token');
        for (const scheme of ['Bearer', 'bearer']) {
          const good = await send(service.url, {
            path: METRICS,
            headers: { Authorization: `${scheme} ${TOKEN}` },
          });
          assert.equal(good.status, 200, good.body);
        }
      });
    });
  }

  test('a token file that does not exist stops the start with a message naming it', HANG_GUARD, async () => {
    await assertStartRefused({ serve: { tokenFile: '/missing' } }, (err: unknown) => {
      assert.ok(err instanceof CpaError);
      assert.match(
        err.message,
        /^failed to read the REST API token: --api-token-file "\/missing" does not exist/,
      );
      return true;
    });
  });

  test('an empty token file is refused', HANG_GUARD, async () => {
    await assertStartRefused({ api: { tokenFile: '/t' }, files: { '/t': ' \n' } }, (err: unknown) => {
      assert.match(String(err), /failed to read the REST API token: apiConfig\.tokenFile "\/t" is empty/);
      return true;
    });
  });
});

describe('non-loopback bind', () => {
  test('without a token it is refused, naming the flags', HANG_GUARD, async () => {
    await assertStartRefused({ api: { host: '0.0.0.0' } }, (err: unknown) => {
      assert.ok(err instanceof CpaError);
      assert.match(err.message, /0\.0\.0\.0:0 is reachable from other machines and no API token is set/);
      assert.match(err.hint ?? '', /--api-token-file/);
      assert.match(err.hint ?? '', /--api-insecure/);
      return true;
    });
  });

  test('with a token it starts, warns, and Host is not restricted', HANG_GUARD, async () => {
    await withService(
      { api: { host: '0.0.0.0' }, env: { KUBECTL_CPA_API_TOKEN: 't' } },
      async (service, hostPort) => {
        const warnings = service.events.filter((e) => e.kind === 'warning').map((e) => e.message);
        assert.equal(warnings.length, 1, warnings.join('\n'));
        assert.match(warnings[0]!, /reachable from other machines; every request needs the bearer token/);
        const port = hostPort.slice(hostPort.lastIndexOf(':') + 1);
        const reply = await send(`http://127.0.0.1:${port}`, {
          path: METRICS,
          headers: { Host: `cpa.team-a.svc:${port}`, Authorization: 'Bearer t' },
        });
        assert.equal(reply.status, 200, reply.body);
      },
    );
  });

  test('with --api-insecure it starts without a token and warns', HANG_GUARD, async () => {
    await withService({ api: { host: '0.0.0.0' }, serve: { insecure: true } }, async (service) => {
      const warnings = service.events.filter((e) => e.kind === 'warning').map((e) => e.message);
      assert.equal(warnings.length, 1, warnings.join('\n'));
      assert.match(warnings[0]!, /without a token \(--api-insecure\): anyone who can reach it can scale/);
    });
  });

  test('a loopback bind does not warn', HANG_GUARD, async () => {
    await withService({}, async (service) => {
      assert.deepEqual(
        service.events.filter((e) => e.kind === 'warning'),
        [],
      );
    });
  });
});

describe('configuration and flags', () => {
  test('apiConfig.tokenFile is read from the file and merged onto the defaults', () => {
    const result = load(`${BASE}apiConfig: {tokenFile: /etc/cpa/token}\n`);
    assert.ok(result.ok);
    assert.equal(result.config.api.tokenFile, '/etc/cpa/token');
    assert.equal(result.config.api.host, '127.0.0.1');
  });

  test('an empty apiConfig.tokenFile is a problem', () => {
    const result = load(`${BASE}apiConfig: {tokenFile: ""}\n`);
    assert.ok(!result.ok);
    assert.deepEqual(
      result.issues.map((i) => [i.path, i.message]),
      [['apiConfig.tokenFile', 'must be a non-empty string, got ""']],
    );
  });

  test('--api-token-file and --api-insecure reach the run flags', () => {
    const flags = validateRunFlags('.', { apiTokenFile: '/run/token', apiInsecure: true });
    assert.deepEqual([flags.apiTokenFile, flags.apiInsecure], ['/run/token', true]);
  });

  test('--api-token-file "" and API flags with --no-api are usage errors', () => {
    assert.throws(
      () => validateRunFlags('.', { apiTokenFile: '' }),
      (err: unknown) => {
        assert.ok(err instanceof UsageError);
        assert.match(err.message, /--api-token-file: must name a file/);
        return true;
      },
    );
    assert.throws(
      () => validateRunFlags('.', { api: false, apiInsecure: true }),
      /they cannot be used with --no-api/,
    );
  });
});
