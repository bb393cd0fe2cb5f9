// `kubectl cpa status` flags, validated as a whole (every problem at once) before any API call. Pure.
import { UsageError } from '../errors.ts';
import { DEFAULT_LOG_LINES } from './pod-log.ts';

export const OUTPUT_FORMATS = ['table', 'wide', 'json', 'yaml', 'name'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Raw options as commander delivers them. */
export interface RawStatusFlags {
  namespace?: string;
  allNamespaces?: boolean;
  output?: string;
  watch?: boolean;
  selector?: string;
  kubeconfig?: string;
  context?: string;
  logLines?: string;
  v?: string;
}

/** Validated options of one `status`. */
export interface StatusFlags {
  name?: string;
  namespace?: string;
  allNamespaces: boolean;
  output: OutputFormat;
  watch: boolean;
  selector?: string;
  kubeconfig?: string;
  context?: string;
  logLines: number;
  verbosity: number;
}

function intFlag(
  raw: string | undefined,
  flag: string,
  min: number,
  max: number,
  problems: string[],
): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${flag}: "${raw}" must be an integer from ${min} to ${max}`);
    return undefined;
  }
  return value;
}

/** Validates the flags; throws one UsageError listing every problem. */
export function validateStatusFlags(name: string | undefined, raw: RawStatusFlags): StatusFlags {
  const problems: string[] = [];
  const output = (raw.output ?? 'table') as OutputFormat;
  if (!OUTPUT_FORMATS.includes(output))
    problems.push(`-o/--output: "${raw.output}" must be one of ${OUTPUT_FORMATS.join(', ')}`);
  if (raw.allNamespaces && raw.namespace !== undefined)
    problems.push('-n/--namespace and -A/--all-namespaces cannot be used together');
  if (raw.namespace === '') problems.push('-n/--namespace: must not be empty');
  if (name === '') problems.push('NAME: must not be empty');
  if (raw.selector !== undefined && raw.selector.trim() === '')
    problems.push('-l/--selector: must not be empty');
  const logLines = intFlag(raw.logLines, '--log-lines', 1, 100_000, problems) ?? DEFAULT_LOG_LINES;
  const verbosity = intFlag(raw.v, '-v', 0, 9, problems) ?? 0;
  if (problems.length > 0)
    throw new UsageError(`invalid flags for "status":\n  - ${problems.join('\n  - ')}`);
  const flags: StatusFlags = {
    allNamespaces: raw.allNamespaces ?? false,
    output,
    watch: raw.watch ?? false,
    logLines,
    verbosity,
  };
  if (name !== undefined) flags.name = name;
  if (raw.namespace !== undefined) flags.namespace = raw.namespace;
  if (raw.selector !== undefined) flags.selector = raw.selector;
  if (raw.kubeconfig !== undefined) flags.kubeconfig = raw.kubeconfig;
  if (raw.context !== undefined) flags.context = raw.context;
  return flags;
}
