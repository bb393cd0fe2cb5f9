// `kubectl cpa simulate`: flags → the trace (file or Prometheus) → the backtest (src/simulate, the real
// pipeline on a virtual clock) → the timeline and summary on stdout, the chart to a file. Parses and prints.
import type { Command } from 'commander';
import { CpaError } from '../errors.ts';
import type { Logger } from '../logger/events.ts';
import { createLogger } from '../logger/logger.ts';
import type { Deps } from '../ports.ts';
import { chartHtml, chartSvg } from '../simulate/chart.ts';
import { fetchPrometheusTrace } from '../simulate/prometheus.ts';
import {
  metricNumber,
  resultJson,
  sparklines,
  summaryText,
  timelineCsv,
  timelineTable,
} from '../simulate/render.ts';
import { simulate } from '../simulate/simulate.ts';
import { summarize } from '../simulate/summary.ts';
import { parseTrace, type TraceSample } from '../simulate/trace.ts';
import type { CommandState } from './state.ts';
import { validateSimulateFlags, type RawSimulateFlags, type SimulateFlags } from './simulate-flags.ts';

/** A trace file may be large (a week of 15 s samples per pod); the 1 MiB config bound does not fit it. */
const MAX_TRACE_BYTES = 256 * 1024 * 1024;
/** Without --from, a Prometheus trace covers the last day. */
const DEFAULT_PROMETHEUS_SPAN_MS = 24 * 3_600_000;
const SPARKLINE_WIDTH = 72;

const HELP_AFTER = `
The backtest replays a metric trace through DIR's autoscaler on a virtual clock: for every cycle the real
evaluate hook runs on the trace's metric value, then the real decision chain (clamp, stabilization, and the
rest, exactly as in \`run\`), and the simulated replicas follow (new pods turn Ready after --ready-delay).
No cluster is touched; the optional hooks run only with --hooks, the metric hook only with --live-metrics.

Trace: CSV with a header (time,value[,pods][,demand]) or JSON lines ({"time":…,"value":…,"demand":…}).
time is ISO 8601 or epoch seconds/ms; value is the metric's output (a number or a JSON document); pods
holds per-pod values for per-pod mode ("a;b;c" in CSV, a JSON array in JSON lines: with another number of
simulated pods, numeric values are spread evenly so their total stays); demand is the number of replicas
really needed, for the under/over-provisioning figures.

Examples:
  kubectl cpa simulate . --trace last-week.csv --chart backtest.html
  kubectl cpa simulate . --trace load.jsonl --interval 30s --ready-delay 45s -o csv > timeline.csv
  kubectl cpa simulate . --prometheus http://127.0.0.1:9090 --query 'sum(rate(http_requests_total[1m]))' \\
      --from 2026-12-01T00:00:00Z --to 2026-12-02T00:00:00Z --step 15s
`;

/** Registers `simulate [DIR]`. */
export function registerSimulate(program: Command, deps: Deps, state: CommandState): void {
  program
    .command('simulate')
    .description('Backtest an autoscaler on a metric trace (virtual clock, real hooks), with a chart')
    .argument('[DIR]', 'autoscaler directory: config.yaml and scripts', '.')
    .option('-f, --filename <CONFIG>', 'configuration file (default: DIR/config.yaml)')
    .option('--trace <FILE>', 'the metric trace: CSV or JSON lines')
    .option('--prometheus <URL>', 'take the trace from a Prometheus range query instead')
    .option('--query <PROMQL>', 'the range query (one series; several are per-pod values)')
    .option('--step <DURATION>', 'resolution of the range query (default: --interval, else 15s)')
    .option('--interval <DURATION>', 'time between cycles (default: the config interval)')
    .option('--start-replicas <N>', 'replicas at the start', '1')
    .option('--from <TIME>', 'start of the replay (default: the first sample)')
    .option('--to <TIME>', 'end of the replay (default: the last sample)')
    .option('--ready-delay <DURATION>', 'time until new pods are Ready', '0s')
    .option(
      '--live-metrics',
      'run the metric hook (against the simulated target) instead of reading the trace',
    )
    .option('--hooks', 'run the pre/post hooks too (they run for real)')
    .option('-o, --output <FORMAT>', 'table, json or csv', 'table')
    .option('--chart <FILE>', 'write the chart: FILE.svg or FILE.html')
    .option('-v, --v <N>', 'log verbosity 0-4 (hook detail on stderr)')
    .addHelpText('after', HELP_AFTER)
    .action(async (dir: string, raw: RawSimulateFlags) => {
      state.exitCode = await runSimulate(deps, validateSimulateFlags(dir, raw));
    });
}

