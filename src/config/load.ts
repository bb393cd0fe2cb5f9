// The configuration as a pure function of the file text, the environment and the flags
// (precedence: flags > env > file > DEFAULTS). Every problem is reported at once; nothing runs with one.
import { isMapping } from './checks.ts';
import { rewriteImagePaths } from './dockerfile.ts';
import { envEntries, type Entry } from './env.ts';
import { flagOrigin, Report, show, type Origin } from './issues.ts';
import { SEED_KEYS, SEED_ONLY_KEYS, V2_KEYS } from './keys.ts';
import { parseConfigText } from './parse.ts';
import { checkFormatMixing, decideFormat } from './seed.ts';
import type { Config, ConfigIssue, Method, ScaleTargetRef } from './types.ts';
import { buildConfig } from './validate.ts';

/** Values given on the command line; they win over the environment and the file. */
export interface ConfigFlags {
  namespace?: string;
  target?: ScaleTargetRef;
  /** `null` means --no-api. */
  apiAddr?: { host: string; port: number } | null;
  /** Milliseconds. */
  interval?: number;
}

/** Everything loadConfig reads; no I/O happens inside. */
export interface LoadInput {
  /** File contents. */
  text: string;
  /** For messages. */
  fileName: string;
  /** Process environment: a variable named exactly like a top-level key overrides it (§1.2). */
  env: Readonly<Record<string, string | undefined>>;
  flags?: ConfigFlags;
  /** In-image path → local path (from the Dockerfile), applied to shell entrypoints and arguments. */
  imagePaths?: ReadonlyMap<string, string>;
  /**
   * What running the config needs beyond a valid file, checked with the rest so every problem shows at once:
   * a scale target (unless `--target` names one to look up) and no feature kubectl-cpa lacks yet.
   */
  forRun?: { targetLookedUp: boolean };
}

/** A valid configuration with notes worth showing, or every problem found. */
export type LoadResult = { ok: true; config: Config; notes: string[] } | { ok: false; issues: ConfigIssue[] };

/** Parses, merges, normalises and validates a configuration (file + env + flags) into a Config. */
export function loadConfig(input: LoadInput): LoadResult {
  const parsed = parseConfigText(input.text, input.fileName);
  if (!parsed.ok) return parsed;
  const { root, origin } = parsed.file;
  if (root !== null && !isMapping(root)) {
    const issue: ConfigIssue = {
      path: input.fileName,
      message: `must be a mapping of keys, got ${show(root)}`,
    };
    return { ok: false, issues: [issue] };
  }
  const r = new Report();
  r.notes.push(...parsed.file.notes);
  const entries = new Map<string, Entry>(
    Object.entries(root ?? {}).map(([key, value]) => [key, { value, at: { origin, segs: [key] } }]),
  );
  const env = envEntries(input.env, V2_KEYS, r);
  mergeEnv(entries, env, input.fileName, r);
  const format = decideFormat(entries);
  // host/port are keys only in the seed format; elsewhere a variable so named is just unrelated.
  if (format === 'seed') {
    const seedOnly = Object.fromEntries(
      Object.entries(SEED_KEYS).filter(([k]) => SEED_ONLY_KEYS.includes(k)),
    );
    mergeEnv(entries, envEntries(input.env, seedOnly, r), input.fileName, r);
  }
  const mixed = checkFormatMixing(entries, format, r);
  mergeFlags(entries, input.flags ?? {});
  const config = buildConfig(entries, { format, mixed, fileOrigin: origin }, r);
  applyApiFlag(config, input.flags?.apiAddr, r);
  if (input.imagePaths !== undefined) applyImagePaths(config, input.imagePaths, r);
  if (input.forRun !== undefined) checkRunnable(config, entries, { ...input.forRun, fileOrigin: origin }, r);
  if (r.issues.length > 0) return { ok: false, issues: inFileOrder(r.issues) };
  return { ok: true, config, notes: r.notes };
}

