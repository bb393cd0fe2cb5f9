// Typed readers for configuration values: each returns the value when it is valid, otherwise records one
// problem naming the rule and the bad value, and returns undefined so the caller keeps validating.
import { child, show, unknownKeyMessage, type At, type Report } from './issues.ts';

const INT32_MAX = 2_147_483_647;

/** Bounds and unit of an integer field. Unbounded sides default to Go's int32 range. */
export interface IntRule {
  min?: number;
  max?: number;
  unit?: string;
}

/** "a positive integer (milliseconds)" and friends, from the rule. */
export function describeInt(rule: IntRule): string {
  const { min, max } = rule;
  let text: string;
  if (min !== undefined && max !== undefined && max <= 1_000_000) text = `an integer from ${min} to ${max}`;
  else if (min === 1) text = 'a positive integer';
  else if (min === 0) text = 'a non-negative integer';
  else text = 'an integer';
  return rule.unit === undefined ? text : `${text} (${rule.unit})`;
}

/** Reads an integer within the rule's bounds. */
export function checkInt(r: Report, at: At, value: unknown, rule: IntRule): number | undefined {
  const max = rule.max ?? INT32_MAX;
  const min = rule.min ?? -INT32_MAX - 1;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  const tooBig = typeof value === 'number' && Number.isInteger(value) && value > max;
  const limit = tooBig && !(rule.max !== undefined && rule.max <= 1_000_000) ? ` no greater than ${max}` : '';
  r.problem(at, `must be ${describeInt(rule)}${limit}, got ${show(value)}`);
  return undefined;
}

/** Reads a string; a YAML number or boolean becomes its string form unless the origin is strict (JSON). */
export function checkString(
  r: Report,
  at: At,
  value: unknown,
  options: { nonEmpty?: boolean } = {},
): string | undefined {
  let text: string | undefined;
  if (typeof value === 'string') text = value;
  else if (!at.origin.strictStrings && (typeof value === 'number' || typeof value === 'boolean'))
    text = String(value);
  if (text === undefined) {
    r.problem(at, `must be a string, got ${show(value)}`);
    return undefined;
  }
  if (options.nonEmpty && text.trim() === '') {
    r.problem(at, `must be a non-empty string, got ${show(text)}`);
    return undefined;
  }
  return text;
}

/** Reads a boolean (`true`/`false`; YAML 1.1 words such as `yes` already arrive as booleans). */
export function checkBool(r: Report, at: At, value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  r.problem(at, `must be true or false, got ${show(value)}`);
  return undefined;
}

/** Reads one of a fixed set of strings (exact, case-sensitive like CPA). */
export function checkEnum<T extends string>(
  r: Report,
  at: At,
  value: unknown,
  allowed: readonly T[],
): T | undefined {
  const found = allowed.find((a) => a === value);
  if (found !== undefined) return found;
  const hint =
    typeof value === 'string' ? allowed.find((a) => a.toLowerCase() === value.toLowerCase()) : undefined;
  const suffix = hint === undefined ? '' : ` (values are case-sensitive: "${hint}")`;
  r.problem(at, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${show(value)}${suffix}`);
  return undefined;
}

/** True for a plain key/value mapping (not a list, not null, not a decoded !!omap, !!set, !!binary or timestamp). */
export function isMapping(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  // YAML 1.1 tags decode to Map, Set, Uint8Array or Date, whose entries Object.entries cannot see.
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Reads a mapping and reports every key outside `allowed`. `what` names the mapping in the type error. */
export function checkMap(
  r: Report,
  at: At,
  value: unknown,
  allowed: readonly string[],
  what = 'a mapping',
): Record<string, unknown> | undefined {
  if (!isMapping(value)) {
    r.problem(at, `must be ${what}, got ${show(value)}`);
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) r.problem(child(at, key), unknownKeyMessage(key, allowed), { key: true });
  }
  return value;
}
