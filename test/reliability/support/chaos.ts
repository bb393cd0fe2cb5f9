// Shared by the chaos tests of `kubectl cpa run`: an autoscaler whose evaluation the test steers (and which
// logs every value it returned), a record of every replica count a Deployment took, the JSON log events of
// the run, and the invariant every fault must keep — replicas only ever take the start value or a value the
// evaluator returned, so a failed cycle never scales.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StoreEvent } from '../../../src/sandbox/store/store.ts';
import { autoscalerDir, type Background } from './runner.ts';

/** An autoscaler directory whose evaluate step answers the number in `want`. */
export interface Steered {
  readonly dir: string;
  /** Sets the next evaluations' targetReplicas. */
  want(replicas: number): void;
  /** Every targetReplicas the evaluate step has printed so far. */
  evaluated(): number[];
}

/** Writes an autoscaler for Deployment `name` (interval `intervalMs`); `extra` is appended to config.yaml. */
export function steered(
  name: string,
  options: {
    intervalMs: number;
    start: number;
    namespace?: string;
    extra?: string;
    files?: Record<string, string>;
  },
): Steered {
  const dir = autoscalerDir({
    'config.yaml': `
scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: ${name} }
namespace: ${options.namespace ?? 'default'}
interval: ${options.intervalMs}
minReplicas: 1
maxReplicas: 20
metric: { type: shell, timeout: 5000, shell: { entrypoint: /bin/sh, command: ["-c", "echo 1"] } }
evaluate: { type: shell, timeout: 5000, shell: { entrypoint: /bin/sh, command: ["./evaluate.sh"] } }
${options.extra ?? ''}`,
    // The value is logged before it is printed: a value the run could act on is always in the log.
    'evaluate.sh': `#!/bin/sh\nn=$(cat want)\necho "$n" >> evaluated\nprintf '{"targetReplicas": %s}' "$n"\n`,
    want: String(options.start),
    ...options.files,
  });
  return {
    dir,
    // Written aside and renamed, so that the hook never reads a half-written file.
    want: (replicas) => {
      writeFileSync(join(dir, 'want.tmp'), String(replicas));
      renameSync(join(dir, 'want.tmp'), join(dir, 'want'));
    },
    evaluated: () => {
      const file = join(dir, 'evaluated');
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
    },
  };
}

/** Every spec.replicas a Deployment took, in order, from the sandbox store's change feed. */
export class ReplicaHistory {
  readonly values: number[] = [];
  readonly #name: string;
  #unsubscribe: (() => void) | undefined;

  constructor(name: string) {
    this.#name = name;
  }

  /** Follows `store` (again after a sandbox restart); records the value it holds now when it changed. */
  follow(store: { subscribe(listener: (event: StoreEvent) => void): () => void }): void {
    this.#unsubscribe?.();
    this.#unsubscribe = store.subscribe((event) => {
      if (event.resource !== 'apps/deployments' || event.type === 'DELETED') return;
      const meta = event.object.metadata as { name?: string } | undefined;
      if (meta?.name !== this.#name) return;
      this.push(Number((event.object.spec as { replicas?: number } | undefined)?.replicas ?? 1));
    });
  }

  /** Records a value seen some other way (a watch on a real API server). */
  push(replicas: number): void {
    if (this.values[this.values.length - 1] !== replicas) this.values.push(replicas);
  }

  /** The latest value. */
  get now(): number | undefined {
    return this.values[this.values.length - 1];
  }

  stop(): void {
    this.#unsubscribe?.();
  }
}

/** The JSON log events (`--log-format json`) on the run's stderr so far. */
export function runEvents(run: Background): Record<string, unknown>[] {
  return run
    .output()
    .stderr.split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

/** The messages of the run's failed cycles so far. */
export function cycleErrors(run: Background): string[] {
  return runEvents(run)
    .filter((e) => e.event === 'cycle-error')
    .map((e) => String(e.message));
}

/** Polls `check` every 50 ms until it is true; fails naming `what` (and the run's stderr) after `timeoutMs`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
  run?: Background,
): Promise<void> {
  for (const end = Date.now() + timeoutMs; !(await check());) {
    if (Date.now() > end) {
      const tail =
        run === undefined ? '' : `\nstderr (last 3000 chars):\n${run.output().stderr.slice(-3000)}`;
      assert.fail(`timed out after ${timeoutMs}ms waiting for ${what}${tail}`);
    }
    if (run !== undefined && run.child.exitCode !== null)
      assert.fail(
        `kubectl-cpa exited (${run.child.exitCode}) while waiting for ${what}:\n${run.output().stderr}`,
      );
    await sleep(50);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The invariant of every chaos case: each value the target took is the start value, a value the evaluator
 * returned, or one that `others` (a concurrent writer) wrote — never something a failed cycle made up.
 */
export function assertOnlyEvaluated(
  history: ReplicaHistory,
  steer: Steered,
  start: number,
  others: number[] = [],
): void {
  const allowed = new Set([start, ...steer.evaluated(), ...others]);
  const wrong = history.values.filter((v) => !allowed.has(v));
  assert.deepEqual(
    wrong,
    [],
    `replicas took ${JSON.stringify(history.values)}; allowed ${JSON.stringify([...allowed])}`,
  );
}

/** A kubeconfig whose cluster trusts the CA in `caFile` (read again on every request) and uses `token`. */
export function kubeconfigWithCaFile(file: string, server: string, caFile: string, token: string): string {
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: chaos',
      `clusters: [{name: chaos, cluster: {server: "${server}", certificate-authority: "${caFile}"}}]`,
      `users: [{name: chaos, user: {token: "${token}"}}]`,
      'contexts: [{name: chaos, context: {cluster: chaos, user: chaos, namespace: default}}]',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return file;
}
