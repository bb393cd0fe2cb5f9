// Credentials of an http hook never leave the process in text: the URL's userinfo, secret-looking query values
// and configured header values must not appear in any log line (text or JSON, -v 0 through 4), in the cycle
// report, in the recorded-state annotation (lastError, read back by `status`), in an Event, nor in the next
// cycle's hook payloads, which carry the target with that annotation. Before the fix the raw URL was quoted
// in every http failure ("GET \"http://alice:SECRET@…\": connect ECONNREFUSED").
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { httpRequest } from '../../src/adapters/http-client.ts';
import type { CycleContext } from '../../src/autoscaler/context.ts';
import { runCycle } from '../../src/autoscaler/cycle.ts';
import type { CycleReport } from '../../src/autoscaler/types.ts';
import type { Method } from '../../src/config/types.ts';
import { createLogger } from '../../src/logger/logger.ts';
import type { KubeObject, KubeRequest, KubeResponse, ResolvedTarget } from '../../src/ports.ts';
import { createRecorder } from '../../src/status/recorder.ts';
import { startLoopback, type Loopback } from '../fixtures/hooks/loopback.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { FakeKube, fakeRunner, shellMethod, testConfig } from '../support/fakes.ts';

const GUARD = { timeout: 10_000 };
const PASSWORD = 'S3cretPassw0rd';
const QUERY_TOKEN = 'T0kenS3cretValue';
const BEARER = 'H3aderS3cretBearer';
const API_KEY = 'K3yS3cretApiKey';
/** What Node sends for the URL's userinfo: the same password, base64-encoded in a Basic header. */
const BASIC = Buffer.from(`alice:${PASSWORD}`).toString('base64');
const SECRETS = [PASSWORD, QUERY_TOKEN, BEARER, API_KEY, BASIC];

/** A FakeKube that also takes the recorder's writes: annotations land on the object, Events are kept. */
class RecordingKube extends FakeKube {
  annotations: Record<string, string> = {};
  readonly writes: string[] = [];
  override async getObject(target: ResolvedTarget): Promise<KubeObject> {
    const object = await super.getObject(target);
    return { ...object, metadata: { ...object.metadata, uid: 'u-1', annotations: { ...this.annotations } } };
  }
  request = async (req: KubeRequest): Promise<KubeResponse> => {
    this.writes.push(JSON.stringify(req));
    const body = req.body as { metadata?: { annotations?: Record<string, string> } } | undefined;
    if (req.method === 'PATCH' && body?.metadata?.annotations) {
      Object.assign(this.annotations, body.metadata.annotations);
      return { status: 200, body: await this.getObject(await this.resolveTarget(this.ref, 'default')) };
    }
    return { status: 201, body: {} };
  };
  private readonly ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
}

function evaluateOver(url: string, timeoutMs = 2_000): Method {
  return {
    type: 'http',
    timeoutMs,
    http: {
      method: 'POST',
      url,
      headers: {
        Authorization: `Bearer ${BEARER}`,
        'X-Api-Key': API_KEY,
        'Content-Type': 'application/json',
      },
      successCodes: [200],
      parameterMode: 'body',
    },
  };
}

/** Runs two failing cycles at -v 4 in text and JSON; returns every string that left the cycle. */
async function twoCycles(evaluate: Method): Promise<{ texts: string[]; reports: CycleReport[] }> {
  const kube = new RecordingKube(2, { numPods: '3' });
  const calls: { name: string; stdin: string }[] = [];
  const lines: string[] = [];
  const out = { write: (text: string) => void lines.push(text), isTTY: false };
  const clock = new FakeClock(1_000_000);
  const text = createLogger({ out, clock, verbosity: 4, format: 'text' });
  const json = createLogger({ out, clock, verbosity: 4, format: 'json' });
  const logger = {
    log: (e: Parameters<typeof text.log>[0]) => (text.log(e), json.log(e)),
    enabled: () => true,
  };
  const config = testConfig({ evaluate, hooks: { preEvaluate: shellMethod('preEvaluate') } });
  const ctx: CycleContext = {
    config,
    target: config.scaleTargetRef!,
    namespace: 'default',
    kube,
    methods: {
      runner: fakeRunner({ metric: () => ({ stdout: '3' }), preEvaluate: () => ({ stdout: 'ok' }) }, calls),
      request: httpRequest,
      files: { readText: async () => null, exists: async () => false },
      cwd: '/tmp',
      env: {},
    },
    clock,
    logger,
    state: { history: [], consecutiveFailures: 0 },
    dryRun: false,
    onReport: createRecorder({
      client: kube,
      target: config.scaleTargetRef!,
      namespace: 'default',
      clock,
      logger,
      config,
      name: 'secrets',
      runner: { host: 'test-host', pid: 1, version: 'test' },
    }),
  };
  const reports: CycleReport[] = [];
  for (let i = 0; i < 2; i++) {
    reports.push(await runCycle(ctx, { runType: 'scaler', stopAfter: 'scale' }));
    clock.advance(15_000);
  }
  assert.ok(
    Object.keys(kube.annotations).length > 0,
    'the recorder wrote no annotation; the test would prove nothing',
  );
  const texts = [
    ...lines,
    ...reports.map((r) => JSON.stringify(r)),
    ...Object.values(kube.annotations),
    ...kube.writes,
    ...calls.map((c) => c.stdin),
  ];
  return { texts, reports };
}

function assertNoSecret(texts: string[]): void {
  for (const secret of SECRETS) {
    const leaks = texts.filter((t) => t.includes(secret));
    assert.deepEqual(leaks, [], `secret ${secret} appears in ${leaks.length} output(s)`);
  }
}

describe('an http evaluate hook with credentials', () => {
  let echo: Loopback;
  let silent: Loopback;
  before(async () => {
    // A hostile (or merely verbose) server that quotes the request, credentials included, in its error body.
    echo = await startLoopback((req, res) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`denied ${req.url} for ${req.headers.authorization} key=${req.headers['x-api-key']}`);
    });
    silent = await startLoopback(() => undefined);
  });
  after(async () => {
    await echo?.close();
    await silent?.close();
  });

  const cases = [
    {
      name: 'connection refused',
      url: () => `http://alice:${PASSWORD}@127.0.0.1:1/x?token=${QUERY_TOKEN}&stage=prod`,
      want: /ECONNREFUSED/,
    },
    {
      name: 'a 500 whose body echoes the credentials',
      url: () => `${echo.origin.replace('//', `//alice:${PASSWORD}@`)}/x?token=${QUERY_TOKEN}&stage=prod`,
      want: /status: \[500\]/,
    },
    {
      name: 'a timeout',
      url: () => `${silent.origin.replace('//', `//alice:${PASSWORD}@`)}/x?token=${QUERY_TOKEN}&stage=prod`,
      want: /timed out/,
      timeoutMs: 200,
    },
  ];
  for (const c of cases) {
    test(`${c.name}: no secret in logs, report, annotation, Events or later payloads`, GUARD, async () => {
      const { texts, reports } = await twoCycles(evaluateOver(c.url(), c.timeoutMs));
      assertNoSecret(texts);
      const message = reports[0]?.error?.message ?? '';
      assert.match(message, c.want);
      // The failure still says where: user, host, path and the harmless query value survive.
      assert.match(
        message,
        /alice:\*\*\*@127\.0\.0\.1:\d+\/x\?token=\*\*\*&stage=prod|denied \/x\?token=\*\*\*&stage=prod/,
      );
    });
  }
});
