// Every object of one installation, from the autoscalers' files and resolved targets: a pure function, so
// `deploy -o yaml`, `--dry-run` and the apply all show and send the same objects, in an order that works
// when applied one by one (the ServiceAccount and Roles before the pods that need them).
import { UsageError } from '../errors.ts';
import type { RunMode } from '../config/types.ts';
import type { KubeObject } from '../ports.ts';
import { autoscalerConfigMap, type SourceFile } from './configmap.ts';
import { isDnsLabel, type Installation } from './labels.ts';
import { autoscalerGrants, leaseGrants, roleObjects, type Grant, type TargetResource } from './rbac.ts';
import { deployment, podDisruptionBudget, serviceAccount, type MountedAutoscaler } from './workload.ts';

/** One autoscaler to deploy: its name (the directory's), files and what its rights depend on. */
export interface AutoscalerInput {
  name: string;
  files: readonly SourceFile[];
  target: TargetResource;
  runMode: RunMode;
  /** Grants its metric sources need beyond the cycle's own. */
  extraGrants?: readonly Grant[];
}

/** Everything `deploy` decides. */
export interface DeployInput extends Installation {
  image: string;
  replicas: number;
  version: string;
  autoscalers: readonly AutoscalerInput[];
}

/** Every problem with the input at once; throws UsageError listing them. */
export function validateDeployInput(input: DeployInput): void {
  const problems: string[] = [];
  if (!isDnsLabel(input.name))
    problems.push(`--name: "${input.name}" must be a lowercase DNS label (a-z, 0-9, "-", at most 63)`);
  if (!Number.isSafeInteger(input.replicas) || input.replicas < 1)
    problems.push(`--replicas: ${input.replicas} must be a whole number of at least 1`);
  if (input.image.trim() === '') problems.push('--image: must name an image');
  if (input.autoscalers.length === 0) problems.push('no autoscaler directory given');
  const seen = new Set<string>();
  for (const a of input.autoscalers) {
    if (!isDnsLabel(a.name))
      problems.push(
        `autoscaler "${a.name}": its name (the directory's) must be a lowercase DNS label; rename the directory`,
      );
    if (seen.has(a.name)) problems.push(`autoscaler "${a.name}" is given twice`);
    seen.add(a.name);
  }
  if (problems.length > 0) throw new UsageError(`invalid deploy:\n  - ${problems.join('\n  - ')}`);
}

/** The objects of the installation, in apply order. Throws UsageError/CpaError (ConfigMap too large). */
export function deployManifests(input: DeployInput): KubeObject[] {
  validateDeployInput(input);
  const inst: Installation = { name: input.name, namespace: input.namespace };
  const sorted = [...input.autoscalers].sort((a, b) => a.name.localeCompare(b.name));
  const maps = sorted.map((a) => ({ a, map: autoscalerConfigMap(inst, a.name, a.files) }));
  const mounted: MountedAutoscaler[] = maps.map(({ a, map }) => ({
    name: a.name,
    configMap: map.object.metadata?.name ?? '',
    items: map.items,
    data: [map.object.data, map.object.binaryData],
  }));
  const grants = [
    ...leaseGrants(inst.namespace, inst.name),
    ...sorted.flatMap((a) =>
      autoscalerGrants({ target: a.target, runMode: a.runMode, extra: a.extraGrants }),
    ),
  ];
  return [
    serviceAccount(inst),
    ...roleObjects(inst, grants),
    ...maps.map(({ map }) => map.object),
    deployment(inst, {
      image: input.image,
      replicas: input.replicas,
      version: input.version,
      autoscalers: mounted,
    }),
    podDisruptionBudget(inst),
  ];
}
