// Every side effect the program has, in one object. cmd/kubectl-cpa.ts builds the real one with
// createRealDeps(); tests build their own from hand-written fakes.
import type { HttpRequester, ProcessRunner } from './hooks/types.ts';
import type { CpaKubeClient } from './kube/client.ts';
import type { KubeOptions } from './kube/types.ts';

/** Time, injectable so that loops and stabilisation are testable. */
export interface Clock {
  nowMs(): number;
  /** Resolves after `ms`, or early (without rejecting) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** A text stream: stdout for data, stderr for conversation. */
export interface Output {
  write(text: string): void;
  readonly isTTY: boolean;
}

/** A request to the REST API, already read. */
export interface ApiRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
}

/** A response of the REST API. */
export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A listening HTTP(S) server. */
export interface ServerHandle {
  /** `host:port` actually bound (port 0 resolves to the real port). */
  readonly address: string;
  close(): Promise<void>;
}

/** Starts an HTTP(S) server on host:port that answers through `handle`. Rejects when it cannot listen. */
export type ServeHttp = (options: {
  host: string;
  port: number;
  tls?: { cert: string; key: string };
  handle: (request: ApiRequest) => Promise<ApiResponse>;
}) => Promise<ServerHandle>;

/** Files, read-only: configuration, Dockerfiles, certificates. */
export interface Files {
  /**
   * Resolves the text, or null when the file does not exist. A directory, an unreadable file or one over
   * `maxBytes` (default 1 MiB) rejects with a CpaError that names the file.
   */
  readText(path: string, maxBytes?: number): Promise<string | null>;
  /** True when a regular file exists at `path`. */
  exists(path: string): Promise<boolean>;
}

/** Temporary files a command creates for itself (the demo's example project, the sandbox kubeconfig). */
export interface Scratch {
  /** Creates a fresh private directory under the system temp dir. */
  makeDir(prefix: string): Promise<string>;
  /** Writes a file (mode 0600), creating its parent directories. */
  writeText(path: string, text: string): Promise<void>;
  /** Removes a file or directory tree; a missing path is not an error. */
  remove(path: string): Promise<void>;
}

export interface Deps {
  clock: Clock;
  /** The process environment (config overrides, hook environment, KUBECONFIG). */
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  out: Output;
  err: Output;
  files: Files;
  scratch: Scratch;
  runProcess: ProcessRunner;
  httpRequest: HttpRequester;
  serveHttp: ServeHttp;
  /** Builds a client for the cluster chosen like kubectl would (flags, KUBECONFIG, in-cluster). */
  connectKube(
    options: KubeOptions,
  ): Promise<{ client: CpaKubeClient; context: string; namespace: string; server: string }>;
  /** Registers a handler for SIGINT/SIGTERM; returns a function that unregisters it. */
  onShutdownSignal(handler: (signal: string) => void): () => void;
  /** Identity of this runner, recorded with decisions. */
  host: { hostname: string; pid: number; node: string };
  version: string;
}

/** Where the real Deps get their process-level facts; cmd/kubectl-cpa.ts passes `process` pieces in. */
export interface ProcessFacts {
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  version: string;
  nodeVersion: string;
  pid: number;
  hostname: string;
  on(signal: 'SIGINT' | 'SIGTERM', handler: () => void): void;
  off(signal: 'SIGINT' | 'SIGTERM', handler: () => void): void;
}

function outputOf(stream: NodeJS.WriteStream): Output {
  return { write: (text) => void stream.write(text), isTTY: stream.isTTY === true };
}

const realClock: Clock = {
  nowMs: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, Math.max(0, ms));
      function done(): void {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/** Builds the real Deps. Heavy adapters (client-node, servers) are loaded only when a command uses them. */
export async function createRealDeps(facts: ProcessFacts): Promise<Deps> {
  const fs = await import('node:fs/promises');
  const { realFiles: files } = await import('./adapters/files.ts');
  const os = await import('node:os');
  const path = await import('node:path');
  const scratch: Scratch = {
    makeDir: (prefix) => fs.mkdtemp(path.join(os.tmpdir(), prefix)),
    writeText: async (file, text) => {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, text, { mode: 0o600 });
    },
    remove: (target) => fs.rm(target, { recursive: true, force: true }),
  };
  return {
    clock: realClock,
    env: facts.env,
    cwd: facts.cwd,
    out: outputOf(facts.stdout),
    err: outputOf(facts.stderr),
    files,
    scratch,
    runProcess: async (spec) => (await import('./adapters/process.ts')).runProcess(spec),
    httpRequest: async (spec) => (await import('./adapters/http-client.ts')).httpRequest(spec),
    serveHttp: async (options) => (await import('./adapters/http-server.ts')).serveHttp(options),
    connectKube: async (options) => {
      return (await import('./kube/connect.ts')).connectKube(options, facts.env, os.homedir());
    },
    onShutdownSignal: (handler) => {
      const onInt = (): void => handler('SIGINT');
      const onTerm = (): void => handler('SIGTERM');
      facts.on('SIGINT', onInt);
      facts.on('SIGTERM', onTerm);
      return () => {
        facts.off('SIGINT', onInt);
        facts.off('SIGTERM', onTerm);
      };
    },
    host: { hostname: facts.hostname, pid: facts.pid, node: facts.nodeVersion },
    version: facts.version,
  };
}
