// Runs the built dist/kubectl-cpa in the background for reliability tests: writes an autoscaler directory,
// collects stdout/stderr as they come, waits for a line, and reports how and when the process ended.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpaBinary } from '../../support/cpa.ts';

/** A kubectl-cpa process being watched. */
export interface Background {
  readonly child: ChildProcess;
  /** Everything written so far. */
  output(): { stdout: string; stderr: string };
  /** Resolves with the first stderr+stdout line `match` accepts; rejects after `timeoutMs`. */
  waitForLine(match: (line: string) => boolean, timeoutMs: number, what: string): Promise<string>;
  /** Resolves when the process has exited: its code (or signal) and the ms since `since`. */
  exited(): Promise<{ code: number | null; signal: string | null; atMs: number }>;
}

/** Writes `files` (name → text; names ending in .sh are made executable) into a fresh directory. */
export function autoscalerDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cpa-rel-'));
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, name), text, { mode: name.endsWith('.sh') ? 0o755 : 0o644 });
  }
  return dir;
}

/** Every run started and not yet exited, so that a failed test cannot leave one behind (see killRuns). */
const live = new Set<ChildProcess>();

/** SIGKILLs every run still going; call it from `after()` — a timed-out test never reaches its finally. */
export function killRuns(): void {
  for (const child of live) child.kill('SIGKILL');
}

/** Starts `dist/kubectl-cpa ARGS` with `env` added to ours. */
export function startCpa(args: string[], env: Record<string, string> = {}): Background {
  const child = spawn(cpaBinary, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  child.on('exit', () => live.delete(child));
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  const notify = (): void => waiters.forEach((w) => w());
  child.stdout!.on('data', (d: Buffer) => ((stdout += d.toString()), notify()));
  child.stderr!.on('data', (d: Buffer) => ((stderr += d.toString()), notify()));
  const exit = new Promise<{ code: number | null; signal: string | null; atMs: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, atMs: Date.now() })),
  );
  return {
    child,
    output: () => ({ stdout, stderr }),
    waitForLine: (match, timeoutMs, what) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const line = `${stderr}\n${stdout}`.split('\n').find(match);
          if (line === undefined) return;
          cleanup();
          resolve(line);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out after ${timeoutMs}ms waiting for ${what}; stderr:\n${stderr}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        void exit.then(() => {
          check();
          if (waiters.has(check)) {
            cleanup();
            reject(new Error(`kubectl-cpa exited while waiting for ${what}; stderr:\n${stderr}`));
          }
        });
        check();
      }),
    exited: () => exit,
  };
}
