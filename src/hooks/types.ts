// Values exchanged between the pipeline and user logic. Expected failures are values, not exceptions.
// (The process and HTTP runners the hooks call through are ports: src/ports.ts.)

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
