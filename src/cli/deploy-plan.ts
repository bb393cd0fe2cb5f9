// What `deploy` reads before it builds anything: each directory's configuration (validated exactly as `run`
// validates it, so a config that cannot run is never shipped), its target resolved through discovery (the
// plural resource the Role names) and its files. Targets without a namespace go to the installation's
// namespace: that is the namespace the pods run in, so it is what `run` in the pod would choose too.
import type { AutoscalerInput } from '../deploy/manifests.ts';
import { metricRbacRules } from '../autoscaler/k8s-metrics/rbac.ts';
import { CONFIGMAP_MAX_BYTES, tooLargeError, type SourceFile } from '../deploy/configmap.ts';
import { grantsOfRules } from '../deploy/rbac.ts';
import { CpaError } from '../errors.ts';
import type { CpaKubeClient, Deps } from '../ports.ts';
import { loadDirConfig } from '../runner/load.ts';

/** The directory's base name: the autoscaler's name unless its config sets `name`. */
export function dirName(absDir: string): string {
  return absDir.replace(/\/+$/, '').split('/').pop() ?? '';
}

/** Loads, resolves and reads one autoscaler directory. Throws ConfigError/KubeError/CpaError. */
export async function planAutoscaler(
  deps: Pick<Deps, 'files' | 'cwd'>,
  client: Pick<CpaKubeClient, 'resolveTarget'>,
  dir: string,
  homeNamespace: string,
): Promise<AutoscalerInput> {
  // The pod has none of this shell's environment, so none of it may change what is validated here.
  const { config, absDir } = await loadDirConfig(deps, {
    dir,
    configFile: `${dir.replace(/\/+$/, '')}/config.yaml`,
    env: {},
    flags: {},
    targetLookedUp: false,
  });
  if (config.scaleTargetRef === null) throw new CpaError(`autoscaler ${dir} has no scaleTargetRef`);
  const namespace = config.namespace ?? homeNamespace;
  const target = await client.resolveTarget(config.scaleTargetRef, namespace);
  const name = config.name ?? dirName(absDir);
  return {
    name,
    files: await readFiles(deps, absDir, name),
    target: { group: target.group, resource: target.resource, namespace },
    runMode: config.runMode,
    extraGrants: grantsOfRules(metricRbacRules(config.kubernetesMetricSpecs), 'kubernetesMetricSpecs'),
  };
}

/** Every file of the directory; over the ConfigMap limit → an error naming the largest, before reading them. */
async function readFiles(deps: Pick<Deps, 'files'>, absDir: string, name: string): Promise<SourceFile[]> {
  const { listTree, readBytes } = deps.files;
  if (listTree === undefined || readBytes === undefined)
    throw new CpaError('this build cannot read directories (Files.listTree missing)');
  const listed = await listTree(absDir);
  // Paths stand for the keys here (a flattened key is as long, bar a rare `-N`); the ConfigMap check is exact.
  const total = listed.reduce((sum, f) => sum + f.size + f.path.length, 0);
  if (total > CONFIGMAP_MAX_BYTES) throw tooLargeError(name, total, listed);
  return Promise.all(
    listed.map(async (f) => ({
      path: f.path,
      bytes: await readBytes(`${absDir}/${f.path}`, CONFIGMAP_MAX_BYTES),
    })),
  );
}
