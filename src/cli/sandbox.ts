// `kubectl cpa sandbox`: flags → validate → start the embedded API on HTTPS → write the kubeconfig →
// optionally load an example's deployment → serve in the foreground until SIGINT/SIGTERM.
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { parse, parseAllDocuments } from 'yaml';
import { PYTHON_EXAMPLE } from '../demo/example.ts';
import { parseDuration } from '../config/duration.ts';
import type { Deps } from '../ports.ts';
import { ConfigError, UsageError } from '../errors.ts';
import { openSandbox, type StartSandbox } from '../sandbox/start.ts';
import type { Obj } from '../sandbox/wire/json.ts';
import type { CommandState } from './state.ts';

/** Raw options as commander delivers them. */
export interface RawSandboxFlags {
  port?: string;
  kubeconfigOut?: string;
  example?: string;
  state?: string;
  readyDelay?: string;
}

/** Validated options of one `sandbox`. */
export interface SandboxFlags {
  port: number;
  kubeconfigOut: string;
  example?: string;
  stateFile?: string;
  readyDelayMs: number;
}

/** Starts the HTTPS sandbox under openSandbox; a seam for tests. */
export type { StartSandbox } from '../sandbox/start.ts';

const DEFAULT_KUBECONFIG = 'sandbox.kubeconfig';
const DEFAULT_READY_DELAY = '500ms';

const HELP_AFTER = `
The sandbox is an embedded Kubernetes API (v1.37 semantics) on https://127.0.0.1: deployments, statefulsets,
replicasets, replicationcontrollers (with scale), pods (+log), events, leases, namespaces, the
CustomPodAutoscaler CRD, an example scalable CRD (widgets.sandbox.kubectl-cpa.dev), metrics.k8s.io and the
custom and external metrics APIs (values scripted by annotations, see the README). A built-in controller creates and deletes pods as replicas change; pods run and turn Ready after --ready-delay.
The kubeconfig trusts the sandbox's own CA (made fresh at every start) and carries its bearer token.

Examples:
  kubectl cpa sandbox --example python-custom-autoscaler
  KUBECONFIG=sandbox.kubeconfig kubectl get deploy,pods
  KUBECONFIG=sandbox.kubeconfig kubectl cpa run examples/python-custom-autoscaler --once
  kubectl cpa sandbox --port 6443 --state .sandbox-state.json --kubeconfig-out ~/.kube/sandbox
`;

/** Validates the flags; throws one UsageError listing every problem. */
export function validateSandboxFlags(raw: RawSandboxFlags, cwd: string): SandboxFlags {
  const problems: string[] = [];
  const port = raw.port === undefined ? 0 : Number(raw.port);
  if (raw.port !== undefined && (!/^\d+$/.test(raw.port) || port > 65535))
    problems.push(`--port: "${raw.port}" is not a port number (0-65535; 0 picks a free port)`);
  const delay = parseDuration(raw.readyDelay ?? DEFAULT_READY_DELAY);
  if (delay === null) problems.push(`--ready-delay: "${raw.readyDelay}" is not a duration (e.g. 500ms, 2s)`);
  if (raw.example !== undefined && raw.example.trim() === '')
    problems.push('--example: needs a name, e.g. python-custom-autoscaler');
  if (raw.kubeconfigOut !== undefined && raw.kubeconfigOut.trim() === '')
    problems.push('--kubeconfig-out: needs a file path');
  if (problems.length > 0) throw new UsageError(`invalid flags for sandbox: ${problems.join('; ')}`);
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(cwd, p));
  return {
    port,
    kubeconfigOut: abs(raw.kubeconfigOut ?? DEFAULT_KUBECONFIG),
    example: raw.example,
    stateFile: raw.state === undefined ? undefined : abs(raw.state),
    readyDelayMs: delay ?? 500,
  };
}

/** Where `--example NAME` may live: a directory path, `./examples/NAME`, or the examples beside the program. */
export function exampleCandidates(name: string, cwd: string, moduleUrl: string): string[] {
  if (name.includes('/') || name.startsWith('.')) return [join(resolve(cwd, name), 'deployment.yaml')];
  const here = fileURLToPath(moduleUrl);
  return [
    join(cwd, 'examples', name, 'deployment.yaml'),
    // Beside a program one level below the root (a binary in bin/), and beside dist/lib/kubectl-cpa.cjs and
    // src/cli/sandbox.ts, two levels below it.
    resolve(here, '..', '..', 'examples', name, 'deployment.yaml'),
    resolve(here, '..', '..', '..', 'examples', name, 'deployment.yaml'),
  ];
}

