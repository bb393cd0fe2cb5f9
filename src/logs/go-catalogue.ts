// Go CPA's log messages (spec §8.2, §9.2) → records. Matching is on message text only: file names and
// line numbers differ between versions. Each rule names the verbosity its line needs.
import type { LogEntry } from './entries.ts';
import type { LogRecord } from './records.ts';

interface Rule {
  re: RegExp;
  v: number;
  make: (m: RegExpExecArray) => LogRecord;
}

const n = (text: string | undefined): number => Number(text);
const lifecycle = (): LogRecord => ({ kind: 'lifecycle' });
const detail = (): LogRecord => ({ kind: 'detail' });
const post = (): LogRecord => ({ kind: 'post' });

/** Per-cycle lines before the decision that carry no value (V2 flow and V3 detail). */
const V2_DETAIL =
  /^(Attempting to get managed resource|Managed resource retrieved: |Attempting to get scale subresource$|Attempting to get resource metrics|Retrieved metrics: |Attempting to evaluate metrics|Attempting to scale resource based on evaluation)/;
const V3_DETAIL =
  /^(Attempting to get scale subresource for managed resource|Group version parsed: |K8s Metrics specs provided|Successfully retrieved K8s metrics|Finished querying the K8s metrics server|Gathering metrics in per-(pod|resource) mode|Attempting to get pods being managed|Pods retrieved: |Attempting to gather metrics for each pod|All metrics gathered for each pod|Attempting to run (pre-metric|post-metric|metric gathering|pre-evaluate|post-evaluate|evaluation|pre-scaling) (hook|logic)|(Pre-metric|Post-metric|Pre-evaluate|Post-evaluate|Pre-scaling) hook response: |Evaluating gathered metrics|Attempting to parse evaluation)/;
/** Lines that follow `Rescaling …`/`No change …` inside the same cycle. */
const V3_POST =
  /^(Attempting to retrieve group version|Group version retrieved: |Attempting to apply scaling changes to resource|Applying patch: |Application of scale successful|Attempting to run post-scaling hook|Post-scaling hook response: )/;

