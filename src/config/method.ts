// Validation of method objects (§1.4): the metric and evaluate stages and the six hooks, in the v2 form
// and in the v0.8.0 (seed) form whose `shell` is one command string.
import { DEFAULT_TIMEOUT_MS } from './defaults.ts';
import { checkBool, checkEnum, checkInt, checkMap, checkString, isMapping } from './checks.ts';
import { checkHttp } from './http.ts';
import { child, show, type At, type Report } from './issues.ts';
import { METHOD_FIELDS, SHELL_FIELDS } from './keys.ts';
import type { ConfigFormat, Method, ShellMethod } from './types.ts';

/** The shell used for a seed `shell` string and for a v2 shell block without `entrypoint` (CPA's docs). */
export const DEFAULT_SHELL = '/bin/sh';

const present = (v: unknown): boolean => v !== undefined && v !== null;

/** Validates one method object of the given format; undefined when invalid (every problem recorded). */
export function checkMethod(r: Report, at: At, value: unknown, format: ConfigFormat): Method | undefined {
  return format === 'seed' ? checkSeedMethod(r, at, value) : checkV2Method(r, at, value);
}

function checkV2Method(r: Report, at: At, value: unknown): Method | undefined {
  const m = checkMap(r, at, value, METHOD_FIELDS, 'a method mapping {type, timeout, shell | http}');
  if (m === undefined) return undefined;
  const typeAt = child(at, 'type');
  const type = present(m.type)
    ? checkEnum(r, typeAt, m.type, ['shell', 'http'] as const)
    : void r.problem(typeAt, 'is required: "shell" or "http"');
  const timeoutMs = checkTimeout(r, at, m.timeout);
  const name = at.origin.name(at.segs);
  if (type !== 'http' && (type === 'shell' || present(m.shell))) {
    if (type === 'shell' && present(m.http))
      r.note(`${name}.http is ignored because ${name}.type is "shell"`);
    const shell = checkShell(r, child(at, 'shell'), m.shell);
    return type === 'shell' && shell && timeoutMs !== undefined ? { type, timeoutMs, shell } : undefined;
  }
  if (type === 'http' || present(m.http)) {
    if (type === 'http' && present(m.shell))
      r.note(`${name}.shell is ignored because ${name}.type is "http"`);
    const http = checkHttp(r, child(at, 'http'), m.http);
    return type === 'http' && http && timeoutMs !== undefined ? { type, timeoutMs, http } : undefined;
  }
  return undefined;
}

/** `timeout` in ms; missing means DEFAULT_TIMEOUT_MS (CPA's 0 would time out every call at once). */
function checkTimeout(r: Report, at: At, value: unknown): number | undefined {
  const timeoutAt = child(at, 'timeout');
  if (!present(value)) {
    const name = at.origin.name(at.segs);
    r.note(
      `${name}.timeout is not set; using ${DEFAULT_TIMEOUT_MS} ms (CPA would time out every call at once)`,
    );
    return DEFAULT_TIMEOUT_MS;
  }
  if (value === 0) {
    r.problem(
      timeoutAt,
      'must be a positive integer (milliseconds), got 0 (CPA times out every call at once)',
    );
    return undefined;
  }
  return checkInt(r, timeoutAt, value, { min: 1, unit: 'milliseconds' });
}

function checkShell(r: Report, at: At, value: unknown): ShellMethod | undefined {
  if (!present(value)) {
    r.problem(at, 'is required when type is "shell": {entrypoint, command}');
    return undefined;
  }
  const s = checkMap(r, at, value, SHELL_FIELDS, 'a mapping {entrypoint, command, logStderr}');
  if (s === undefined) return undefined;
  const entrypoint = present(s.entrypoint)
    ? checkString(r, child(at, 'entrypoint'), s.entrypoint, { nonEmpty: true })
    : undefined;
  const command = present(s.command) ? checkCommand(r, child(at, 'command'), s.command) : [];
  const logStderr = present(s.logStderr) ? checkBool(r, child(at, 'logStderr'), s.logStderr) : false;
  if (!present(s.entrypoint) && !present(s.command)) {
    r.problem(at, 'needs "entrypoint" (the program to run) or "command" (its arguments), got neither');
    return undefined;
  }
  if (!present(s.entrypoint)) {
    r.note(`${at.origin.name(at.segs)}.entrypoint is not set; running the command with ${DEFAULT_SHELL}`);
  }
  if ((present(s.entrypoint) && entrypoint === undefined) || !command || logStderr === undefined)
    return undefined;
  return { entrypoint: entrypoint ?? DEFAULT_SHELL, command, logStderr };
}

/** `command`: the argument list; a single string is the v0.9 form and is refused with the fix. */
function checkCommand(r: Report, at: At, value: unknown): string[] | undefined {
  if (typeof value === 'string') {
    r.problem(
      at,
      `must be a list of arguments (since CPA v0.10), got ${show(value)}; write [${show(value)}]`,
    );
    return undefined;
  }
  if (!Array.isArray(value)) {
    r.problem(at, `must be a list of argument strings, got ${show(value)}`);
    return undefined;
  }
  const args = value.map((arg, i) => checkString(r, child(at, i), arg));
  return args.every((a) => a !== undefined) ? (args as string[]) : undefined;
}

/**
 * A v0.8.0 method `{type: shell, timeout, shell: "<command>"}`. v0.8.0 ran `sh -c "echo '<payload>' | <command>"`;
 * we run `/bin/sh -c <command>` with the payload on stdin, so a `'` in the payload cannot break the command.
 * v2 parts (an object `shell`, `type: http`, an `http` block) were already reported as format mixing.
 */
function checkSeedMethod(r: Report, at: At, value: unknown): Method | undefined {
  const m = checkMap(
    r,
    at,
    value,
    METHOD_FIELDS,
    'a method mapping {type: shell, timeout, shell: "<command>"}',
  );
  if (m === undefined) return undefined;
  if (m.type === 'http' || isMapping(m.shell)) return undefined;
  const type = present(m.type)
    ? checkEnum(r, child(at, 'type'), m.type, ['shell'] as const)
    : void r.problem(child(at, 'type'), 'is required: "shell"');
  const timeoutMs = checkTimeout(r, at, m.timeout);
  const shellAt = child(at, 'shell');
  const script = present(m.shell)
    ? checkString(r, shellAt, m.shell, { nonEmpty: true })
    : void r.problem(shellAt, 'is required: the command line to run, e.g. "python /metric.py"');
  if (type === undefined || timeoutMs === undefined || script === undefined) return undefined;
  return { type, timeoutMs, shell: { entrypoint: DEFAULT_SHELL, command: ['-c', script], logStderr: false } };
}
