// Values exchanged between the pipeline and user logic. Expected failures are values, not exceptions.

/** What a process runner reports about one finished (or abandoned) process. */
export type ProcessOutcome =
  | { kind: 'exited'; exitCode: number; stdout: Buffer; stderr: Buffer; durationMs: number }
  | { kind: 'signaled'; signal: string; stdout: Buffer; stderr: Buffer; durationMs: number }
  | { kind: 'timeout'; stdout: Buffer; stderr: Buffer; durationMs: number }
  | {
      kind: 'output-limit';
      stream: 'stdout' | 'stderr';
      limitBytes: number;
      stderr: Buffer;
      durationMs: number;
    }
  | { kind: 'start-failed'; message: string; durationMs: number }
  | { kind: 'aborted'; durationMs: number };

/** How to start one process. The runner kills its whole process group once it ends, times out or is aborted. */
export interface ProcessSpec {
  file: string;
  args: string[];
  cwd: string;
  stdin: string;
  timeoutMs: number;
  maxOutputBytes: number;
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
}

/** Starts a process and resolves when it and its process group are gone. Never rejects. */
export type ProcessRunner = (spec: ProcessSpec) => Promise<ProcessOutcome>;

/** One HTTP request of an `http` method. TLS material is PEM text already read from the files. */
export interface HttpRequestSpec {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  ca?: string;
  cert?: string;
  key?: string;
  maxBodyBytes: number;
  signal?: AbortSignal;
}

/** What came back, or why nothing did. Never rejects. */
export type HttpOutcome =
  | { kind: 'response'; status: number; body: Buffer; durationMs: number }
  | { kind: 'timeout'; durationMs: number }
  | { kind: 'body-limit'; status: number; limitBytes: number; durationMs: number }
  | { kind: 'error'; message: string; durationMs: number }
  | { kind: 'aborted'; durationMs: number };

/** Performs one HTTP request. Never rejects. */
export type HttpRequester = (spec: HttpRequestSpec) => Promise<HttpOutcome>;

/** Why a method call failed, in a form that logs, events and status can use. */
export interface HookFailure {
  kind:
    | 'exit'
    | 'signal'
    | 'timeout'
    | 'start'
    | 'output-limit'
    | 'http-status'
    | 'http-error'
    | 'tls'
    | 'aborted';
  /** One line, CPA-like: `exit status 1`, `signal: killed`, `HTTP request failed, status: [500], …`. */
  message: string;
  exitCode?: number;
  status?: number;
  /** Last lines of stderr (shell) or the start of the body (http), already bounded. */
  detail?: string;
}

/** The result of calling a method once. */
export type HookResult =
  | { ok: true; output: string; stderr: string; durationMs: number }
  | { ok: false; failure: HookFailure; durationMs: number };