/** Info lines of Go CPA v0.9+ (glog). */
const GLOG_RULES: Rule[] = [
  { re: /^Custom Pod Autoscaler version: (\S+)/, v: 0, make: (m) => ({ kind: 'version', version: m[1]! }) },
  {
    re: /^(Waiting \d+ milliseconds before starting autoscaler|Starting autoscaler|Starting API|API disabled|Shutting down\.\.\.)/,
    v: 0,
    make: lifecycle,
  },
  { re: /^Setting up (resources and clients|REST API|autoscaler)$/, v: 1, make: lifecycle },
  { re: /^Running autoscaler$/, v: 2, make: () => ({ kind: 'cycle-start' }) },
  {
    re: /^Managed scale subresource retrieved: .*?Spec:ScaleSpec\{Replicas:(\d+)/s,
    v: 2,
    make: (m) => ({ kind: 'current', replicas: n(m[1]) }),
  },
  {
    re: /^Metrics evaluated: &\{TargetReplicas:(-?\d+)\}/,
    v: 2,
    make: (m) => ({ kind: 'evaluation', replicas: n(m[1]) }),
  },
  {
    re: /^Evaluation parsed: &\{TargetReplicas:(-?\d+)\}/,
    v: 3,
    make: (m) => ({ kind: 'evaluation', replicas: n(m[1]) }),
  },
  { re: /^Evaluation determined: (.*)$/s, v: 3, make: (m) => ({ kind: 'evaluation-raw', raw: m[1]! }) },
  { re: /^Metrics? gathered: (.*)$/s, v: 3, make: (m) => ({ kind: 'metric', value: m[1]! }) },
  { re: /^Running metric gathering for pod: (.*)$/, v: 3, make: (m) => ({ kind: 'metric-pod', pod: m[1]! }) },
  // The three V(1) clamp lines print the *current* replicas (spec §5.1); only the branch is reliable.
  {
    re: /^Scale target less than min at (-?\d+) replicas, setting target to min (-?\d+) replicas$/,
    v: 1,
    make: (m) => ({ kind: 'clamp', current: n(m[1]), reason: 'ClampedToMin', to: n(m[2]) }),
  },
  {
    re: /^Scale target greater than max at (-?\d+) replicas/,
    v: 1,
    make: (m) => ({ kind: 'clamp', current: n(m[1]), reason: 'ClampedToMax' }),
  },
  {
    re: /^Scale target set to (-?\d+) replicas$/,
    v: 1,
    make: (m) => ({ kind: 'clamp', current: n(m[1]) }),
  },
  {
    re: /^No scaling, autoscaling disabled on resource /,
    v: 0,
    make: () => ({ kind: 'action', reason: 'AutoscalingDisabled', from: 0, to: 0 }),
  },
  {
    re: /^Picked max evaluation over stabilization window of (\d+) seconds; replicas (-?\d+)/,
    v: 0,
    make: (m) => ({ kind: 'picked', windowSec: n(m[1]), replicas: n(m[2]) }),
  },
  {
    re: /^Rescaling from (-?\d+) to (-?\d+) replicas/,
    v: 0,
    make: (m) => ({ kind: 'action', reason: 'Scaled', from: n(m[1]), to: n(m[2]) }),
  },
  {
    re: /^No change in target replicas, maintaining (-?\d+) replicas/,
    v: 0,
    make: (m) => ({ kind: 'action', reason: 'NoChange', from: n(m[1]), to: n(m[1]) }),
  },
  { re: /^Shell command failed, stderr: (.*)$/s, v: 0, make: (m) => stderr(m[1]!, true) },
  { re: /^Standard error returned from shell:\n?(.*)$/s, v: 0, make: (m) => stderr(m[1]!, false) },
  { re: /^Scaled resource successfully/, v: 2, make: post },
  { re: V2_DETAIL, v: 2, make: detail },
  { re: /^specs: /, v: 1, make: detail },
  { re: V3_POST, v: 3, make: post },
  { re: V3_DETAIL, v: 3, make: detail },
  { re: /^(Running shell command, entrypoint|Making HTTP request, method)/, v: 4, make: detail },
];

function stderr(text: string, failed: boolean): LogRecord {
  return { kind: 'stderr', text: text.replace(/\n+$/, ''), failed };
}

/** Info lines of Go CPA v0.8.0 (standard `log`); `Scale target …` there prints the real evaluation. */
const STDLOG_RULES: Rule[] = [
  {
    re: /^(Waiting \d+ milliseconds before starting autoscaler|Starting autoscaler|Starting API|Shutting down\.\.\.)$/,
    v: 0,
    make: lifecycle,
  },
  {
    re: /^Scale target less than min at (-?\d+) replicas, setting target to min (-?\d+) replicas$/,
    v: 0,
    make: (m) => ({ kind: 'clamp', reason: 'ClampedToMin', evaluation: n(m[1]), to: n(m[2]) }),
  },
  {
    re: /^Scale target greater than max at (-?\d+) replicas, setting target to max (-?\d+) replicas$/,
    v: 0,
    make: (m) => ({ kind: 'clamp', reason: 'ClampedToMax', evaluation: n(m[1]), to: n(m[2]) }),
  },
  {
    re: /^Scale target set to (-?\d+) replicas$/,
    v: 0,
    make: (m) => ({ kind: 'clamp', evaluation: n(m[1]), to: n(m[1]) }),
  },
  {
    re: /^Rescaling to (-?\d+) replicas$/,
    v: 0,
    make: (m) => ({ kind: 'action', reason: 'Scaled', to: n(m[1]) }),
  },
  {
    re: /^No change in target replicas, maintaining (-?\d+) replicas$/,
    v: 0,
    make: (m) => ({ kind: 'action', reason: 'NoChange', from: n(m[1]), to: n(m[1]) }),
  },
  {
    re: /^No scaling, autoscaling disabled on resource /,
    v: 0,
    make: () => ({ kind: 'action', reason: 'AutoscalingDisabled', from: 0, to: 0 }),
  },
];

function firstMatch(rules: Rule[], message: string): { record: LogRecord; v: number } | undefined {
  for (const rule of rules) {
    const m = rule.re.exec(message);
    if (m !== null) return { record: rule.make(m), v: rule.v };
  }
  return undefined;
}

/** Errors: `Error while autoscaling:` fails the cycle; K8s-metric notes do not; F lines stop the process. */
function glogError(entry: LogEntry): LogRecord {
  const { message } = entry;
  if (entry.severity === 'F') return { kind: 'error', message, cycle: false, fatal: true };
  const wrapped = /^Error while autoscaling: (.*)$/s.exec(message);
  if (wrapped !== null) return { kind: 'error', message: wrapped[1]!, cycle: true };
  // Before v2.4.0 the loop logged the bare error from main.go; other files' errors (K8s metrics, client-go) are notes.
  return { kind: 'error', message, cycle: entry.file === 'main.go' };
}

/** Classifies a Go CPA entry (glog or v0.8 standard log). */
export function classifyGo(entry: LogEntry): { record: LogRecord; v?: number } {
  if (entry.format === 'glog') {
    if (entry.severity === 'E' || entry.severity === 'F') return { record: glogError(entry), v: 0 };
    if (entry.severity === 'W') return { record: { kind: 'other' } };
    return firstMatch(GLOG_RULES, entry.message) ?? { record: { kind: 'other' } };
  }
  const hit = firstMatch(STDLOG_RULES, entry.message);
  // v0.8 printed errors bare (`2019/12/22 10:00:00 exit status 1`): an unknown line is a failed cycle.
  return hit ?? { record: { kind: 'error', message: entry.message, cycle: true }, v: 0 };
}