/** The run-time checks of LoadInput.forRun, located at the key where there is one. */
function checkRunnable(
  config: Config,
  entries: ReadonlyMap<string, Entry>,
  forRun: { targetLookedUp: boolean; fileOrigin: Origin },
  r: Report,
): void {
  if (config.scaleTargetRef === null && !forRun.targetLookedUp && !entries.has('scaleTargetRef')) {
    r.problem(
      { origin: forRun.fileOrigin, segs: ['scaleTargetRef'] },
      'is required to run: set it in the config or the scaleTargetRef environment variable, or pass --target (e.g. --target deployment/web)',
    );
  }
}

/** Problems located in the file in line order, then the others (environment, flags, missing keys) as found. */
function inFileOrder(issues: ConfigIssue[]): ConfigIssue[] {
  const located = issues.filter((i) => i.line !== undefined);
  located.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return [...located, ...issues.filter((i) => i.line === undefined)];
}

function mergeEnv(
  entries: Map<string, Entry>,
  env: ReadonlyMap<string, Entry>,
  fileName: string,
  r: Report,
): void {
  for (const [key, entry] of env) {
    const verb = entries.has(key) ? `overrides ${key} from ${fileName}` : `sets ${key}`;
    r.note(`environment variable "${key}" ${verb}`);
    entries.set(key, entry);
  }
}

/** Flags become top-level entries too, so their values pass the same rules and name the flag in problems. */
function mergeFlags(entries: Map<string, Entry>, flags: ConfigFlags): void {
  const set = (key: string, flag: string, value: unknown): void => {
    const origin: Origin = flagOrigin(flag);
    entries.set(key, { value, at: { origin, segs: [key] } });
  };
  if (flags.namespace !== undefined) set('namespace', '--namespace', flags.namespace);
  if (flags.interval !== undefined) set('interval', '--interval', flags.interval);
  if (flags.target !== undefined) set('scaleTargetRef', '--target', { ...flags.target });
}

function applyApiFlag(config: Config, apiAddr: ConfigFlags['apiAddr'], r: Report): void {
  if (apiAddr === undefined) return;
  if (apiAddr === null) {
    config.api = { ...config.api, enabled: false };
    return;
  }
  const { host, port } = apiAddr;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    r.problem(
      { origin: flagOrigin('--api-addr'), segs: ['apiAddr'] },
      `port must be 0-65535, got ${show(port)}`,
    );
    return;
  }
  config.api = { ...config.api, enabled: true, host, port };
}

/** A shell whose `-c` argument is a script: paths in it are shell words and may need quoting. */
function isShell(entrypoint: string): boolean {
  return /(^|\/)(sh|bash|dash|ash|zsh|ksh)$/.test(entrypoint);
}

function rewriteMethod(method: Method, map: ReadonlyMap<string, string>, used: Set<string>): Method {
  if (method.type !== 'shell') return method;
  const rewrite = (text: string, quote: boolean): string => {
    const result = rewriteImagePaths(text, map, quote);
    result.used.forEach((p) => used.add(p));
    return result.text;
  };
  const { entrypoint, command } = method.shell;
  const shell = isShell(entrypoint);
  return {
    ...method,
    shell: {
      ...method.shell,
      entrypoint: rewrite(entrypoint, false),
      command: command.map((arg, i) => rewrite(arg, shell && command[i - 1] === '-c')),
    },
  };
}

/** Points every shell method at the local copies of in-image files, noting each mapping used. */
function applyImagePaths(config: Config, map: ReadonlyMap<string, string>, r: Report): void {
  const used = new Set<string>();
  config.metric = rewriteMethod(config.metric, map, used);
  config.evaluate = rewriteMethod(config.evaluate, map, used);
  for (const [name, method] of Object.entries(config.hooks)) {
    config.hooks[name as keyof Config['hooks']] = rewriteMethod(method, map, used);
  }
  for (const imagePath of used) {
    r.note(`mapped image path ${imagePath} to ${map.get(imagePath) ?? imagePath} (Dockerfile ADD/COPY)`);
  }
}
