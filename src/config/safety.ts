// The safety keys beyond CPA: `behavior` (autoscaling/v2 HPA semantics and defaults) and `fallback` (KEDA
// semantics). Both optional; left out, the autoscaler behaves exactly as CPA does.
import { checkEnum, checkInt, checkMap } from './checks.ts';
import { UNREADABLE, type Entry } from './env.ts';
import { child, show, type At, type Report } from './issues.ts';
import {
  FALLBACK_BEHAVIORS,
  HPA_DEFAULTS,
  type Behavior,
  type Fallback,
  type PolicyType,
  type ScalingPolicy,
  type ScalingRules,
  type SelectPolicy,
} from './safety-types.ts';

export type { Behavior, Fallback, ScalingRules } from './safety-types.ts';
export { HPA_DEFAULTS } from './safety-types.ts';

const RULE_FIELDS = ['stabilizationWindowSeconds', 'selectPolicy', 'policies'] as const;
const POLICY_FIELDS = ['type', 'value', 'periodSeconds'] as const;
const SELECT_POLICIES: readonly SelectPolicy[] = ['Max', 'Min', 'Disabled'];
const POLICY_TYPES: readonly PolicyType[] = ['Pods', 'Percent'];
const present = (v: unknown): boolean => v !== undefined && v !== null;

/**
 * `behavior`, defaulted like HPA's. `downscaleStabilizationSec` (CPA's key, when given) is the scale-down
 * window; giving it and `behavior.scaleDown.stabilizationWindowSeconds` both is an error naming both.
 */
export function checkBehavior(
  r: Report,
  entry: Entry | undefined,
  downscale: Entry | undefined,
): Behavior | undefined {
  if (entry === undefined || entry.value === null || entry.value === UNREADABLE) return undefined;
  const m = checkMap(r, entry.at, entry.value, ['scaleUp', 'scaleDown'], 'a mapping {scaleUp, scaleDown}');
  if (m === undefined) return undefined;
  const scaleUp = checkRules(r, child(entry.at, 'scaleUp'), m.scaleUp, HPA_DEFAULTS.scaleUp);
  const scaleDown = checkRules(r, child(entry.at, 'scaleDown'), m.scaleDown, HPA_DEFAULTS.scaleDown);
  const downWindowGiven =
    isRecord(m.scaleDown) && present((m.scaleDown as Record<string, unknown>).stabilizationWindowSeconds);
  if (downscale !== undefined && downscale.value !== null && downscale.value !== UNREADABLE) {
    const cpaKey = downscale.at.origin.name(downscale.at.segs);
    if (downWindowGiven) {
      r.problem(
        child(child(entry.at, 'scaleDown'), 'stabilizationWindowSeconds'),
        `conflicts with ${cpaKey}: both set the scale-down stabilization window; give only one of them`,
      );
    } else if (typeof downscale.value === 'number' && Number.isInteger(downscale.value)) {
      scaleDown.stabilizationWindowSec = downscale.value;
    }
  }
  return { scaleUp, scaleDown };
}

function isRecord(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One direction; omitted parts take HPA's default for that direction. */
function checkRules(r: Report, at: At, value: unknown, defaults: ScalingRules): ScalingRules {
  const rules: ScalingRules = { ...defaults, policies: defaults.policies.map((p) => ({ ...p })) };
  if (!present(value)) return rules;
  const m = checkMap(r, at, value, RULE_FIELDS, `a mapping {${RULE_FIELDS.join(', ')}}`);
  if (m === undefined) return rules;
  if (present(m.stabilizationWindowSeconds)) {
    const window = checkInt(r, child(at, 'stabilizationWindowSeconds'), m.stabilizationWindowSeconds, {
      min: 0,
      max: 3600,
      unit: 'seconds',
    });
    if (window !== undefined) rules.stabilizationWindowSec = window;
  }
  if (present(m.selectPolicy)) {
    rules.selectPolicy =
      checkEnum(r, child(at, 'selectPolicy'), m.selectPolicy, SELECT_POLICIES) ?? rules.selectPolicy;
  }
  if (present(m.policies))
    rules.policies = checkPolicies(r, child(at, 'policies'), m.policies) ?? rules.policies;
  return rules;
}

function checkPolicies(r: Report, at: At, value: unknown): ScalingPolicy[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    r.problem(
      at,
      `must be a non-empty list of {type: Pods | Percent, value, periodSeconds}, got ${show(value)}`,
    );
    return undefined;
  }
  const policies: ScalingPolicy[] = [];
  value.forEach((item: unknown, i) => {
    const pat = child(at, i);
    const m = checkMap(r, pat, item, POLICY_FIELDS, `a mapping {${POLICY_FIELDS.join(', ')}}`);
    if (m === undefined) return;
    for (const key of POLICY_FIELDS) {
      if (!present(m[key])) r.problem(child(pat, key), `is required in every policy`);
    }
    const type = present(m.type) ? checkEnum(r, child(pat, 'type'), m.type, POLICY_TYPES) : undefined;
    // HPA's API validation: value > 0, 0 < periodSeconds <= 1800.
    const v = present(m.value) ? checkInt(r, child(pat, 'value'), m.value, { min: 1 }) : undefined;
    const period = present(m.periodSeconds)
      ? checkInt(r, child(pat, 'periodSeconds'), m.periodSeconds, { min: 1, max: 1800, unit: 'seconds' })
      : undefined;
    if (type !== undefined && v !== undefined && period !== undefined) {
      policies.push({ type, value: v, periodSec: period });
    }
  });
  return policies.length === value.length ? policies : undefined;
}

const FALLBACK_FIELDS = ['failureThreshold', 'replicas', 'behavior'] as const;

/** `fallback`: failureThreshold and replicas required (as in KEDA), behavior defaults to `static`. */
export function checkFallback(r: Report, entry: Entry | undefined): Fallback | undefined {
  if (entry === undefined || entry.value === null || entry.value === UNREADABLE) return undefined;
  const at = entry.at;
  const m = checkMap(r, at, entry.value, FALLBACK_FIELDS, `a mapping {${FALLBACK_FIELDS.join(', ')}}`);
  if (m === undefined) return undefined;
  for (const key of ['failureThreshold', 'replicas'] as const) {
    if (!present(m[key])) r.problem(child(at, key), 'is required: a non-negative integer');
  }
  const failureThreshold = present(m.failureThreshold)
    ? checkInt(r, child(at, 'failureThreshold'), m.failureThreshold, { min: 0 })
    : undefined;
  const replicas = present(m.replicas)
    ? checkInt(r, child(at, 'replicas'), m.replicas, { min: 0 })
    : undefined;
  const behavior = present(m.behavior)
    ? checkEnum(r, child(at, 'behavior'), m.behavior, FALLBACK_BEHAVIORS)
    : 'static';
  if (failureThreshold === undefined || replicas === undefined || behavior === undefined) return undefined;
  return { failureThreshold, replicas, behavior };
}
