// Running the built dist/kubectl-cpa in end-to-end tests: directly, through real kubectl plugin dispatch,
// or in the background (the loop), and reading its JSON log lines.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestCluster } from './cluster.ts';

/** The repository root and the built binary (npm test builds it first). */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const distDir = process.env['KUBECTL_CPA_DIST'] ?? join(repoRoot, 'dist');
export const cpaBinary = join(distDir, 'kubectl-cpa');

export interface CpaResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface CpaOptions {
  kubeconfig: string;
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** Runs `kubectl cpa ARGS` through the real kubectl built for the tests, with dist/ on PATH. */
export function kubectlCpa(cluster: TestCluster, args: string[], options: CpaOptions): Promise<CpaResult> {
  return run(join(cluster.binDir, 'kubectl'), ['cpa', ...args], options, cluster.binDir);
}

/** Runs dist/kubectl-cpa ARGS directly. */
export function cpa(cluster: TestCluster, args: string[], options: CpaOptions): Promise<CpaResult> {
  return run(cpaBinary, args, options, cluster.binDir);
}

function env(options: CpaOptions, binDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${distDir}:${binDir}:${process.env['PATH'] ?? ''}`,
    KUBECONFIG: options.kubeconfig,
    ...options.env,
  };
}

function run(file: string, args: string[], options: CpaOptions, binDir: string): Promise<CpaResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd ?? repoRoot,
      env: env(options, binDir),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, exitCode: code ?? 124 });
    });
  });
}

/** A `kubectl cpa run` loop in the background; `stderr` grows as it logs. */
export interface BackgroundCpa {
  readonly stderr: () => string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number>;
}

/** Starts dist/kubectl-cpa ARGS in the background. */
export function startCpa(cluster: TestCluster, args: string[], options: CpaOptions): BackgroundCpa {
  const child = spawn(cpaBinary, args, {
    cwd: options.cwd ?? repoRoot,
    env: env(options, cluster.binDir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 124)));
  return {
    stderr: () => stderr,
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** The JSON log events (`--log-format json`) of a stderr text, ignoring other lines. */
export function jsonEvents(stderr: string): Record<string, unknown>[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Copies an example (or any directory) to a fresh temporary directory; returns it and a cleanup. */
export function copyProject(source: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'cpa-e2e-'));
  cpSync(source, dir, { recursive: true });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A v2 project whose metric and evaluate steps are shell one-liners (no python needed). */
export function shellProject(config: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'cpa-e2e-'));
  writeFileSync(join(dir, 'config.yaml'), config);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
