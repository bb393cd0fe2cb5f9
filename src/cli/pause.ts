// `kubectl cpa pause NAME [--replicas N]` and `kubectl cpa resume NAME`: set or remove the pause annotations
// on the target (what `kubectl annotate` can do too). Nothing is deleted: the runner keeps running, runs no
// hook while paused, and picks the annotations up at its next cycle.
import type { Command } from 'commander';
import { pausePatch } from '../autoscaler/pause.ts';
import type { ScaleTargetRef } from '../config/types.ts';
import { CpaError, UsageError } from '../errors.ts';
import { groupVersionPath } from '../kube/discovery.ts';
import { parseTargetFlag, TARGET_FORMS } from '../kube/target-flag.ts';
import type { CpaKubeClient, Deps, KubeObject } from '../ports.ts';
import { listAll, WORKLOAD_KINDS } from '../status/collect.ts';
import { readRecord } from '../status/decode.ts';
import { isCopiedRecord } from '../status/items.ts';
import { STATUS_ANNOTATION } from '../status/schema.ts';
import { addKubeFlags, kubeOptions, type KubeFlags } from './kube-flags.ts';
import type { CommandState } from './state.ts';

interface PauseFlags extends KubeFlags {
  replicas?: string;
}

const NAME_HELP = "autoscaler name (as `kubectl cpa status` shows it), its target's name, or TYPE/NAME";

/** Registers `pause` and `resume`. */
export function registerPause(program: Command, deps: Deps, state: CommandState): void {
  const pause = program
    .command('pause')
    .description("Hold an autoscaler's target where it is (or at --replicas) until `resume`; deletes nothing")
    .argument('<NAME>', NAME_HELP);
  addKubeFlags(pause, { namespace: 'namespace of the target (default: the kubeconfig context namespace)' })
    .option('--replicas <N>', 'scale to N replicas and hold there (kubectl-cpa.io/paused-replicas)')
    .addHelpText(
      'after',
      '\nSets kubectl-cpa.io/paused: "true" (and kubectl-cpa.io/paused-replicas: "N" with --replicas) on the\n' +
        'target; `kubectl annotate` does the same. While paused the runner runs no hook.\n\nExamples:\n' +
        '  kubectl cpa pause my-autoscaler -n team-a\n  kubectl cpa pause deployment/web --replicas 3\n',
    )
    .action(async (name: string, flags: PauseFlags) => {
      const replicas = replicasFlag(flags.replicas);
      state.exitCode = await annotate(
        deps,
        name,
        flags,
        pausePatch(replicas === undefined ? {} : { replicas }),
      );
    });
  const resume = program
    .command('resume')
    .description('End a pause: the autoscaler decides again from its next cycle')
    .argument('<NAME>', NAME_HELP);
  addKubeFlags(resume, {
    namespace: 'namespace of the target (default: the kubeconfig context namespace)',
  }).action(async (name: string, flags: KubeFlags) => {
    state.exitCode = await annotate(deps, name, flags, pausePatch(null));
  });
}

function replicasFlag(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{1,9}$/.test(raw.trim())) {
    throw new UsageError(`invalid --replicas "${raw}": must be a non-negative integer`);
  }
  return Number(raw.trim());
}

/** Resolves NAME, patches the annotations and says what happened, kubectl-style. */
async function annotate(
  deps: Deps,
  name: string,
  flags: KubeFlags,
  patch: Record<string, string | null>,
): Promise<number> {
  const kube = await deps.connectKube(kubeOptions(flags));
  try {
    const namespace = flags.namespace ?? kube.namespace;
    const ref = await findTarget(kube.client, name, namespace);
    const resolved = await kube.client.resolveTarget(ref, namespace);
    await kube.client.request({
      method: 'PATCH',
      path: `${groupVersionPath(resolved)}/namespaces/${encodeURIComponent(namespace)}/${resolved.resource}/${encodeURIComponent(ref.name)}`,
      body: { metadata: { annotations: patch } },
      contentType: 'application/merge-patch+json',
      call: { verb: 'patch', group: resolved.group, resource: resolved.resource, namespace, name: ref.name },
    });
    const what = Object.values(patch).every((v) => v === null)
      ? 'resumed'
      : patch['kubectl-cpa.io/paused-replicas'] === null
        ? 'paused (holding its replicas)'
        : `paused at ${patch['kubectl-cpa.io/paused-replicas']} replicas`;
    const group = resolved.group === '' ? '' : `.${resolved.group}`;
    deps.out.write(`${resolved.kind.toLowerCase()}${group}/${ref.name} ${what}\n`);
    return 0;
  } finally {
    kube.client.close();
  }
}

/** TYPE/NAME as `--target` reads it; otherwise the workload recorded under that autoscaler or target name. */
async function findTarget(client: CpaKubeClient, name: string, namespace: string): Promise<ScaleTargetRef> {
  if (name.includes('/')) {
    const parsed = parseTargetFlag(name);
    if (parsed.form === 'ref') return parsed.ref;
    const found = await client.lookupResource(parsed.resource, {
      group: parsed.group,
      version: parsed.version,
    });
    return { apiVersion: found.apiVersion, kind: found.kind, name: parsed.name };
  }
  const matches: KubeObject[] = [];
  for (const kind of WORKLOAD_KINDS) {
    const objects = await listAll(client.request, { ...kind, namespace });
    matches.push(...objects.filter((o) => recordedAs(o, name)));
  }
  const [only, ...more] = matches;
  if (only === undefined) {
    throw new CpaError(`no autoscaler named "${name}" found in namespace "${namespace}"`, {
      hint: `list them with \`kubectl cpa status\`, or name the target as ${TARGET_FORMS}`,
    });
  }
  if (more.length > 0) {
    const names = matches.map((o) => `${o.kind?.toLowerCase()}/${o.metadata?.name}`).join(', ');
    throw new CpaError(`"${name}" names ${matches.length} targets (${names})`, {
      hint: 'name one as TYPE/NAME, e.g. deployment/web',
    });
  }
  return { apiVersion: only.apiVersion ?? '', kind: only.kind ?? '', name: only.metadata?.name ?? '' };
}

/** True for a workload carrying a status record of autoscaler `name`, or a record on a workload called `name`. */
function recordedAs(object: KubeObject, name: string): boolean {
  const text = (object.metadata?.annotations as Record<string, string> | undefined)?.[STATUS_ANNOTATION];
  // A Deployment's ReplicaSets carry copies of its annotations: the record is the Deployment's.
  if (text === undefined || isCopiedRecord(object)) return false;
  return object.metadata?.name === name || readRecord(text).record?.name === name;
}
