// An in-process `kubectl cpa run` for REST API reliability tests: the real service (loop + API over the one
// pipeline) on a real loopback server and the real clock, with a fake Kubernetes target and a fake hook
// runner whose calls take a chosen time, honour their abort signal and are logged with their run type.
import http from 'node:http';
import type { CycleContext } from '../../../src/autoscaler/context.ts';
import type { Clock, Deps, Files, ProcessOutcome, ProcessSpec, ServerHandle } from '../../../src/ports.ts';
import { serve, type ServeOptions } from '../../../src/runner/serve.ts';
import { serveHttp } from '../../../src/adapters/http-server.ts';
import type { ApiConfig, Config } from '../../../src/config/types.ts';
import type { LogEvent } from '../../../src/logger/events.ts';
import { FakeKube, shellMethod, testConfig } from '../../support/fakes.ts';

/** One hook call as the fake runner saw it. */
export interface HookCall {
  name: string;
  runType: string;
  startedMs: number;
}

/** A running service under test. */
export interface Service {
  /** `http://host:port` of the API. */
  readonly url: string;
  readonly kube: FakeKube;
  readonly calls: HookCall[];
  readonly events: LogEvent[];
  /** Stops the loop and the API (like SIGINT) and waits for serve() to return. */
  stop(): Promise<void>;
}

const realClock: Clock = {
  nowMs: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/** Files backed by a map of path → text. */
function mapFiles(files: Record<string, string>): Files {
  return {
    readText: async (path) => files[path] ?? null,
    exists: async (path) => path in files,
  };
}

/** A runner for `/bin/sh -c NAME`: waits `delayMs`, then answers; an abort ends the call at once. */
function slowRunner(delayMs: number, calls: HookCall[]) {
  return (spec: ProcessSpec): Promise<ProcessOutcome> => {
    const name = spec.args[spec.args.length - 1] ?? '';
    const runType = /"runType":"([a-z_]+)"/.exec(spec.stdin)?.[1] ?? '?';
    calls.push({ name, runType, startedMs: Date.now() });
    const stdout = name === 'evaluate' ? '{"targetReplicas": 3}' : '5';
    return new Promise((resolve) => {
      if (spec.signal?.aborted) return resolve({ kind: 'aborted', durationMs: 0 });
      const finish = (outcome: ProcessOutcome): void => {
        clearTimeout(timer);
        spec.signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      const onAbort = (): void => finish({ kind: 'aborted', durationMs: 0 });
      const timer = setTimeout(
        () =>
          finish({
            kind: 'exited',
            exitCode: 0,
            stdout: Buffer.from(stdout),
            stderr: Buffer.alloc(0),
            durationMs: delayMs,
          }),
        delayMs,
      );
      spec.signal?.addEventListener('abort', onAbort, { once: true });
    });
  };
}

/** Starts the service; `api` overrides the loopback API settings, `hookDelayMs` is each hook call's duration. */
export async function startService(options: {
  intervalMs: number;
  hookDelayMs: number;
  api?: Partial<ApiConfig>;
  config?: Partial<Config>;
  serve?: ServeOptions;
  env?: Record<string, string>;
  files?: Record<string, string>;
}): Promise<Service> {
  const calls: HookCall[] = [];
  const events: LogEvent[] = [];
  const kube = new FakeKube(2);
  const abort = new AbortController();
  const config = testConfig({
    intervalMs: options.intervalMs,
    startTimeMs: 0,
    metric: shellMethod('metric'),
    evaluate: shellMethod('evaluate'),
    api: {
      enabled: true,
      useHTTPS: false,
      host: '127.0.0.1',
      port: 0,
      certFile: '',
      keyFile: '',
      ...options.api,
    },
    ...options.config,
  });
  const ctx: CycleContext = {
    config,
    target: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    namespace: 'default',
    kube,
    methods: {
      runner: slowRunner(options.hookDelayMs, calls),
      request: async () => ({ kind: 'error', message: 'no http hooks here', durationMs: 0 }),
      files: mapFiles({}),
      cwd: '/',
      env: {},
      signal: abort.signal,
    },
    clock: realClock,
    logger: { log: (event) => void events.push(event), enabled: () => true },
    state: { history: [], consecutiveFailures: 0 },
    dryRun: false,
  };
  let server: ServerHandle | undefined;
  let listening: (() => void) | undefined;
  const ready = new Promise<void>((resolve) => (listening = resolve));
  const deps = {
    clock: realClock,
    env: options.env ?? {},
    files: mapFiles(options.files ?? {}),
    onShutdownSignal: () => () => {},
    serveHttp: async (serveOptions) => {
      server = await serveHttp(serveOptions);
      listening?.();
      return server;
    },
  } satisfies Partial<Deps>;
  const served = serve(ctx, deps as unknown as Deps, abort, options.serve ?? {});
  await Promise.race([ready, served]);
  if (server === undefined) throw new Error('serve() returned without starting the API');
  return {
    url: `http://${server.address}`,
    kube,
    calls,
    events,
    stop: async () => {
      abort.abort();
      await served;
    },
  };
}

/** What a request got back. */
export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Sends one request; `headers` are sent as given (no defaults beyond Node's Host and Connection). */
export function send(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(options.path, url),
      { method: options.method ?? 'GET', headers: options.headers ?? {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
