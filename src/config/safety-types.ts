// The shapes of the safety keys beyond CPA (`behavior`: HPA semantics; `fallback`: KEDA semantics) and
// HPA's defaults. Types and constants only, so that config/types.ts can name them without a cycle.

/** How one policy measures change: a number of pods or a percentage of the replicas at the period's start. */
export type PolicyType = 'Pods' | 'Percent';
/** Which policy wins when several allow different changes; `Disabled` forbids the direction. */
export type SelectPolicy = 'Max' | 'Min' | 'Disabled';

/** One HPAScalingPolicy: at most `value` pods/percent of change within any `periodSec`. */
export interface ScalingPolicy {
  type: PolicyType;
  value: number;
  periodSec: number;
}

/** One direction of `behavior`, every field settled (HPA's defaults filled in). */
export interface ScalingRules {
  stabilizationWindowSec: number;
  selectPolicy: SelectPolicy;
  policies: ScalingPolicy[];
}

/** `behavior` after defaulting: both directions present. */
export interface Behavior {
  scaleUp: ScalingRules;
  scaleDown: ScalingRules;
}

export const FALLBACK_BEHAVIORS = [
  'static',
  'currentReplicas',
  'currentReplicasIfHigher',
  'currentReplicasIfLower',
] as const;
/** KEDA's `fallback.behavior`. */
export type FallbackBehavior = (typeof FALLBACK_BEHAVIORS)[number];

/** `fallback`: after more than `failureThreshold` failed cycles in a row, scale as `behavior` says. */
export interface Fallback {
  failureThreshold: number;
  replicas: number;
  behavior: FallbackBehavior;
}

/**
 * HPA's defaults (k8s.io/kubernetes pkg/apis/autoscaling/v2 defaults): scale up at once by the larger of
 * 100 % or 4 pods per 15 s; scale down after a 300 s window by up to 100 % per 15 s.
 */
export const HPA_DEFAULTS: Behavior = {
  scaleUp: {
    stabilizationWindowSec: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSec: 15 },
      { type: 'Percent', value: 100, periodSec: 15 },
    ],
  },
  scaleDown: {
    stabilizationWindowSec: 300,
    selectPolicy: 'Max',
    policies: [{ type: 'Percent', value: 100, periodSec: 15 }],
  },
};
