// Process plumbing for the test control plane: free loopback ports, children that log to a file and die
// with their parent, and stopping by pid when the process is not our child (cluster:down).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A spawned component: its handle (only in the process that spawned it) and its log file. */
export interface Component {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logFile: string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  readonly exited: Promise<string>;
}

/** Returns a TCP port on 127.0.0.1 that was free a moment ago (bind :0, read, close). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

// setpriv (util-linux) sets PR_SET_PDEATHSIG before exec: the kernel sends SIGTERM to the component when
// the process that spawned it dies, even by SIGKILL, so a crashed test run leaves no stray apiserver.
const PDEATHSIG = existsSync('/usr/bin/setpriv') ? ['/usr/bin/setpriv', '--pdeathsig', 'TERM', '--'] : [];

/** Starts `binary args` with stdout and stderr appended to `logFile`; the child dies with this process. */
export function spawnLogged(name: string, binary: string, args: string[], logFile: string): Component {
  const fd = openSync(logFile, 'a');
  const argv = [...PDEATHSIG, binary, ...args];
  const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ?? String(code)));
    child.once('error', (err) => resolve(`spawn error: ${err.message}`));
  });
  return { name, child, logFile, exited };
}

/** True while `pid` exists and is not a zombie (a zombie has exited; only its parent has not reaped it). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // The state letter follows the parenthesised command name, which itself may contain spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The command line of `pid` joined by spaces, or '' when it is gone. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** Sends SIGTERM, waits up to `graceMs`, then SIGKILL; resolves once the component has exited. */
export async function stopComponent(component: Component, graceMs: number): Promise<void> {
  if (component.child.exitCode !== null || component.child.signalCode !== null) return;
  component.child.kill('SIGTERM');
  const timer = sleep(graceMs).then(() => 'timeout');
  if ((await Promise.race([component.exited, timer])) === 'timeout') {
    component.child.kill('SIGKILL');
    await component.exited;
  }
}

/** Like stopComponent for a process that is not our child: polls /proc instead of waiting for 'exit'. */
export async function stopPid(pid: number, graceMs: number): Promise<void> {
  if (!isAlive(pid)) return;
  signal(pid, 'SIGTERM');
  if (await waitGone(pid, graceMs)) return;
  signal(pid, 'SIGKILL');
  await waitGone(pid, 5000);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone between the check and the signal.
  }
}

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(100)) {
    if (!isAlive(pid)) return true;
  }
  return !isAlive(pid);
}

/** The last `lines` lines of a text file ('' when it does not exist), for error messages. */
export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Polls `check` until it returns true; fails early with the log tail when the component exits. */
export async function waitUntil(
  component: Component,
  timeoutMs: number,
  check: () => Promise<boolean>,
): Promise<void> {
  let lastError = '';
  for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(250)) {
    const { exitCode, signalCode } = component.child;
    if (exitCode !== null || signalCode !== null) {
      throw new Error(
        `${component.name} exited (${signalCode ?? exitCode}) during start-up; last log lines:\n${tail(component.logFile)}`,
      );
    }
    try {
      if (await check()) return;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
  }
  throw new Error(
    `${component.name} not ready after ${timeoutMs}ms (last error: ${lastError || 'none'}); last log lines:\n${tail(component.logFile)}`,
  );
}
