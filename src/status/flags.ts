// `kubectl cpa status` flags, validated as a whole (every problem at once) before any API call. Pure.
import { UsageError } from '../errors.ts';
import { parseCustomColumns, type CustomColumn } from './custom-columns.ts';
import { parseTemplate, type Template } from './jsonpath.ts';
import { DEFAULT_LOG_LINES } from './pod-log.ts';
import { parseTypedName } from './typed.ts';
import type { ParsedTarget } from '../kube/target-flag.ts';

export const OUTPUT_FORMATS = ['table', 'wide', 'json', 'yaml', 'name'] as const;
/** Formats that carry their template after `=`, as kubectl's do. */
export const TEMPLATE_FORMATS = ['jsonpath', 'custom-columns'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number] | (typeof TEMPLATE_FORMATS)[number];

/** Raw options as commander delivers them. */
export interface RawStatusFlags {
  namespace?: string;
  allNamespaces?: boolean;
  output?: string;
  watch?: boolean;
  outputWatchEvents?: boolean;
  selector?: string;
  kubeconfig?: string;
  context?: string;
  logLines?: string;
  v?: string;
}

/** Validated options of one `status`. */
export interface StatusFlags {
  name?: string;
  /** NAME given as TYPE/NAME: the object to read directly. */
  typed?: ParsedTarget;
  namespace?: string;
  allNamespaces: boolean;
  output: OutputFormat;
  watch: boolean;
  /** `--output-watch-events`: each watch line says ADDED, MODIFIED or DELETED. */
  outputWatchEvents: boolean;
  /** `-o jsonpath=TEMPLATE`, parsed. */
  jsonpath?: Template;
  /** `-o custom-columns=SPEC`, parsed. */
  columns?: CustomColumn[];
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

/** `-o FORMAT` or `-o FORMAT=TEMPLATE`; a template's syntax error is one of the problems. */
function outputFlag(
  raw: string,
  problems: string[],
): { output: OutputFormat; jsonpath?: Template; columns?: CustomColumn[] } {
  const eq = raw.indexOf('=');
  const format = eq < 0 ? raw : raw.slice(0, eq);
  const template = eq < 0 ? '' : raw.slice(eq + 1);
  const allowed = `${OUTPUT_FORMATS.join(', ')}, jsonpath=TEMPLATE or custom-columns=SPEC`;
  if ((OUTPUT_FORMATS as readonly string[]).includes(raw)) return { output: raw as OutputFormat };
  if (format !== 'jsonpath' && format !== 'custom-columns') {
    problems.push(`-o/--output: "${raw}" must be one of ${allowed}`);
    return { output: 'table' };
  }
  try {
    if (format === 'jsonpath') {
      if (template === '') throw new UsageError('template format specified but no template given');
      return { output: format, jsonpath: parseTemplate(template) };
    }
    return { output: format, columns: parseCustomColumns(template) };
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    problems.push(`-o/--output: ${err.message}`);
    return { output: 'table' };
  }
}

/** Validates the flags; throws one UsageError listing every problem. */
export function validateStatusFlags(name: string | undefined, raw: RawStatusFlags): StatusFlags {
  const problems: string[] = [];
  const { output, jsonpath, columns } = outputFlag(raw.output ?? 'table', problems);
  if (raw.outputWatchEvents && !raw.watch) problems.push('--output-watch-events: only with -w/--watch');
  if (raw.allNamespaces && raw.namespace !== undefined)
    problems.push('-n/--namespace and -A/--all-namespaces cannot be used together');
  if (raw.namespace === '') problems.push('-n/--namespace: must not be empty');
  if (name === '') problems.push('NAME: must not be empty');
  let typed: ParsedTarget | undefined;
  try {
    typed = name === undefined ? undefined : parseTypedName(name);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    problems.push(err.message);
  }
  if (typed !== undefined && raw.allNamespaces)
    problems.push('-A/--all-namespaces: TYPE/NAME names one object; use -n/--namespace');
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
    outputWatchEvents: raw.outputWatchEvents ?? false,
    logLines,
    verbosity,
  };
  if (name !== undefined) flags.name = name;
  if (typed !== undefined) flags.typed = typed;
  if (jsonpath !== undefined) flags.jsonpath = jsonpath;
  if (columns !== undefined) flags.columns = columns;
  if (raw.namespace !== undefined) flags.namespace = raw.namespace;
  if (raw.selector !== undefined) flags.selector = raw.selector;
  if (raw.kubeconfig !== undefined) flags.kubeconfig = raw.kubeconfig;
  if (raw.context !== undefined) flags.context = raw.context;
  return flags;
}
