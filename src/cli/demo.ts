// `kubectl cpa demo`: the README's main-job command; everything happens in an embedded sandbox API.
import type { Command } from 'commander';
import { parseDuration } from '../config/duration.ts';
import type { Deps } from '../ports.ts';
import { UsageError } from '../errors.ts';
import type { DemoOptions } from '../demo/demo.ts';
import type { CommandState } from './state.ts';

const HELP_AFTER = `
The demo needs no cluster: it starts the sandbox (an embedded Kubernetes API on 127.0.0.1), creates the
deployment of CPA's getting-started guide (1 replica, label numPods: "3"), and runs that guide's autoscaler
(metric: the numPods label; evaluate: scale to it) with the same loop as \`kubectl cpa run\`. You see each
decision as it happens: 1 → 3; then the demo relabels the deployment to 5 and you see 3 → 5; it ends with
the \`kubectl cpa status\` table. The example's hooks need python3; without it the demo says so and uses
the same example written as shell one-liners.

\`--example cpu\` runs examples/cpu-utilization instead: CPU usage from the sandbox's metrics.k8s.io
(kubernetesMetricSpecs), the HPA formula in Python, and a load that rises from 200m to 900m: 2 → 9 pods,
with the new pods left out while they start. It needs python3.
`;

interface RawDemoFlags {
  interval: string;
  readyDelay: string;
  python: boolean;
  example?: string;
}

const EXAMPLES = ['hello', 'cpu'] as const;

/** Validates the flags; one UsageError listing every problem. */
export function validateDemoFlags(raw: RawDemoFlags): DemoOptions {
  const problems: string[] = [];
  const intervalMs = parseDuration(raw.interval);
  if (intervalMs === null || intervalMs <= 0)
    problems.push(`--interval: "${raw.interval}" is not a positive duration (e.g. 1s)`);
  const readyDelayMs = parseDuration(raw.readyDelay);
  if (readyDelayMs === null)
    problems.push(`--ready-delay: "${raw.readyDelay}" is not a duration (e.g. 300ms)`);
  const example = raw.example ?? 'hello';
  if (!(EXAMPLES as readonly string[]).includes(example))
    problems.push(`--example: "${example}" is not one of ${EXAMPLES.join(', ')}`);
  if (problems.length > 0) throw new UsageError(`invalid flags for "demo":\n  - ${problems.join('\n  - ')}`);
  return {
    intervalMs: intervalMs ?? 1000,
    readyDelayMs: readyDelayMs ?? 300,
    python: raw.python ? 'auto' : 'never',
    deadlineMs: 60_000,
    example: example === 'cpu' ? 'cpu' : 'hello',
  };
}

/** Registers `demo`. */
export function registerDemo(program: Command, deps: Deps, state: CommandState): void {
  program
    .command('demo')
    .description('See kubectl-cpa autoscale in an embedded sandbox, no cluster needed (about 5 s)')
    .option('--interval <DURATION>', 'time between autoscaling cycles', '1s')
    .option('--ready-delay <DURATION>', 'time until new pods are Running and Ready', '300ms')
    .option('--no-python', 'use the shell variant of the example even when python3 is available')
    .option(
      '--example <NAME>',
      'hello (the getting-started guide) or cpu (CPU utilization, the HPA formula)',
      'hello',
    )
    .addHelpText('after', HELP_AFTER)
    .action(async (raw: RawDemoFlags) => {
      const options = validateDemoFlags(raw);
      const { runDemo } = await import('../demo/demo.ts');
      state.exitCode = await runDemo(deps, options);
    });
}
