// HPA's `behavior` (autoscaling/v2) as the HPA controller computes it: a stabilization window over recent
// recommendations (scale-up window: the lowest, scale-down window: the highest), then a rate limit over the
// scale events of each policy's period. Learnt from pkg/controller/podautoscaler (stabilizeRecommendation-
// WithBehaviors, convertDesiredReplicasWithBehaviorRate); written here from its documented semantics. Pure.
import type { ReasonCode } from '../logger/events.ts';
import type { Behavior, ScalingRules } from '../config/safety.ts';
import type { Recommendation } from './stabilize.ts';

/** One scale this autoscaler made: `change` replicas (always positive) in one direction at `atMs`. */
export interface ScaleEvent {
  atMs: number;
  change: number;
}

/** The scale events that the rate limit counts, kept per direction as HPA does. */
export interface ScaleEvents {
  up: ScaleEvent[];
  down: ScaleEvent[];
}

/** Outcome of one step: the replicas it lets through and the reason when it changed them. */
export interface StepResult {
  replicas: number;
  reason?: ReasonCode;
}

/** Longest stabilization window of the two directions: recommendations older than it are never read. */
export function longestWindowSec(behavior: Behavior): number {
  return Math.max(behavior.scaleUp.stabilizationWindowSec, behavior.scaleDown.stabilizationWindowSec);
}

/**
 * Bounds `desired` by the recent recommendations: never above the lowest of the scale-up window, never
 * below the highest of the scale-down window, starting from `current` (so a window only ever holds, it
 * never moves the target away from both). A recommendation counts while it is strictly newer than the
 * window's start, as in HPA. Returns the history to keep (older entries dropped, `desired` appended).
 */
export function stabilizeWithBehavior(
  history: readonly Recommendation[],
  desired: number,
  current: number,
  nowMs: number,
  behavior: Behavior,
): StepResult & { history: Recommendation[] } {
  const upCutoff = nowMs - behavior.scaleUp.stabilizationWindowSec * 1000;
  const downCutoff = nowMs - behavior.scaleDown.stabilizationWindowSec * 1000;
  let upLimit = desired;
  let downLimit = desired;
  for (const entry of history) {
    if (entry.atMs > upCutoff) upLimit = Math.min(upLimit, entry.replicas);
    if (entry.atMs > downCutoff) downLimit = Math.max(downLimit, entry.replicas);
  }
  const replicas = Math.min(Math.max(current, upLimit), downLimit);
  const keepAfter = nowMs - longestWindowSec(behavior) * 1000;
  const kept = history.filter((entry) => entry.atMs > keepAfter);
  kept.push({ atMs: nowMs, replicas: desired });
  const result: StepResult & { history: Recommendation[] } = { replicas, history: kept };
  if (replicas < desired) result.reason = 'ScaleUpStabilized';
  if (replicas > desired) result.reason = 'ScaleDownStabilized';
  return result;
}

/** Replicas changed in one direction within the last `periodSec` (events strictly newer than its start). */
export function changeInPeriod(events: readonly ScaleEvent[], periodSec: number, nowMs: number): number {
  const cutoff = nowMs - periodSec * 1000;
  return events.reduce((sum, e) => (e.atMs > cutoff ? sum + e.change : sum), 0);
}

/** The count at the start of a policy's period: current minus what was added, plus what was removed, within it. */
function countAtPeriodStart(current: number, events: ScaleEvents, periodSec: number, nowMs: number): number {
  return (
    current - changeInPeriod(events.up, periodSec, nowMs) + changeInPeriod(events.down, periodSec, nowMs)
  );
}

/**
 * The most replicas the scale-up policies allow now. Each policy measures from the count at the start of
 * its period (current minus what was added, plus what was removed, within the period); Percent rounds up
 * so that a small workload can always grow. `Max` takes the most permissive policy, `Min` the strictest.
 */
export function scaleUpLimit(
  current: number,
  events: ScaleEvents,
  rules: ScalingRules,
  nowMs: number,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const proposals = rules.policies.map((p) => {
    const start = countAtPeriodStart(current, events, p.periodSec, nowMs);
    return p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
  });
  return rules.selectPolicy === 'Min' ? Math.min(...proposals) : Math.max(...proposals);
}

/**
 * The fewest replicas the scale-down policies allow now; Percent truncates (the change rounds up), as HPA.
 * `Max` takes the policy allowing the biggest change (the lowest count), `Min` the smallest change.
 */
export function scaleDownLimit(
  current: number,
  events: ScaleEvents,
  rules: ScalingRules,
  nowMs: number,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const proposals = rules.policies.map((p) => {
    const start = countAtPeriodStart(current, events, p.periodSec, nowMs);
    return p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
  });
  return rules.selectPolicy === 'Min' ? Math.max(...proposals) : Math.min(...proposals);
}

/**
 * Limits the move from `current` to `desired` by the policies of its direction. A limit that past events
 * pushed beyond `current` (lower than it for a scale-up) holds the count instead of reversing it.
 * `selectPolicy: Disabled` holds the count in that direction with its own reason.
 */
export function limitRate(
  desired: number,
  current: number,
  events: ScaleEvents,
  behavior: Behavior,
  nowMs: number,
): StepResult {
  if (desired > current) {
    if (behavior.scaleUp.selectPolicy === 'Disabled') return { replicas: current, reason: 'ScalingDisabled' };
    const limit = Math.max(current, scaleUpLimit(current, events, behavior.scaleUp, nowMs));
    return desired > limit ? { replicas: limit, reason: 'ScaleUpLimited' } : { replicas: desired };
  }
  if (desired < current) {
    if (behavior.scaleDown.selectPolicy === 'Disabled')
      return { replicas: current, reason: 'ScalingDisabled' };
    const limit = Math.min(current, scaleDownLimit(current, events, behavior.scaleDown, nowMs));
    return desired < limit ? { replicas: limit, reason: 'ScaleDownLimited' } : { replicas: desired };
  }
  return { replicas: desired };
}

/** Longest policy period of a direction: events older than it no longer limit anything. */
function longestPeriodSec(rules: ScalingRules): number {
  return rules.policies.reduce((best, p) => Math.max(best, p.periodSec), 0);
}

/**
 * The scale events after scaling `from` → `to` at `nowMs`: events older than their direction's longest
 * policy period are dropped (HPA reuses their slots), the new one appended.
 */
export function recordScaleEvent(
  events: ScaleEvents,
  from: number,
  to: number,
  nowMs: number,
  behavior: Behavior,
): ScaleEvents {
  const fresh = (list: readonly ScaleEvent[], rules: ScalingRules): ScaleEvent[] =>
    list.filter((e) => e.atMs > nowMs - longestPeriodSec(rules) * 1000);
  const next: ScaleEvents = {
    up: fresh(events.up, behavior.scaleUp),
    down: fresh(events.down, behavior.scaleDown),
  };
  if (to > from) next.up.push({ atMs: nowMs, change: to - from });
  if (to < from) next.down.push({ atMs: nowMs, change: from - to });
  return next;
}
