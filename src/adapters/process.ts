// The real ProcessRunner: starts a shell method's entrypoint with execa and owns its whole process group, so a
// hook that forks (`sh -c 'sleep 100 & wait'`, a Python script with workers) cannot outlive its call.
// execa is used lean. With its defaults (issue 11) it cost 21–23 ms of CPU per cycle against 14–15 ms for
// plain child_process.spawn (two hook calls a cycle, same run): signal-exit's handlers for a dozen signals
// installed and removed around every call, output gathered through async iterators, stdin fed from a stream.
// So: detached with cleanup off (one exit handler of ours kills the groups still running), buffer off (chunks
// collected here), stdin written here, the environment prepared once (extendEnv off), and our own timer,
// abort and group kill. That brings it to 17–18 ms; the rest is execa's fixed per-call work (a promise race,
// a finished() wait and an AbortController per stdio stream, option normalisation). Windows: see
// process-platform.ts.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { execa, execaSync } from 'execa';
import type { ProcessOutcome, ProcessRunner, ProcessSpec } from '../ports.ts';
import {
  invocationFor,
  isCommandName,
  killsAfterExit,
  spawnsDetached,
  treeKillFor,
} from './process-platform.ts';

const PLATFORM = process.platform;

/**
 * After the group was killed, how long to wait for stdout/stderr to close before giving up on them. Only a
 * process that left the group (setsid) can hold a pipe that long; the call must still end.
 */
const STDIO_GRACE_MS = 2_000;

type Ended = 'timeout' | 'aborted' | 'stdout' | 'stderr';

/** Runs one process (no shell) with the payload on stdin; kills its process group when it ends. Never rejects. */
export const runProcess: ProcessRunner = (spec) => {
  if (spec.file === '') {
    return Promise.resolve({
      kind: 'start-failed',
      message: 'no command: entrypoint is empty',
      durationMs: 0,
    });
  }
  if (spec.signal?.aborted) return Promise.resolve({ kind: 'aborted', durationMs: 0 });
  return new Promise((settle) => new Call(spec, settle).start());
};

/** Calls in flight (pid → env, where Windows finds taskkill), killed if kubectl-cpa exits while a hook runs. */
const running = new Map<number, ProcessSpec['env']>();
let exitHookInstalled = false;

/**
 * Stops the hook's tree: kill(-pid) on POSIX; taskkill /T /F on Windows (synchronously when exiting), and the
 * hook alone when taskkill fails — Wine's taskkill, for one, has no /T.
 */
function killTree(pid: number | undefined, env: ProcessSpec['env'], exiting = false): void {
  if (pid === undefined) return;
  const plan = treeKillFor(PLATFORM, pid, env);
  if (plan.kind === 'group') {
    // detached spawn made the child a group leader, so -pid reaches every process left in its group.
    return void signal(plan.pid);
  }
  if (exiting) {
    if (execaSync(plan.file, plan.args, { reject: false, stdio: 'ignore' }).failed) signal(pid);
    return;
  }
  void execa(plan.file, plan.args, { reject: false, stdio: 'ignore', cleanup: false }).then((result) => {
    if (result.failed) signal(pid);
  });
}

function signal(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // ESRCH: the group (or process) is gone already
  }
}

/** One run of one process: collects its output within the bound and settles once, when its stdio closed. */
class Call {
  readonly #spec: ProcessSpec;
  readonly #settle: (outcome: ProcessOutcome) => void;
  readonly #started = performance.now();
  readonly #out: Buffer[] = [];
  readonly #err: Buffer[] = [];
  #outBytes = 0;
  #errBytes = 0;
  #ended: Ended | undefined;
  #overLimit: 'stdout' | 'stderr' | undefined;
  #child: Subprocess | undefined;
  #timeoutTimer: NodeJS.Timeout | undefined;
  #graceTimer: NodeJS.Timeout | undefined;

  constructor(spec: ProcessSpec, settle: (outcome: ProcessOutcome) => void) {
    this.#spec = spec;
    this.#settle = settle;
  }

