// Shared inputs of the configuration property tests: a valid base file, the key vocabulary, hostile values
// built from it, and what every load result must satisfy.
import assert from 'node:assert/strict';
import { loadConfig, type LoadResult } from '../../../src/config/load.ts';
import { SEED_KEYS, V2_KEYS } from '../../../src/config/keys.ts';
import type { Config } from '../../../src/config/types.ts';
import { hostileValue } from './arbitraries.ts';

/** A valid v2 shell method. */
export const SHELL = { type: 'shell', timeout: 1000, shell: { entrypoint: 'python', command: ['/m.py'] } };
/** The smallest valid v2 configuration. */
export const BASE = { metric: SHELL, evaluate: SHELL };
/** BASE as block YAML, so that tests can append lines. */
export const BASE_TEXT = `metric: ${JSON.stringify(SHELL)}\nevaluate: ${JSON.stringify(SHELL)}\n`;
/** Every top-level key of both formats. */
export const KEYS = [...new Set([...Object.keys(V2_KEYS), ...Object.keys(SEED_KEYS)])];
/** Words of every level of the configuration, so generated mappings often hit real keys. */
export const WORDS = [
  ...KEYS,
  ...['type', 'timeout', 'shell', 'http', 'entrypoint', 'command', 'logStderr', 'method', 'url', 'headers'],
  ...['successCodes', 'parameterMode', 'caCert', 'clientCert', 'clientKey', 'enabled', 'useHTTPS', 'host'],
  ...['port', 'certFile', 'keyFile', 'apiVersion', 'kind', 'name', 'resource', 'pods', '<<'],
];
/** Scalars that are valid somewhere in a configuration. */
export const LEAVES = [
  'shell',
  'http',
  'GET',
  'http://127.0.0.1/x',
  'query',
  'body',
  'apps/v1',
  'Deployment',
  'per-pod',
];
/** Any JSON-like value, often made of configuration words. */
export const value = hostileValue(WORDS, LEAVES);

/** loadConfig of `text` as config.yaml with environment `env`. */
export function load(text: string, env: Record<string, string> = {}): LoadResult {
  return loadConfig({ text, fileName: 'config.yaml', env });
}

/** What every result must satisfy: issues name a path and carry one-line messages; a config is in range. */
export function assertWellFormed(result: LoadResult): void {
  if (!result.ok) {
    assert.ok(result.issues.length > 0, 'a failed load reports at least one issue');
    for (const issue of result.issues) {
      assert.equal(typeof issue.path, 'string');
      assert.ok(issue.message.length > 0, 'an issue says what is wrong');
      assert.doesNotMatch(issue.message, /\n\s+at /, 'no stack trace in a message');
    }
    return;
  }
  assertConfigInRange(result.config);
}

function assertConfigInRange(c: Config): void {
  const int = (n: number, min: number, max = 2 ** 31 - 1): boolean =>
    Number.isInteger(n) && n >= min && n <= max;
  assert.ok(int(c.intervalMs, 1) && int(c.startTimeMs, 0), 'interval and startTime in range');
  assert.ok(int(c.minReplicas, 0) && int(c.maxReplicas, c.minReplicas), 'min <= max');
  assert.ok(int(c.metricConcurrency, 1, 100), 'metricConcurrency 1-100');
  assert.ok(int(c.api.port, 0, 65535), 'api port 0-65535');
  if (c.namespace !== undefined) assert.match(c.namespace, /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
  for (const m of [c.metric, c.evaluate, ...Object.values(c.hooks)]) {
    assert.ok(int(m.timeoutMs, 1), 'method timeout is a positive integer');
    if (m.type === 'shell') assert.ok(m.shell.command.every((a) => typeof a === 'string'));
    else assert.ok(m.http.successCodes.length > 0 && /^https?:/.test(m.http.url));
  }
}
