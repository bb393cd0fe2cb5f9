// The `shell` method: run the entrypoint through the injected ProcessRunner and turn what happened into a
// HookResult. Pure apart from the runner, so every outcome is testable with a fake.
import { MAX_OUTPUT_BYTES } from '../config/defaults.ts';
import type { ShellMethod } from '../config/types.ts';
import type { ProcessOutcome, ProcessRunner } from '../ports.ts';
import type { HookFailure, HookResult } from './types.ts';

/** What a shell call needs besides the method: the runner and the environment the CPA process has. */
export interface ShellContext {
  runner: ProcessRunner;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
}

/** Bounds of the stderr excerpt carried in a failure: enough for a Python traceback's last frames. */
export const STDERR_TAIL_LINES = 10;
export const STDERR_TAIL_BYTES = 2048;

/** Runs a shell method once with `payload` on stdin; stdout (verbatim) is the result. Never rejects. */
export async function callShell(
  method: { timeoutMs: number; shell: ShellMethod },
  payload: string,
  ctx: ShellContext,
): Promise<HookResult> {
  const outcome = await ctx.runner({
    file: method.shell.entrypoint,
    args: [...method.shell.command],
    cwd: ctx.cwd,
    stdin: payload,
    timeoutMs: method.timeoutMs,
    maxOutputBytes: MAX_OUTPUT_BYTES,
    env: ctx.env,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  return toHookResult(outcome, method);
}

/** Converts a runner outcome into a HookResult with CPA-like messages. Pure. */
export function toHookResult(
  outcome: ProcessOutcome,
  method: { timeoutMs: number; shell: ShellMethod },
): HookResult {
  const durationMs = outcome.durationMs;
  const fail = (failure: HookFailure): HookResult => ({ ok: false, failure, durationMs });
  switch (outcome.kind) {
    case 'exited':
      if (outcome.exitCode === 0) {
        return { ok: true, output: decode(outcome.stdout), stderr: decode(outcome.stderr), durationMs };
      }
      return fail({
        kind: 'exit',
        message: `exit status ${outcome.exitCode}`,
        exitCode: outcome.exitCode,
        ...detailOf(outcome.stderr),
      });
    case 'signaled':
      return fail({
        kind: 'signal',
        message: `signal: ${signalText(outcome.signal)}`,
        ...detailOf(outcome.stderr),
      });
    case 'timeout':
      return fail({
        kind: 'timeout',
        message: `${timeoutText(method.shell)} after ${method.timeoutMs}ms; its process group was killed`,
        ...detailOf(outcome.stderr),
      });
    case 'output-limit':
      return fail({
        kind: 'output-limit',
        message: `${outcome.stream} exceeded ${formatBytes(outcome.limitBytes)} limit`,
        ...(outcome.stream === 'stdout' ? detailOf(outcome.stderr) : {}),
      });
    case 'start-failed':
      return fail({ kind: 'start', message: outcome.message });
    case 'aborted':
      return fail({ kind: 'aborted', message: 'cancelled; its process group was killed' });
  }
}

/** CPA's timeout text: `entrypoint '<ep>', command '[<a> <b>]' timed out` (the command as Go prints a slice). */
export function timeoutText(shell: ShellMethod): string {
  return `entrypoint '${shell.entrypoint}', command '${formatCommand(shell.command)}' timed out`;
}

/** A string list as Go's fmt prints it: `[a b c]`. */
export function formatCommand(command: readonly string[]): string {
  return `[${command.join(' ')}]`;
}

/** Decodes process output as UTF-8; invalid sequences become U+FFFD instead of failing the call. */
export function decode(bytes: Buffer): string {
  return bytes.toString('utf8');
}

/** The last lines of stderr, bounded in lines and bytes, for a failure's `detail`; '' when stderr is blank. */
export function stderrTail(stderr: Buffer): string {
  const lines = decode(stderr).trimEnd().split(/\r?\n/);
  let tail = lines.slice(-STDERR_TAIL_LINES).join('\n');
  const cut = lines.length > STDERR_TAIL_LINES;
  const bytes = Buffer.from(tail, 'utf8');
  if (bytes.length > STDERR_TAIL_BYTES) {
    // Cutting mid-character leaves a replacement char at the start; drop it rather than show noise.
    tail = decode(bytes.subarray(bytes.length - STDERR_TAIL_BYTES)).replace(/^\uFFFD+/, '');
    return `…${tail}`;
  }
  return cut && tail !== '' ? `…\n${tail}` : tail;
}

function detailOf(stderr: Buffer): { detail?: string } {
  const tail = stderrTail(stderr);
  return tail === '' ? {} : { detail: tail };
}

/** Go's names for the signals a hook commonly dies of, so messages read like CPA's (`signal: killed`). */
const SIGNAL_TEXT: Readonly<Record<string, string>> = {
  SIGKILL: 'killed',
  SIGTERM: 'terminated',
  SIGINT: 'interrupt',
  SIGHUP: 'hangup',
  SIGQUIT: 'quit',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
  SIGBUS: 'bus error',
  SIGFPE: 'floating point exception',
  SIGILL: 'illegal instruction',
  SIGPIPE: 'broken pipe',
  SIGALRM: 'alarm clock',
  SIGUSR1: 'user defined signal 1',
  SIGUSR2: 'user defined signal 2',
};

function signalText(signal: string): string {
  return SIGNAL_TEXT[signal] ?? signal;
}

/** `1 MiB`, `64 KiB` or `1000 bytes`. */
export function formatBytes(n: number): string {
  if (n > 0 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n > 0 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
