// The v0.8.0 ("seed") format of the getting-started guide (§9.2): recognised by a method whose `shell` is a
// string, or by top-level `host`/`port`. A file that mixes it with v2 syntax is refused, naming both sides,
// because the two formats feed user logic different payloads and a half-converted file cannot be both.
import { checkInt, checkString, isMapping } from './checks.ts';
import { DEFAULTS } from './defaults.ts';
import { UNREADABLE, type Entry } from './env.ts';
import { child, type At, type Report } from './issues.ts';
import { METHOD_KEYS, SEED_ONLY_KEYS, V2_ONLY_KEYS } from './keys.ts';
import type { ApiConfig, ConfigFormat } from './types.ts';

/** A piece of syntax that only one format has. */
interface Signal {
  at: At;
  /** Human description, e.g. `metric.shell is a string`. */
  what: string;
  /** For v0.8.0-only syntax: what it is called in v2. */
  v2Name?: string;
}

function name(at: At): string {
  return at.origin.name(at.segs);
}

/** Finds the syntax of each format among the merged top-level entries. */
function findSignals(entries: ReadonlyMap<string, Entry>): {
  shells: Signal[];
  hostPort: Signal[];
  v2: Signal[];
} {
  const shells: Signal[] = [];
  const hostPort: Signal[] = [];
  const v2: Signal[] = [];
  for (const [key, { value, at }] of entries) {
    if (SEED_ONLY_KEYS.includes(key))
      hostPort.push({ at, what: `${name(at)} is set`, v2Name: `apiConfig.${key}` });
    if (V2_ONLY_KEYS.includes(key)) v2.push({ at, what: `${name(at)} is set` });
    if (!METHOD_KEYS.includes(key) || !isMapping(value)) continue;
    // Inside a hook (itself v2-only) one report for the hook is enough, and a string `shell` there is a
    // mistake in a v2 hook, not a sign of the seed format: it must not turn the rest of the file into one.
    if (V2_ONLY_KEYS.includes(key)) continue;
    if (typeof value.shell === 'string') {
      shells.push({ at: child(at, 'shell'), what: `${name(child(at, 'shell'))} is a string` });
    }
    if (isMapping(value.shell))
      v2.push({ at: child(at, 'shell'), what: `${name(child(at, 'shell'))} is a mapping` });
    if (value.type === 'http') v2.push({ at: child(at, 'type'), what: `${name(at)} is an http method` });
    if (value.http !== undefined)
      v2.push({ at: child(at, 'http'), what: `${name(child(at, 'http'))} is set` });
  }
  return { shells, hostPort, v2 };
}

/** The format of the merged entries: a string `shell` decides seed; otherwise any v2 syntax decides v2. */
export function decideFormat(entries: ReadonlyMap<string, Entry>): ConfigFormat {
  const { shells, hostPort, v2 } = findSignals(entries);
  // A string `shell` is decisive: it is how the seed's user logic is invoked. host/port alone is weaker.
  return shells.length > 0 || (v2.length === 0 && hostPort.length > 0) ? 'seed' : 'v2';
}

/**
 * Reports every piece of syntax that belongs to the other format than `format` and returns the top-level
 * keys so reported, which later checks leave alone. Notes how a seed configuration will be run.
 */
export function checkFormatMixing(
  entries: ReadonlyMap<string, Entry>,
  format: ConfigFormat,
  r: Report,
): Set<string> {
  const { shells, hostPort, v2 } = findSignals(entries);
  const seed = [...shells, ...hostPort];
  const [wrong, right] = format === 'seed' ? [v2, seed] : [seed, v2];
  const why = right.map((s) => s.what).join(', ');
  const mixed = new Set<string>();
  for (const signal of wrong) {
    const message =
      format === 'seed'
        ? `mixes formats: ${signal.what} (v2 syntax), but ${why} (v0.8.0 seed syntax); remove it, or convert ` +
          `all to v2 (shell "<cmd>" becomes {entrypoint: /bin/sh, command: [-c, "<cmd>"]}, host/port go in apiConfig)`
        : `mixes formats: ${signal.what} (v0.8.0 seed syntax), but ${why} (v2 syntax); use ${signal.v2Name} instead`;
    r.problem(signal.at, message);
    if (signal.at.segs.length === 1) mixed.add(String(signal.at.segs[0]));
  }
  if (format === 'seed') {
    r.note(
      `v0.8.0 (seed) format: ${why}; each shell string runs as /bin/sh -c "<string>" with the payload ` +
        'on stdin (evaluate gets {deployment, run_type, metrics} and returns {target_replicas})',
    );
  }
  return mixed;
}

/** The API of a seed configuration: top-level `host`/`port`, always enabled, plain HTTP. */
export function seedApi(r: Report, entries: ReadonlyMap<string, Entry>): ApiConfig | undefined {
  const host = entries.get('host');
  const port = entries.get('port');
  const hostValue =
    host === undefined || host.value === null || host.value === UNREADABLE
      ? DEFAULTS.seedHost
      : checkString(r, host.at, host.value, { nonEmpty: true });
  const portValue =
    port === undefined || port.value === null || port.value === UNREADABLE
      ? DEFAULTS.seedPort
      : checkInt(r, port.at, port.value, { min: 0, max: 65535 });
  if (hostValue === undefined || portValue === undefined) return undefined;
  return { enabled: true, useHTTPS: false, host: hostValue, port: portValue, certFile: '', keyFile: '' };
}