/** The trace the flags name, read or fetched and parsed. */
async function loadTrace(deps: Deps, flags: SimulateFlags, intervalMs: number): Promise<TraceSample[]> {
  const source = flags.source;
  if (source.kind === 'prometheus') {
    const endMs = flags.toMs ?? deps.clock.nowMs();
    return fetchPrometheusTrace(deps.httpRequest, {
      url: source.url,
      query: source.query,
      startMs: flags.fromMs ?? endMs - DEFAULT_PROMETHEUS_SPAN_MS,
      endMs,
      stepMs: source.stepMs ?? intervalMs,
    });
  }
  const text = await deps.files.readText(source.path, MAX_TRACE_BYTES);
  if (text === null) throw new CpaError(`failed to read trace ${source.path}: no such file`);
  const parsed = parseTrace(text);
  if (!parsed.ok)
    throw new CpaError(`failed to read trace ${source.path}:\n  - ${parsed.problems.join('\n  - ')}`, {
      hint: 'a trace is CSV with a header (time,value[,pods][,demand]) or JSON lines; see kubectl cpa simulate --help',
    });
  return parsed.samples;
}

/** Decisions and cycle errors are the timeline's rows; the logger keeps the rest (hook stderr, warnings). */
function backtestLogger(deps: Deps, verbosity: number): Logger {
  const inner = createLogger({ out: deps.err, clock: deps.clock, verbosity, format: 'text' });
  return {
    enabled: inner.enabled,
    log: (event) => {
      if ((event.kind === 'decision' || event.kind === 'cycle-error') && verbosity < 2) return;
      inner.log(event);
    },
  };
}

/** The whole `simulate` command; returns the exit code. */
async function runSimulate(deps: Deps, flags: SimulateFlags): Promise<number> {
  // The interval of a Prometheus step defaults to is the config's; 15 s is CPA's default until it is read.
  const samples = await loadTrace(deps, flags, flags.intervalMs ?? 15_000);
  const result = await simulate(deps, {
    dir: flags.dir,
    ...(flags.configFile === undefined ? {} : { configFile: flags.configFile }),
    samples,
    ...(flags.intervalMs === undefined ? {} : { intervalMs: flags.intervalMs }),
    startReplicas: flags.startReplicas,
    ...(flags.fromMs === undefined ? {} : { fromMs: flags.fromMs }),
    ...(flags.toMs === undefined ? {} : { toMs: flags.toMs }),
    readyDelayMs: flags.readyDelayMs,
    liveMetrics: flags.liveMetrics,
    hooks: flags.hooks,
    logger: backtestLogger(deps, flags.verbosity),
  });
  const summary = summarize(result.rows, result.intervalMs);
  if (flags.output === 'json') deps.out.write(resultJson(result, summary));
  else if (flags.output === 'csv') deps.out.write(timelineCsv(result.rows));
  else {
    deps.out.write(timelineTable(result.rows));
    deps.out.write(`\n${summaryText(summary, result.intervalMs)}\n`);
    deps.out.write(sparklines(result.rows, SPARKLINE_WIDTH, metricNumber));
  }
  if (flags.chart !== undefined) {
    const text = flags.chart.format === 'svg' ? chartSvg(result) : chartHtml(result, summary);
    await deps.scratch.writeText(flags.chart.path, text);
    deps.err.write(`chart written to ${flags.chart.path}\n`);
  }
  const failed = result.rows.filter((r) => r.error !== undefined);
  if (failed.length > 0)
    deps.err.write(
      `warning: ${failed.length} of ${result.rows.length} cycles failed; the first: ${failed[0]!.error}\n`,
    );
  return failed.length > 0 && failed.length === result.rows.length ? 1 : 0;
}
