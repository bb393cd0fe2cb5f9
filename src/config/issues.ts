// Where a configuration value came from and how a problem about it is reported. Every validator takes an
// `At` and a `Report`, so all problems are collected in one pass and each names its source.
import type { ConfigIssue } from './types.ts';

/** One step of a key path: a map key or a list index. */
export type Seg = string | number;

/** A 1-based position in the configuration file. */
export interface Pos {
  line: number;
  column: number;
}

/** Where a top-level value came from: the file (positions known), an environment variable or a flag. */
export interface Origin {
  readonly kind: 'file' | 'env' | 'flag';
  /** Names a key path for messages, e.g. `metric.timeout`, `env:metric.timeout`, `--interval`. */
  name(segs: readonly Seg[]): string;
  /**
   * JSON input rejects a number or boolean where a string belongs (Go's encoding/json does); YAML input
   * turns it into its string form (sigs.k8s.io/yaml does), so `namespace: 123` stays valid there.
   */
  readonly strictStrings: boolean;
  /** Position of the value (or of the key when `key`) at `segs`, or of its nearest located ancestor. */
  locate?(segs: readonly Seg[], key: boolean): Pos | undefined;
}

/** A place in the configuration: an origin plus the key path under it. */
export interface At {
  readonly origin: Origin;
  readonly segs: readonly Seg[];
}

/** The place one step below `at`. */
export function child(at: At, seg: Seg): At {
  return { origin: at.origin, segs: [...at.segs, seg] };
}

/** Renders a key path the way users write it: `metric.shell.command[0]`. */
export function joinPath(segs: readonly Seg[]): string {
  let text = '';
  for (const seg of segs) {
    text += typeof seg === 'number' ? `[${seg}]` : text === '' ? seg : `.${seg}`;
  }
  return text;
}

/** The origin of values read from the configuration file. */
export function fileOrigin(strictStrings: boolean, locate?: Origin['locate']): Origin {
  return { kind: 'file', name: joinPath, strictStrings, locate };
}

/** The origin of the value of environment variable `name` (always a top-level key). */
export function envOrigin(): Origin {
  return { kind: 'env', name: (segs) => `env:${joinPath(segs)}`, strictStrings: false };
}

/** The origin of a value given by command-line flag `flag` (e.g. `--interval`). */
export function flagOrigin(flag: string): Origin {
  return {
    kind: 'flag',
    name: (segs) => (segs.length > 1 ? `${flag} (${joinPath(segs.slice(1))})` : flag),
    strictStrings: true,
  };
}

/** Collects problems and notes while validating, so every problem is reported at once. */
export class Report {
  readonly issues: ConfigIssue[] = [];
  readonly notes: string[] = [];

  /** Records a problem with the value at `at` (or with its key, for unknown-key problems). */
  problem(at: At, message: string, options: { key?: boolean } = {}): void {
    const issue: ConfigIssue = { path: at.origin.name(at.segs), message };
    const pos = at.origin.locate?.(at.segs, options.key ?? false);
    if (pos !== undefined) {
      issue.line = pos.line;
      issue.column = pos.column;
    }
    this.issues.push(issue);
  }

  /** Records something the user should know about a valid configuration (a default applied, a rewrite). */
  note(message: string): void {
    this.notes.push(message);
  }
}

/** Renders a bad value for a message: strings quoted, objects as compact JSON, long values shortened. */
export function show(value: unknown): string {
  let text: string;
  if (value === undefined) text = 'nothing';
  else if (value instanceof Date) text = `timestamp ${value.toISOString()}`;
  // JSON would print null for these, and {} for the YAML 1.1 collections below.
  else if (typeof value === 'bigint' || typeof value === 'number') text = String(value);
  else if (value instanceof Map) text = 'a YAML !!omap or !!pairs';
  else if (value instanceof Set) text = 'a YAML !!set';
  else if (value instanceof Uint8Array) text = `YAML !!binary data (${value.length} bytes)`;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Edit distance between two short strings (key suggestions only). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The allowed key a mistyped or wrongly-cased key most likely meant, if any is close enough. */
export function suggestKey(key: string, allowed: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const sameLetters = allowed.find((k) => k.toLowerCase() === lower);
  if (sameLetters !== undefined) return sameLetters;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  // One edit per three letters, at most three: close enough to be a typo, far enough to skip unrelated keys.
  return bestDistance <= Math.min(3, Math.floor(key.length / 3)) ? best : undefined;
}

/** Message for a key that is not allowed at this place: a suggestion when one is close, else the allowed list. */
export function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  const suggestion = suggestKey(key, allowed);
  if (suggestion !== undefined && suggestion.toLowerCase() === key.toLowerCase()) {
    return `unknown key "${key}"; did you mean "${suggestion}"? (keys are case-sensitive)`;
  }
  if (suggestion !== undefined) return `unknown key "${key}"; did you mean "${suggestion}"?`;
  return `unknown key "${key}"; allowed: ${allowed.join(', ')}`;
}
