// The real ProcessRunner: starts a shell method's entrypoint with execa and owns its whole process group,
// so a hook that forks (`sh -c 'sleep 100 & wait'`, a Python script with workers) cannot outlive its call.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { execa, type Result } from 'execa';
import type { ProcessOutcome, ProcessRunner, ProcessSpec } from '../ports.ts';

/**
 * After the group was killed, how long to wait for stdout/stderr to close before giving up on them. Only a
 * process that left the group (setsid) can hold a pipe that long; the call must still end.
 */
const STDIO_GRACE_MS = 2_000;

type Ended = 'timeout' | 'aborted';

/** Runs one process (no shell) with the payload on stdin; kills its process group when it ends. Never rejects. */
export const runProcess: ProcessRunner = async (spec) => {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  if (spec.file === '') {
    return { kind: 'start-failed', message: 'no command: entrypoint is empty', durationMs: 0 };
  }
  if (spec.signal?.aborted) return { kind: 'aborted', durationMs: 0 };

  const stop = new AbortController();
  let ended: Ended | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  const subprocess = execa(spec.file, spec.args, optionsFor(spec, stop.signal));
  const end = (why: Ended): void => {
    ended ??= why;
    stop.abort();
    graceTimer ??= setTimeout(() => {
      subprocess.stdout?.destroy();
      subprocess.stderr?.destroy();
    }, STDIO_GRACE_MS);
  };
  // The timer runs until stdio closes, not until the child exits: a grandchild holding stdout open is a hang too.
  const timeoutTimer = setTimeout(() => end('timeout'), Math.max(0, spec.timeoutMs));
  const onAbort = (): void => end('aborted');
  spec.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await subprocess;
    return classify(result, spec, ended, elapsed());
  } catch (error) {
    // execa with reject:false settles with a result; this is only reached on an internal bug.
    return {
      kind: 'start-failed',
      message: `failed to run "${spec.file}": ${messageOf(error)}`,
      durationMs: elapsed(),
    };
  } finally {
    clearTimeout(timeoutTimer);
    clearTimeout(graceTimer);
    spec.signal?.removeEventListener('abort', onAbort);
    // However the hook ended (success included), what it left in its group dies with it: a daemonised
    // `(sleep 1000 &)` must not outlive the cycle or kubectl-cpa. The leader's pid stays reserved as the
    // group id while any member lives, so this cannot reach an unrelated group; an empty group is a no-op.
    subprocess.kill('SIGKILL');
  }
};

/** execa options for one spec: no shell, exact env, stdin then EOF, raw bytes, the group killed with SIGKILL. */
function optionsFor(spec: ProcessSpec, cancelSignal: AbortSignal) {
  return {
    cwd: spec.cwd,
    env: definedOnly(spec.env),
    extendEnv: false,
    input: spec.stdin,
    encoding: 'buffer',
    stripFinalNewline: false,
    maxBuffer: spec.maxOutputBytes,
    reject: false,
    // detached spawn + kill(-pid): every kill below reaches the whole group, not just the direct child.
    killDescendants: true,
    killSignal: 'SIGKILL',
    forceKillAfterDelay: false,
    cancelSignal,
  } as const;
}

type Finished = Result<ReturnType<typeof optionsFor>>;

/** Maps execa's result fields onto the one outcome the hooks layer understands. */
function classify(
  result: Finished,
  spec: ProcessSpec,
  ended: Ended | undefined,
  durationMs: number,
): ProcessOutcome {
  const stdout = toBuffer(result.stdout);
  const stderr = toBuffer(result.stderr);
  if (result.isMaxBuffer) {
    const stream = /\bstderr was larger\b/.test(result.message ?? '') ? 'stderr' : 'stdout';
    return { kind: 'output-limit', stream, limitBytes: spec.maxOutputBytes, stderr, durationMs };
  }
  if (result.isCanceled && ended === 'aborted') return { kind: 'aborted', durationMs };
  if (result.isCanceled) return { kind: 'timeout', stdout, stderr, durationMs };
  if (typeof result.exitCode === 'number') {
    return { kind: 'exited', exitCode: result.exitCode, stdout, stderr, durationMs };
  }
  if (result.signal !== undefined)
    return { kind: 'signaled', signal: result.signal, stdout, stderr, durationMs };
  const code = 'code' in result && typeof result.code === 'string' ? result.code : undefined;
  return { kind: 'start-failed', message: startFailure(spec, code, result), durationMs };
}

/** Names the real reason a spawn failed; ENOENT alone is ambiguous (missing file, missing cwd, bad #! line). */
function startFailure(spec: ProcessSpec, code: string | undefined, result: Finished): string {
  const file = spec.file;
  if (code === 'ENOENT') {
    if (!isDirectory(spec.cwd)) return `working directory "${spec.cwd}" does not exist or is not a directory`;
    if (!file.includes('/')) return `executable "${file}" not found in PATH`;
    if (!exists(resolve(spec.cwd, file))) return `executable "${file}" not found`;
    return `cannot run "${file}": the interpreter named in its #! line was not found`;
  }
  if (code === 'EACCES') return `executable "${file}" is not executable (permission denied)`;
  const detail = (result.originalMessage ?? result.message ?? '').split('\n')[0];
  return `failed to start "${file}": ${code ?? 'unknown error'}${detail ? ` (${detail})` : ''}`;
}

function toBuffer(data: unknown): Buffer {
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.alloc(0);
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