/** The manifests of an example's deployment.yaml; ConfigError naming where it looked when absent or bad. */
export async function loadExample(
  deps: Deps,
  name: string,
  moduleUrl: string,
): Promise<{ file: string; manifests: Obj[] }> {
  const candidates = [...new Set(exampleCandidates(name, deps.cwd, moduleUrl))];
  for (const file of candidates) {
    const text = await deps.files.readText(file);
    if (text === null) continue;
    const docs = parseAllDocuments(text);
    const list = Array.isArray(docs) ? docs : [docs];
    const bad = list.flatMap((d) => d.errors.map((e) => e.message));
    if (bad.length > 0) throw new ConfigError(`failed to read example ${file}`, bad);
    const manifests = list
      .map((d) => d.toJSON() as unknown)
      .filter((m): m is Obj => typeof m === 'object' && m !== null);
    return { file, manifests };
  }
  // The single binary carries the getting-started example (the demo's), so it needs no examples/ beside it.
  const embedded = name === 'python-custom-autoscaler' ? PYTHON_EXAMPLE['deployment.yaml'] : undefined;
  if (embedded !== undefined)
    return { file: 'the built-in python-custom-autoscaler example', manifests: [parse(embedded) as Obj] };
  throw new ConfigError(
    `failed to find example "${name}": no deployment.yaml in ${candidates.join(', ')}`,
    [],
    {
      hint: 'pass a directory holding deployment.yaml, e.g. --example ./examples/python-custom-autoscaler',
    },
  );
}

/** Registers `sandbox`. `start` defaults to the real HTTPS sandbox (loaded only when the command runs). */
export function registerSandbox(
  program: Command,
  deps: Deps,
  state: CommandState,
  start?: StartSandbox,
): void {
  program
    .command('sandbox')
    .description('Run an embedded Kubernetes API on 127.0.0.1 (no cluster needed) until interrupted')
    .option('--port <N>', 'port to listen on (default: any free port)')
    .option('--kubeconfig-out <FILE>', `where to write the kubeconfig (default ./${DEFAULT_KUBECONFIG})`)
    .option('--example <NAME>', 'load examples/NAME/deployment.yaml (or DIR/deployment.yaml) at start')
    .option('--state <FILE>', 'keep objects in FILE across restarts (loaded at start, saved on change)')
    .option(
      '--ready-delay <DURATION>',
      `time from pod creation to Running and Ready (default ${DEFAULT_READY_DELAY})`,
    )
    .addHelpText('after', HELP_AFTER)
    .action(async (raw: RawSandboxFlags) => {
      const flags = validateSandboxFlags(raw, deps.cwd);
      state.exitCode = await runSandbox(deps, flags, start);
    });
}

/** The whole command once flags are valid; resolves with the exit code after a shutdown signal. */
export async function runSandbox(deps: Deps, flags: SandboxFlags, start?: StartSandbox): Promise<number> {
  const example =
    flags.example === undefined ? undefined : await loadExample(deps, flags.example, import.meta.url);
  let stop: (signal: string) => void = () => {};
  const stopped = new Promise<string>((resolveStop) => (stop = resolveStop));
  const unregister = deps.onShutdownSignal((signal) => stop(signal));
  try {
    const sandbox = await openSandbox(deps, {
      port: flags.port,
      startDelayMs: flags.readyDelayMs,
      stateFile: flags.stateFile,
      kubeconfigOut: flags.kubeconfigOut,
      manifests: example?.manifests,
      start,
    });
    try {
      const loaded = sandbox.loaded;
      deps.err.write(
        `sandbox ready at ${sandbox.url} (Kubernetes v1.37 API; pods Ready after ${flags.readyDelayMs}ms)\n`,
      );
      if (example !== undefined)
        deps.err.write(
          `loaded ${example.file}: ${loaded.map((o) => `${String(o.kind).toLowerCase()}/${String((o.metadata as Obj).name)}`).join(', ') || 'already present'}\n`,
        );
      if (flags.stateFile !== undefined) deps.err.write(`state kept in ${flags.stateFile}\n`);
      deps.err.write(
        `kubeconfig written to ${flags.kubeconfigOut}; try:\n  KUBECONFIG=${flags.kubeconfigOut} kubectl get deploy,pods\nstop with Ctrl-C\n`,
      );
      deps.out.write(`${flags.kubeconfigOut}\n`);
      const signal = await stopped;
      deps.err.write(`${signal}: stopping the sandbox\n`);
    } finally {
      await sandbox.close();
    }
    return 0;
  } finally {
    unregister();
  }
}