  start(): void {
    const spec = this.#spec;
    const subprocess = startHook(spec);
    this.#child = subprocess;
    const pid = subprocess.pid;
    if (pid !== undefined) running.set(pid, spec.env);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.once('exit', () => running.forEach((env, pid) => killTree(pid, env, true)));
    }
    // execa settles (reject: false) once the child exited and its stdio closed: that is the end of the call.
    subprocess.then(
      (result) => this.#finish(result),
      (error: unknown) => this.#finish({ internal: error instanceof Error ? error.message : String(error) }),
    );
    subprocess.stdout.on('data', (chunk: Buffer) => this.#collect('stdout', chunk));
    subprocess.stderr.on('data', (chunk: Buffer) => this.#collect('stderr', chunk));
    // A hook that exits without reading its stdin closes the pipe: EPIPE is its choice, not a failure.
    subprocess.stdin.on('error', () => undefined);
    subprocess.stdin.end(spec.stdin);
    // The timer runs until stdio closes, not until the child exits: a grandchild holding stdout open is a hang too.
    this.#timeoutTimer = setTimeout(() => this.#end('timeout'), Math.max(0, spec.timeoutMs));
    spec.signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  readonly #onAbort = (): void => this.#end('aborted');

  #collect(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    // Only the stream over the limit stops being kept: the other one (stderr, usually) is what explains the
    // failure, and libuv may deliver it after the flood on the first, even when it was written before.
    if (this.#overLimit === stream) return;
    const bytes = stream === 'stdout' ? (this.#outBytes += chunk.length) : (this.#errBytes += chunk.length);
    if (bytes > this.#spec.maxOutputBytes) {
      this.#overLimit ??= stream;
      this.#end(stream);
      return;
    }
    (stream === 'stdout' ? this.#out : this.#err).push(chunk);
  }

  /** Kills the group once; the call still settles only when stdio closed (or the grace ran out). */
  #end(why: Ended): void {
    if (this.#ended !== undefined) return;
    this.#ended = why;
    killTree(this.#child?.pid, this.#spec.env);
    this.#graceTimer = setTimeout(() => {
      this.#child?.stdout.destroy();
      this.#child?.stderr.destroy();
    }, STDIO_GRACE_MS);
  }

  #finish(result: Finished | Internal): void {
    clearTimeout(this.#timeoutTimer);
    clearTimeout(this.#graceTimer);
    this.#spec.signal?.removeEventListener('abort', this.#onAbort);
    const pid = this.#child?.pid;
    // However the hook ended (success included), what it left in its group dies with it: a daemonised
    // `(sleep 1000 &)` must not outlive the cycle or kubectl-cpa. The leader's pid stays reserved as the
    // group id while any member lives, so this cannot reach an unrelated group; an empty group is a no-op.
    // Windows has no groups: its pid may be reused once the hook exited, and taskkill /T finds no orphans.
    if (killsAfterExit(PLATFORM)) killTree(pid, this.#spec.env);
    if (pid !== undefined) running.delete(pid);
    this.#settle(this.#outcome(result));
  }

  #outcome(result: Finished | Internal): ProcessOutcome {
    const durationMs = Math.round(performance.now() - this.#started);
    const stdout = Buffer.concat(this.#out);
    const stderr = Buffer.concat(this.#err);
    const ended = this.#ended;
    if (ended === 'stdout' || ended === 'stderr') {
      return {
        kind: 'output-limit',
        stream: ended,
        limitBytes: this.#spec.maxOutputBytes,
        stderr,
        durationMs,
      };
    }
    if (ended === 'aborted') return { kind: 'aborted', durationMs };
    if (ended === 'timeout') return { kind: 'timeout', stdout, stderr, durationMs };
    if ('internal' in result) {
      // execa with reject: false settles with a result; this is only reached on an internal bug.
      return {
        kind: 'start-failed',
        message: `failed to run "${this.#spec.file}": ${result.internal}`,
        durationMs,
      };
    }
    if (typeof result.exitCode === 'number') {
      return { kind: 'exited', exitCode: result.exitCode, stdout, stderr, durationMs };
    }
    if (result.signal !== undefined)
      return { kind: 'signaled', signal: result.signal, stdout, stderr, durationMs };
    const code = 'code' in result && typeof result.code === 'string' ? result.code : undefined;
    const detail = (result.originalMessage ?? result.message ?? '').split('\n')[0] ?? '';
    return { kind: 'start-failed', message: startFailure(this.#spec, code, detail), durationMs };
  }
}

/** Starts the child: no shell, exact env, raw bytes, nothing buffered or timed by execa (see the top). */
function startHook(spec: ProcessSpec) {
  const { file, args, verbatim } = invocationFor(PLATFORM, spec.file, spec.args, spec.env);
  return execa(file, args, {
    cwd: spec.cwd,
    env: envOf(spec.env),
    extendEnv: false,
    // POSIX: its own group, killed with kill(-pid) here. cleanup off: no signal-exit registration per call.
    detached: spawnsDetached(PLATFORM),
    cleanup: false,
    windowsVerbatimArguments: verbatim,
    buffer: false,
    encoding: 'buffer',
    stripFinalNewline: false,
    reject: false,
    forceKillAfterDelay: false,
  });
}

type Subprocess = ReturnType<typeof startHook>;
type Finished = Awaited<Subprocess>;
/** A rejection of execa's promise, which reject: false leaves to bugs. */
type Internal = { internal: string };

/** The child's environment: undefined values left out. Computed once per env object, not once per call. */
const envs = new WeakMap<object, Record<string, string>>();

function envOf(env: ProcessSpec['env']): Record<string, string> {
  let out = envs.get(env);
  if (out === undefined) {
    out = {};
    for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
    envs.set(env, out);
  }
  return out;
}

/** Names the real reason a spawn failed; ENOENT alone is ambiguous (missing file, missing cwd, bad #! line). */
function startFailure(spec: ProcessSpec, code: string | undefined, detail: string): string {
  const file = spec.file;
  if (code === 'ENOENT') {
    if (!isDirectory(spec.cwd)) return `working directory "${spec.cwd}" does not exist or is not a directory`;
    if (isCommandName(PLATFORM, file)) return `executable "${file}" not found in PATH`;
    if (!exists(resolve(spec.cwd, file))) return `executable "${file}" not found`;
    return `cannot run "${file}": the interpreter named in its #! line was not found`;
  }
  if (code === 'EACCES') return `executable "${file}" is not executable (permission denied)`;
  return `failed to start "${file}": ${code ?? 'unknown error'}${detail ? ` (${detail})` : ''}`;
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
