// Items for CustomPodAutoscaler objects deployed by the CPA operator: the CR gives target and config, its
// pod's log (summarised by src/logs) gives the last decision. What the log level does not show is unknown,
// with a hint. Pure.
import type { LogSummary } from '../logs/summary.ts';
import type { KubeObject } from '../ports.ts';
import { ageMs, stateOf, type AutoscalerStatus } from './model.ts';

export const CPA_GROUP = 'custompodautoscaler.com';
export const OWNED_BY_LABEL = 'v1.custompodautoscaler.com/owned-by';
export const PAUSED_ANNOTATION = 'v1.custompodautoscaler.com/paused-replicas';
/** CPA's default interval when neither the CR nor (invisibly) the image config sets one. */
const CPA_DEFAULT_INTERVAL_MS = 15_000;

/** The pod log, read or not. */
export type PodLog = { text: string } | { error: string };

export interface CpaFacts {
  cpa: KubeObject;
  /** Pods that belong to the CR (see podsOfCpa). */
  pods: KubeObject[];
  /** The chosen pod's log; absent when there is no pod or it was not read. */
  log?: PodLog;
  currentReplicas: number | null;
  summarize: (text: string) => LogSummary;
}

// The CR is read as unknown data: its CRD's schema normally holds these shapes, but a CRD without one
// (or another operator's) does not, and one odd object must not break `status` for every autoscaler.
interface CpaSpec {
  scaleTargetRef?: { apiVersion?: unknown; kind?: unknown; name?: unknown };
  config?: unknown;
  template?: { metadata?: { name?: unknown } };
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The CR's `spec.scaleTargetRef`, each part '' when missing or not a string. */
export function targetRefOf(cpa: KubeObject): { apiVersion: string; kind: string; name: string } {
  const ref = (cpa.spec as CpaSpec | undefined)?.scaleTargetRef;
  return { apiVersion: text(ref?.apiVersion), kind: text(ref?.kind), name: text(ref?.name) };
}

/** A `config` entry of the CR (every value is a string there); undefined when unset. */
export function configValue(cpa: KubeObject, name: string): string | undefined {
  const config = (cpa.spec as CpaSpec | undefined)?.config;
  const entries = (Array.isArray(config) ? config : []) as ({ name?: unknown; value?: unknown } | null)[];
  const entry = entries.find((c) => c?.name === name);
  return typeof entry?.value === 'string' ? entry.value : undefined;
}

function intConfig(cpa: KubeObject, name: string): number | null {
  const raw = configValue(cpa, name);
  if (raw === undefined || !/^-?\d+$/.test(raw.trim())) return null;
  return Number(raw.trim());
}

/** The CR's pods: by the operator's owned-by label, else by owner reference, else by the expected pod name. */
export function podsOfCpa(
  cpa: KubeObject,
  labelled: readonly KubeObject[],
  all: readonly KubeObject[],
): KubeObject[] {
  const name = cpa.metadata?.name ?? '';
  const ns = cpa.metadata?.namespace;
  const inNs = (p: KubeObject) => p.metadata?.namespace === ns;
  const byLabel = labelled.filter((p) => inNs(p) && p.metadata?.labels?.[OWNED_BY_LABEL] === name);
  if (byLabel.length > 0) return byLabel;
  const owners = (p: KubeObject) => (p.metadata?.ownerReferences ?? []) as { kind?: string; name?: string }[];
  const byOwner = all.filter(
    (p) => inNs(p) && owners(p).some((o) => o.kind === 'CustomPodAutoscaler' && o.name === name),
  );
  if (byOwner.length > 0) return byOwner;
  const podName = text((cpa.spec as CpaSpec | undefined)?.template?.metadata?.name) || name;
  return all.filter((p) => inNs(p) && p.metadata?.name === podName);
}

/** The pod whose log tells the current story: not terminating, newest. */
export function choosePod(pods: readonly KubeObject[]): KubeObject | undefined {
  const live = pods.filter((p) => p.metadata?.deletionTimestamp === undefined);
  const pool = live.length > 0 ? live : [...pods];
  const created = (p: KubeObject) => Date.parse(String(p.metadata?.creationTimestamp ?? '')) || 0;
  return pool.sort((a, b) => created(b) - created(a))[0];
}

function podPhase(pod: KubeObject): string {
  return String((pod.status as { phase?: unknown } | undefined)?.phase ?? 'Unknown');
}

function baseItem(cpa: KubeObject, currentReplicas: number | null): AutoscalerStatus {
  const created = cpa.metadata?.creationTimestamp;
  return {
    name: cpa.metadata?.name ?? '',
    namespace: cpa.metadata?.namespace ?? '',
    source: 'logs',
    target: targetRefOf(cpa),
    minReplicas: intConfig(cpa, 'minReplicas'),
    maxReplicas: intConfig(cpa, 'maxReplicas'),
    config: {
      intervalMs: intConfig(cpa, 'interval'),
      runMode: configValue(cpa, 'runMode') ?? null,
      downscaleStabilizationSec: intConfig(cpa, 'downscaleStabilization'),
    },
    currentReplicas,
    ...{ desiredReplicas: null, lastMetrics: null, lastEvaluation: null, lastDecision: null },
    ...{ lastScaleTime: null, lastCycleTime: null, lastError: null, consecutiveFailures: null },
    firstRecordedTime: typeof created === 'string' ? created : null,
    ...{ state: 'Unknown', runner: null, pod: null, hints: [] },
  };
}

/** Fills the log-derived fields; says which ones this log level cannot show. False when the log told nothing. */
function applySummary(item: AutoscalerStatus, s: LogSummary): boolean {
  const d = s.lastDecision;
  item.lastDecision = d ? { from: d.from ?? null, to: d.to, reason: d.reason, time: d.time ?? null } : null;
  item.desiredReplicas = d?.to ?? null;
  item.lastScaleTime = s.lastScale?.time ?? null;
  item.lastMetrics = s.lastMetrics ? s.lastMetrics.map((value) => ({ value })) : null;
  item.lastEvaluation = s.lastEvaluation ?? null;
  item.lastError = s.lastError
    ? { stage: null, message: s.lastError.message, time: s.lastError.time ?? null }
    : null;
  item.consecutiveFailures = s.consecutiveFailures;
  item.lastCycleTime = s.lastCycleTime ?? null;
  if (d === undefined && s.lastError === undefined && s.lastCycleTime === undefined) return false;
  const v = s.verbosity === 'unknown' ? -1 : s.verbosity;
  if (v < 3 && item.lastMetrics === null)
    item.hints.push('metric values are logged at logVerbosity 3; set it in the CR config to see them');
  if (v < 2 && item.lastEvaluation === null)
    item.hints.push('the raw evaluation is logged at logVerbosity 2 or more; the decision is shown instead');
  if (d === undefined) item.hints.push('no decision in the log yet');
  return true;
}

/** Reads the log into the item; false when it is unreadable or says nothing about a cycle (with a hint why). */
function applyLog(
  item: AutoscalerStatus,
  log: PodLog | undefined,
  summarize: CpaFacts['summarize'],
): boolean {
  const logs = `kubectl cpa logs ${item.name} -n ${item.namespace}`;
  if (log === undefined) return false;
  if (!('text' in log)) {
    item.hints.push(
      `the pod log cannot be read (${log.error}); log-derived fields are unknown — try \`${logs}\``,
    );
    return false;
  }
  if (log.text.trim() === '') {
    item.hints.push(
      'the pod log is empty (the pod has not run yet, or its container has not logged); log-derived fields are unknown',
    );
    return false;
  }
  if (applySummary(item, summarize(log.text))) return true;
  item.hints.push(
    `the log shows no autoscaling cycle yet (just started?); log-derived fields are unknown — see \`${logs}\``,
  );
  return false;
}

/** The item of one CustomPodAutoscaler. */
export function fromCpa(facts: CpaFacts, nowMs: number): AutoscalerStatus {
  const item = baseItem(facts.cpa, facts.currentReplicas);
  const paused = (facts.cpa.metadata?.annotations as Record<string, string> | undefined)?.[PAUSED_ANNOTATION];
  const pod = choosePod(facts.pods);
  if (pod !== undefined)
    item.pod = { name: pod.metadata?.name ?? '', phase: podPhase(pod), count: facts.pods.length };
  if (facts.pods.length > 1)
    item.hints.push(`${facts.pods.length} autoscaler pods found (a recreation in progress?)`);
  if (pod === undefined && paused === undefined)
    item.hints.push(
      'no autoscaler pod found: is the Custom Pod Autoscaler operator running in this namespace?',
    );
  const known = applyLog(item, facts.log, facts.summarize);
  const intervalMs = item.config.intervalMs ?? CPA_DEFAULT_INTERVAL_MS;
  item.state = stateOf({
    paused: paused !== undefined,
    noPod: pod === undefined,
    unknown: !known,
    ageMs: ageMs(item.lastCycleTime, nowMs),
    staleAfterMs: 3 * intervalMs,
    consecutiveFailures: item.consecutiveFailures,
    disabled: item.lastDecision?.reason === 'AutoscalingDisabled',
  });
  if (paused !== undefined) item.hints.push(`paused at ${paused} replicas (${PAUSED_ANNOTATION})`);
  return item;
}
