// Environment overrides (§1.2) and flags: precedence flags > env > file > defaults, conversion by key type.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULTS } from '../../../src/config/defaults.ts';
import { convertEnvValue } from '../../../src/config/env.ts';
import type { Config } from '../../../src/config/types.ts';
import { BASE, loadOk, type LoadOptions } from './fixtures.ts';

interface Row {
  name: string;
  given: { text?: string } & LoadOptions;
  want: Partial<Config>;
  note?: string;
}

const ECHO = (arg: string): Config['metric'] => ({
  type: 'shell',
  timeoutMs: 700,
  shell: { entrypoint: 'echo', command: [arg], logStderr: false },
});

const rows: Row[] = [
  { name: 'string key verbatim', given: { env: { namespace: 'team-a' } }, want: { namespace: 'team-a' } },
  { name: 'runMode string', given: { env: { runMode: 'per-resource' } }, want: { runMode: 'per-resource' } },
  { name: 'int key base-10', given: { env: { interval: '5000' } }, want: { intervalMs: 5000 } },
  { name: 'int key with a plus sign', given: { env: { interval: '+250' } }, want: { intervalMs: 250 } },
  {
    name: 'downscaleStabilization int',
    given: { env: { downscaleStabilization: '60' } },
    want: { downscaleStabilizationSec: 60 },
  },
  {
    name: 'metricConcurrency int',
    given: { env: { metricConcurrency: '3' } },
    want: { metricConcurrency: 3 },
  },
  {
    name: 'int32 key as a YAML scalar',
    given: { env: { minReplicas: '0', maxReplicas: '7' } },
    want: { minReplicas: 0, maxReplicas: 7 },
  },
  {
    name: 'int64 key as a YAML scalar',
    given: { env: { startTime: '60000' } },
    want: { startTimeMs: 60000 },
  },
  { name: 'logVerbosity negative', given: { env: { logVerbosity: '-1' } }, want: { logVerbosity: -1 } },
  {
    name: 'bool key accepts YAML 1.1 words',
    given: { env: { requireKubernetesMetrics: 'yes' } },
    want: { requireKubernetesMetrics: true },
  },
  {
    name: 'seconds keys',
    given: { env: { initialReadinessDelay: '5', cpuInitializationPeriod: '6' } },
    want: { initialReadinessDelaySec: 5, cpuInitializationPeriodSec: 6 },
  },
  {
    name: "scaleTargetRef in the operator's JSON form",
    given: { env: { scaleTargetRef: '{"kind":"Deployment","name":"web","apiVersion":"apps/v1"}' } },
    want: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } },
  },
  {
    name: 'a method from the environment replaces the file one entirely',
    given: {
      env: { metric: '{"type":"shell","timeout":700,"shell":{"entrypoint":"echo","command":["x"]}}' },
    },
    want: { metric: ECHO('x') },
  },
  {
    name: 'a hook as YAML flow text',
    given: { env: { postScale: '{type: shell, timeout: 700, shell: {entrypoint: echo, command: [done]}}' } },
    want: { hooks: { postScale: ECHO('done') } },
  },
  {
    name: 'kubernetesMetricSpecs array',
    given: { env: { kubernetesMetricSpecs: '[{"type":"Pods","pods":{"metric":{"name":"qps"}}}]' } },
    want: { kubernetesMetricSpecs: [{ type: 'Pods', pods: { metric: { name: 'qps' } } }] },
  },
  {
    name: 'apiConfig replaces the whole object: omitted sub-keys take zero values',
    given: {
      text: `${BASE}apiConfig: {enabled: true, host: 10.0.0.1}\n`,
      env: { apiConfig: '{"port":8080}' },
    },
    want: { api: { enabled: false, useHTTPS: false, host: '', port: 8080, certFile: '', keyFile: '' } },
    note: 'env:apiConfig replaces the whole apiConfig (as in CPA), so the sub-keys it omits take zero values, not defaults: enabled=false, useHTTPS=false, host="", certFile="", keyFile=""',
  },
  {
    name: 'env overrides the file',
    given: {
      text: `${BASE}namespace: from-file\ninterval: 1000\n`,
      env: { namespace: 'from-env', interval: '2000' },
    },
    want: { namespace: 'from-env', intervalMs: 2000 },
    note: 'environment variable "namespace" overrides namespace from config.yaml',
  },
  {
    name: 'variables not named exactly like a key are ignored',
    given: { env: { Interval: 'x', INTERVAL: 'x', host: 'x', port: 'x', HOME: '/root', apiconfig: '[' } },
    want: { intervalMs: DEFAULTS.interval, api: { ...DEFAULTS.apiConfig } },
  },
  {
    name: 'flags beat env and file',
    given: {
      text: `${BASE}namespace: file-ns\ninterval: 1000\nscaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: file}\n`,
      env: {
        namespace: 'env-ns',
        interval: '2000',
        scaleTargetRef: '{"apiVersion":"apps/v1","kind":"Deployment","name":"env"}',
      },
      flags: {
        namespace: 'flag-ns',
        interval: 3000,
        target: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'flag' },
        apiAddr: { host: '127.0.0.2', port: 0 },
      },
    },
    want: {
      namespace: 'flag-ns',
      intervalMs: 3000,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'flag' },
      api: { ...DEFAULTS.apiConfig, host: '127.0.0.2', port: 0 },
    },
  },
  {
    name: '--api-addr turns a disabled API on, keeping TLS settings',
    given: {
      text: `${BASE}apiConfig: {enabled: false, useHTTPS: true, certFile: /c, keyFile: /k}\n`,
      flags: { apiAddr: { host: '0.0.0.0', port: 9000 } },
    },
    want: {
      api: { enabled: true, useHTTPS: true, host: '0.0.0.0', port: 9000, certFile: '/c', keyFile: '/k' },
    },
  },
  {
    name: '--no-api disables the API',
    given: { flags: { apiAddr: null } },
    want: { api: { ...DEFAULTS.apiConfig, enabled: false } },
  },
];

