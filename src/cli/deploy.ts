// `kubectl cpa deploy DIR…` and `kubectl cpa undeploy NAME`: flags → read and resolve the autoscalers →
// the installation's objects (src/deploy/, pure) → print them, or server-side apply them one by one.
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { applyObject, deleteObject, findInstallation, objectRef } from '../deploy/apply.ts';
import {
  validateDeployFlags,
  validateUndeployFlags,
  type DeployFlags,
  type RawDeployFlags,
} from '../deploy/flags.ts';
import { deployManifests } from '../deploy/manifests.ts';
import { KUBECTL_CPA_IMAGE } from '../init/dockerfile.ts';
import type { Deps, KubeObject } from '../ports.ts';
import { planAutoscaler } from './deploy-plan.ts';
import { addKubeFlags, kubeOptions } from './kube-flags.ts';
import type { CommandState } from './state.ts';

/** The image `deploy` runs unless --image says otherwise: this version's release (`npm run image`). */
export function defaultImage(version: string): string {
  return `${KUBECTL_CPA_IMAGE}:${version}`;
}

const DEPLOY_HELP = `
Creates, in the namespace (-n, default the context's): a ConfigMap per autoscaler with its directory's files,
a ServiceAccount, a Role and RoleBinding per namespace with exactly the rights its autoscalers use, a
Deployment running "kubectl-cpa run --all /etc/kubectl-cpa --leader-elect" (one replica leads, the others
stand by), and a PodDisruptionBudget. Applying again updates them (server-side apply, field manager
kubectl-cpa). Targets without a namespace in their config are in the installation's namespace.

Examples:
  kubectl cpa deploy ./web-autoscaler ./queue-autoscaler -n autoscalers
  kubectl cpa deploy ./web-autoscaler --image registry.example/cpa-python:1 -o yaml > cpa.yaml
  kubectl cpa deploy ./web-autoscaler --dry-run=server
  kubectl cpa undeploy -n autoscalers
`;

/** Registers `deploy DIR…` and `undeploy [NAME]`. */
export function registerDeploy(program: Command, deps: Deps, state: CommandState): void {
  const deploy = program
    .command('deploy')
    .description('Run autoscalers inside the cluster: leader-elected replicas of kubectl-cpa')
    .argument('<DIR...>', 'autoscaler directories (config.yaml and hooks), one ConfigMap each');
  addKubeFlags(deploy, { namespace: 'namespace of the installation (default: the context namespace)' })
    .option('--image <IMAGE>', 'image with kubectl-cpa (and your hooks runtime) in it')
    .option('--replicas <N>', 'pods; one leads, the others stand by', '2')
    .option('--name <NAME>', 'name of the installation (Deployment, ServiceAccount, Lease)', 'kubectl-cpa')
    .option('-o, --output <FORMAT>', 'print the objects (yaml or json) instead of applying them')
    .option('--dry-run [MODE]', 'client: print only; server: the API server validates, stores nothing')
    .addHelpText('after', DEPLOY_HELP)
    .action(async (dirs: string[], raw: RawDeployFlags) => {
      state.exitCode = await runDeploy(deps, validateDeployFlags(dirs, raw));
    });
  const undeploy = program
    .command('undeploy')
    .description('Remove what "kubectl cpa deploy" created (found by its labels)')
    .argument('[NAME]', 'name of the installation', 'kubectl-cpa');
  addKubeFlags(undeploy, { namespace: 'namespace of the installation (default: the context namespace)' })
    .option(
      '--dry-run [MODE]',
      'client: list only; server: the API server checks the deletes, removes nothing',
    )
    .action(async (name: string, raw: RawDeployFlags) => {
      state.exitCode = await runUndeploy(deps, validateUndeployFlags(name, raw));
    });
}

function printObjects(deps: Deps, objects: readonly KubeObject[], format: 'yaml' | 'json'): void {
  if (format === 'json') {
    const list = { apiVersion: 'v1', kind: 'List', items: objects };
    deps.out.write(`${JSON.stringify(list, null, 2)}\n`);
    return;
  }
  deps.out.write(objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n'));
}

/** The whole `deploy`; returns the exit code. */
async function runDeploy(deps: Deps, flags: DeployFlags): Promise<number> {
  const kube = await deps.connectKube(kubeOptions(flags));
  try {
    const namespace = flags.namespace ?? kube.namespace;
    const autoscalers = [];
    for (const dir of flags.dirs) autoscalers.push(await planAutoscaler(deps, kube.client, dir, namespace));
    const objects = deployManifests({
      name: flags.name,
      namespace,
      image: flags.image ?? defaultImage(deps.version),
      replicas: flags.replicas,
      version: deps.version,
      autoscalers,
    });
    // `-o` alone prints what would be applied, for `kubectl apply -f` or GitOps; nothing is sent.
    if (flags.dryRun === 'client' || (flags.output !== undefined && flags.dryRun === 'none')) {
      if (flags.output) printObjects(deps, objects, flags.output);
      else for (const o of objects) deps.out.write(`${objectRef(o)} serverside-applied (dry run)\n`);
      return 0;
    }
    const applied: KubeObject[] = [];
    for (const object of objects) {
      applied.push(await applyObject(kube.client.request, object, { dryRun: flags.dryRun === 'server' }));
      if (!flags.output) {
        const suffix = flags.dryRun === 'server' ? ' (server dry run)' : '';
        deps.out.write(`${objectRef(object)} serverside-applied${suffix}\n`);
      }
    }
    if (flags.output) printObjects(deps, applied, flags.output);
    return 0;
  } finally {
    kube.client.close();
  }
}

/** The whole `undeploy`; returns the exit code. */
async function runUndeploy(deps: Deps, flags: ReturnType<typeof validateUndeployFlags>): Promise<number> {
  const kube = await deps.connectKube(kubeOptions(flags));
  try {
    const inst = { name: flags.name, namespace: flags.namespace ?? kube.namespace };
    const { found, warnings } = await findInstallation(kube.client.request, inst);
    for (const w of warnings) deps.err.write(`warning: ${w}\n`);
    if (found.length === 0) {
      deps.err.write(`no objects of installation "${inst.name}" in namespace "${inst.namespace}"\n`);
      return 0;
    }
    for (const object of found) {
      if (flags.dryRun !== 'client')
        await deleteObject(kube.client.request, object, flags.dryRun === 'server');
      const ref =
        object.group === '' ? object.kind.toLowerCase() : `${object.kind.toLowerCase()}.${object.group}`;
      const where = object.namespace === inst.namespace ? '' : ` (namespace ${object.namespace})`;
      const suffix =
        flags.dryRun === 'none' ? '' : flags.dryRun === 'server' ? ' (server dry run)' : ' (dry run)';
      deps.out.write(`${ref}/${object.name} deleted${where}${suffix}\n`);
    }
    return 0;
  } finally {
    kube.client.close();
  }
}
