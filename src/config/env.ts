// Environment overrides (CPA §1.2): a variable counts only when its name equals a top-level key exactly,
// because the operator and the shell put many unrelated variables into the environment.
import { envOrigin, type At, type Report } from './issues.ts';
import type { EnvKind } from './keys.ts';
import { parseEnvValue } from './parse.ts';

/** One top-level value and where it came from. */
export interface Entry {
  readonly value: unknown;
  readonly at: At;
}

/** Stands for a value that could not be decoded at all (already reported); validators skip it. */
export const UNREADABLE: unique symbol = Symbol('unreadable');

/** Converts one environment value by the kind of its key; a text that is not an integer stays a string. */
export function convertEnvValue(
  kind: EnvKind,
  text: string,
): { ok: true; value: unknown } | { ok: false; message: string } {
  if (kind === 'string') return { ok: true, value: text };
  if (kind === 'int') {
    // Kept as text when not base-10 so the field's own rule reports it: `must be ..., got "15s"`.
    return { ok: true, value: /^[+-]?\d+$/.test(text) ? Number.parseInt(text, 10) : text };
  }
  return parseEnvValue(text);
}

/** Entries for the environment variables named exactly like a key in `keys`; undecodable values are reported. */
export function envEntries(
  env: Readonly<Record<string, string | undefined>>,
  keys: Readonly<Record<string, EnvKind>>,
  r: Report,
): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  const origin = envOrigin();
  for (const [key, kind] of Object.entries(keys)) {
    const text = env[key];
    if (text === undefined) continue;
    const at: At = { origin, segs: [key] };
    const converted = convertEnvValue(kind, text);
    if (converted.ok) {
      entries.set(key, { value: converted.value, at });
    } else {
      r.problem(at, converted.message);
      entries.set(key, { value: UNREADABLE, at });
    }
  }
  return entries;
}