describe('loadConfig: environment variables and flags', () => {
  for (const { name, given, want, note } of rows) {
    it(name, () => {
      const { config, notes } = loadOk(given.text ?? BASE, given);
      for (const [key, value] of Object.entries(want)) {
        assert.deepEqual(config[key as keyof Config], value, key);
      }
      if (note !== undefined)
        assert.ok(notes.includes(note), `missing note ${note} in ${JSON.stringify(notes)}`);
    });
  }
});

describe('convertEnvValue', () => {
  const cases: {
    name: string;
    given: Parameters<typeof convertEnvValue>;
    want: ReturnType<typeof convertEnvValue>;
  }[] = [
    { name: 'string verbatim, even empty', given: ['string', ''], want: { ok: true, value: '' } },
    { name: 'int', given: ['int', '-12'], want: { ok: true, value: -12 } },
    {
      name: 'int with spaces stays text for the rule to report',
      given: ['int', ' 12'],
      want: { ok: true, value: ' 12' },
    },
    { name: 'int with exponent stays text', given: ['int', '1e3'], want: { ok: true, value: '1e3' } },
    { name: 'yaml scalar', given: ['yaml', '3'], want: { ok: true, value: 3 } },
    { name: 'yaml on is true', given: ['yaml', 'on'], want: { ok: true, value: true } },
    {
      name: 'yaml empty fails',
      given: ['yaml', ''],
      want: { ok: false, message: 'is empty; expected a YAML or JSON value' },
    },
  ];
  for (const { name, given, want } of cases)
    it(name, () => assert.deepEqual(convertEnvValue(...given), want));

  it('reports broken YAML without a stack or a code frame', () => {
    const result = convertEnvValue('yaml', '{"port": ');
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.message : '', /^is not valid YAML\/JSON: [^\n]+$/);
  });
});
