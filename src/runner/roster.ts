// Which autoscalers one process runs, and under which names: the directories of `run --all PARENT`, each
// autoscaler's name (`--name`, the config's `name`, else its directory's base name), and the rule that
// two of them may share neither a name nor a target, checked before anything runs.
import { UsageError } from '../errors.ts';
import type { Deps } from '../ports.ts';
import { autoscalerName } from '../status/record.ts';
import type { PreparedRun } from './prepare.ts';

/** A prepared autoscaler under its name. */
export interface NamedRun {
  name: string;
  prepared: PreparedRun;
}

/** The subdirectories of `parent` that hold a config.yaml, sorted by name; a UsageError when there are none. */
export async function findAutoscalerDirs(deps: Pick<Deps, 'files'>, parent: string): Promise<string[]> {
  const listDirs = deps.files.listDirs;
  const names = listDirs === undefined ? null : await listDirs(parent);
  if (names === null) throw new UsageError(`--all: "${parent}" is not a directory`);
  const base = parent.endsWith('/') ? parent : `${parent}/`;
  const dirs: string[] = [];
  for (const name of names) {
    if (await deps.files.exists(`${base}${name}/config.yaml`)) dirs.push(`${base}${name}`);
  }
  if (dirs.length === 0)
    throw new UsageError(`--all: no subdirectory of "${parent}" holds a config.yaml`, {
      hint: 'each autoscaler is a directory PARENT/NAME with its config.yaml and scripts',
    });
  return dirs;
}

/** Names each prepared run: `flagName` (one autoscaler only), else the config's `name`, else the directory's. */
export function nameRuns(prepared: readonly PreparedRun[], flagName?: string): NamedRun[] {
  return prepared.map((p) => ({
    name: flagName ?? p.config.name ?? autoscalerName(p.dir, p.target),
    prepared: p,
  }));
}

/** `apps/Deployment/ns/web`: what makes two targets the same object (the version does not). */
function targetKey(p: PreparedRun): string {
  const group = p.target.apiVersion.includes('/') ? p.target.apiVersion.split('/')[0] : '';
  return `${group}/${p.target.kind}/${p.namespace}/${p.target.name}`;
}

/** Every clash of names or targets among `runs`, in words naming both directories; empty when none. */
export function rosterProblems(runs: readonly NamedRun[]): string[] {
  const problems: string[] = [];
  const byName = new Map<string, NamedRun>();
  const byTarget = new Map<string, NamedRun>();
  for (const run of runs) {
    const sameName = byName.get(run.name);
    if (sameName !== undefined)
      problems.push(
        `${run.prepared.dir} and ${sameName.prepared.dir} are both named "${run.name}"; set a distinct "name" in one config.yaml`,
      );
    else byName.set(run.name, run);
    const key = targetKey(run.prepared);
    const sameTarget = byTarget.get(key);
    const t = run.prepared.target;
    if (sameTarget !== undefined)
      problems.push(
        `"${run.name}" and "${sameTarget.name}" both scale ${t.kind.toLowerCase()}/${run.prepared.namespace}/${t.name}; one target has one autoscaler`,
      );
    else byTarget.set(key, run);
  }
  return problems;
}

/** Throws one UsageError listing every clash (before anything runs). */
export function checkRoster(runs: readonly NamedRun[]): void {
  const problems = rosterProblems(runs);
  if (problems.length > 0)
    throw new UsageError(`cannot run these autoscalers together:\n  - ${problems.join('\n  - ')}`);
}
