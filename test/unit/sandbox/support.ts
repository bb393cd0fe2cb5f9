// Hand-written fakes for the sandbox's unit tests: a SandboxEnv whose time only moves when told (timers run
// in order as it does), and a socket-free sandbox with a request helper over `api.handle`.
import { createSandboxCore, type SandboxCore } from '../../../src/sandbox/server/core.ts';
import type { SandboxUser } from '../../../src/sandbox/apiserver/auth.ts';
import { isStream, type SandboxResponse } from '../../../src/sandbox/wire/http.ts';
import type { Cancel, SandboxEnv } from '../../../src/sandbox/store/context.ts';

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** Deterministic time, timers, uids and name suffixes. */
export class FakeEnv implements SandboxEnv {
  now: number;
  readonly #timers: Timer[] = [];
  #seq = 0;
  #ids = 0;
  #suffixes = 0;

  constructor(startMs = Date.UTC(2026, 0, 2, 3, 4, 5)) {
    this.now = startMs;
  }

  nowMs(): number {
    return this.now;
  }

  after(ms: number, fn: () => void): Cancel {
    const timer = { at: this.now + Math.max(0, ms), seq: this.#seq++, fn, cancelled: false };
    this.#timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  uuid(): string {
    return `00000000-0000-4000-8000-${String(++this.#ids).padStart(12, '0')}`;
  }

  suffix(n: number): string {
    const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
    let v = this.#suffixes++;
    let out = '';
    for (let i = 0; i < n; i++) {
      out = alphabet[v % alphabet.length] + out;
      v = Math.floor(v / alphabet.length);
    }
    return out;
  }

  /** Pending (not cancelled) timers. */
  get pending(): number {
    return this.#timers.filter((t) => !t.cancelled).length;
  }

  /** Runs every timer that is due now, including those they schedule, in time then creation order. */
  flush(): void {
    for (let guard = 0; guard < 100_000; guard++) {
      const due = this.#timers
        .filter((t) => !t.cancelled && t.at <= this.now)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (due === undefined) return;
      due.cancelled = true;
      due.fn();
    }
    throw new Error('timers keep scheduling themselves');
  }

  /** Moves time forward by `ms`, stopping at each timer on the way to run it. */
  advance(ms: number): void {
    const end = this.now + ms;
    this.flush();
    for (;;) {
      const next = this.#timers
        .filter((t) => !t.cancelled && t.at <= end)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (next === undefined) break;
      this.now = next.at;
      this.flush();
    }
    this.now = end;
    this.flush();
  }
}

/** API JSON of any shape, as the tests read it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests index arbitrary API answers
export type Json = any;

/** The admin token of test sandboxes. */
export const TOKEN = 'admin-token';

/** A parsed answer of the fake sandbox. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Json;
  text: string;
}

/** A socket-free sandbox and helpers to talk to it. */
export interface Fixture {
  env: FakeEnv;
  core: SandboxCore;
  /** One request; streamed answers are refused here (use `stream`). */
  request(
    method: string,
    path: string,
    opts?: { body?: unknown; contentType?: string; accept?: string; token?: string },
  ): Promise<Answer>;
  /** Opens a streamed answer; `chunks` fills as it writes; `stop()` aborts it like a client leaving. */
  stream(
    path: string,
    accept?: string,
  ): Promise<{ status: number; chunks: string[]; stop(): void; done: Promise<void> }>;
}

/** Builds a sandbox core over a FakeEnv. */
export function fixture(options: { startDelayMs?: number; users?: SandboxUser[] } = {}): Fixture {
  const env = new FakeEnv();
  const users = [{ name: 'admin', token: TOKEN }, ...(options.users ?? [])];
  const core = createSandboxCore({
    env,
    users,
    serverAddress: '127.0.0.1:6443',
    startDelayMs: options.startDelayMs ?? 1000,
  });
  const handle = async (
    method: string,
    path: string,
    opts: { body?: unknown; contentType?: string; accept?: string; token?: string } = {},
  ): Promise<SandboxResponse> => {
    const url = new URL(path, 'https://sandbox.invalid');
    const body =
      opts.body === undefined ? '' : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    const headers = {
      authorization: `Bearer ${opts.token ?? TOKEN}`,
      accept: opts.accept ?? 'application/json',
      ...(opts.contentType === undefined ? {} : { 'content-type': opts.contentType }),
    };
    return core.api.handle({
      method,
      path: decodeURIComponent(url.pathname),
      query: url.searchParams,
      headers,
      body,
    });
  };
  return {
    env,
    core,
    async request(method, path, opts) {
      const response = await handle(method, path, opts);
      if (isStream(response)) throw new Error(`${method} ${path} answered a stream`);
      let body: unknown;
      try {
        body = JSON.parse(response.body);
      } catch {
        body = undefined;
      }
      return { status: response.status, headers: response.headers, body, text: response.body };
    },
    async stream(path, accept) {
      const response = await handle('GET', path, { accept });
      if (!isStream(response)) throw new Error(`GET ${path} answered ${response.status}: ${response.body}`);
      const chunks: string[] = [];
      const abort = new AbortController();
      const done = response.run((c) => chunks.push(c), abort.signal);
      return { status: response.status, chunks, stop: () => abort.abort(), done };
    },
  };
}

/** A Deployment manifest for tests. */
export function deploymentManifest(
  name: string,
  replicas: number,
  image = 'registry.invalid/web:1',
): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
    },
  };
}
