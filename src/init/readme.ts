// The README of a new project: what is in it and the next three commands. Pure.
import { LOAD_PER_REPLICA, HOOK_LOAD_ANNOTATION } from './sample.ts';
import type { ScaleTargetRef } from '../config/types.ts';

/** What the README talks about. */
export interface ReadmeFacts {
  dir: string;
  target: ScaleTargetRef;
  perPod: boolean;
  metricFile: string;
  evaluateFile: string;
  /** `python3 evaluate_server.py` when the evaluator is served over HTTP. */
  serverStart?: string;
  hasWorkload: boolean;
}

/** README.md text. */
export function projectReadme(f: ReadmeFacts): string {
  const q = (s: string): string => (/^[\w./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const dir = q(f.dir);
  const target = `${f.target.kind.toLowerCase()}/${f.target.name}`;
  const server =
    f.serverStart === undefined
      ? ''
      : `\nThe evaluator is an HTTP server: start it first (from this directory) and leave it running:\n\n    ${f.serverStart} &\n`;
  return `# Autoscaler for ${target}

Made by \`kubectl cpa init\`: a Custom Pod Autoscaler (CPA v2 config) that scales ${target}
${f.perPod ? 'from a metric gathered per pod' : 'from one metric of the target'}.

- \`config.yaml\`: the target, the limits, the hooks (runMode ${f.perPod ? 'per-pod' : 'per-resource'}).
- \`${f.metricFile}\`: the metric hook. It reads the \`${HOOK_LOAD_ANNOTATION}\` annotation${f.perPod ? ' of each pod' : ''}: replace
  that with your real source.
- \`${f.evaluateFile}\`: the evaluate hook: ceil(total load / ${LOAD_PER_REPLICA}) replicas.
- \`trace.csv\`: 30 minutes of sample load with the replicas really needed (\`demand\`).
${f.hasWorkload ? '- `deployment.yaml`: the workload, for the sandbox.\n' : ''}- \`Dockerfile\`: the in-cluster image (kubectl-cpa plus these files).
${server}
## Next three commands

1. Backtest the autoscaler on the trace (or last week's load) and look at the chart:

       kubectl cpa simulate ${dir} --trace ${dir}/trace.csv --chart ${dir}/backtest.html

2. Run one real cycle against an embedded sandbox cluster${f.hasWorkload ? ' (it loads deployment.yaml)' : ''}:

       kubectl cpa run ${dir} --sandbox --once

3. Run it against your current kube context (watch it with \`kubectl cpa status\`):

       kubectl cpa run ${dir}
`;
}
