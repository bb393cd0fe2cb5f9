// Calls a piece of user logic by its type, and words a failure the way a user should read it.
import type { Method } from '../config/types.ts';
import type { Files, HttpRequester, ProcessRunner } from '../ports.ts';
import { callHttp } from './http.ts';
import { redactUrl } from './redact.ts';
import { callShell, formatCommand } from './shell.ts';
import type { HookFailure, HookResult } from './types.ts';

/** Everything a method call may touch; a subset of Deps plus an optional cancellation signal. */
export interface MethodContext {
  runner: ProcessRunner;
  request: HttpRequester;
  files: Files;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
  /** Told of every finished call by the step's name (`metric`, `preScale`): the runner's hook metrics. */
  observe?: (name: string, result: HookResult) => void;
}

/** Calls `method` once with `payload` and reports the result as a value. Never rejects. */
export function callMethod(method: Method, payload: string, ctx: MethodContext): Promise<HookResult> {
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  switch (method.type) {
    case 'shell':
      return callShell(method, payload, { runner: ctx.runner, cwd: ctx.cwd, env: ctx.env, ...signal });
    case 'http':
      return callHttp(method, payload, { request: ctx.request, files: ctx.files, ...signal });
    default: {
      // Config validation rejects other types; a value that slips through is still a failure, not a crash.
      const type = (method as { type: unknown }).type;
      return Promise.resolve({
        ok: false,
        failure: { kind: 'start', message: `unknown execution method: '${String(type)}'` },
        durationMs: 0,
      });
    }
  }
}

/** `<name> hook (<type>)`, the label describeFailure expects, e.g. `evaluate hook (shell)`. */
export function methodLabel(name: string, method: Method): string {
  return `${name} hook (${method.type})`;
}

/**
 * The one message a user sees for a failed call, e.g.
 * `evaluate hook (shell) failed: exit status 1; stderr: ZeroDivisionError: division by zero`.
 * `name` names the hook or step (see methodLabel); a multi-line stderr tail goes on following lines.
 */
export function describeFailure(name: string, f: HookFailure): string {
  const head = `${name} failed: ${f.message}`;
  // http failures already quote the body in their message; only shell failures carry stderr as detail.
  const carriesStderr =
    f.kind === 'exit' || f.kind === 'signal' || f.kind === 'timeout' || f.kind === 'output-limit';
  if (!carriesStderr || f.detail === undefined || f.detail === '') return head;
  return f.detail.includes('\n') ? `${head}; stderr:\n${indent(f.detail)}` : `${head}; stderr: ${f.detail}`;
}

/** The V(4) line logged before each call, in CPA's words (§8.2). */
export function describeCall(method: Method): string {
  if (method.type === 'shell') {
    return `Running shell command, entrypoint: '${method.shell.entrypoint}', command '${formatCommand(method.shell.command)}'`;
  }
  return `Making HTTP request, method: '${method.http.method}', URL: '${redactUrl(method.http.url)}'`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
