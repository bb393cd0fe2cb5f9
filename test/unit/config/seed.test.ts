// The v0.8.0 (seed) format of the getting-started guide: detection, conversion and refusing mixed files.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULTS } from '../../../src/config/defaults.ts';
import type { Config, Method } from '../../../src/config/types.ts';
import { assertIssues, BASE, load, loadOk, type LoadOptions, type WantIssue } from './fixtures.ts';

/** The configuration of the seed's getting-started guide, byte for byte. */
const GUIDE = `evaluate:
  type: "shell"
  timeout: 2500
  shell: "python /evaluate.py"
metric:
  type: "shell"
  timeout: 2500
  shell: "python /metric.py"
runMode: "per-resource"
`;

const SH = (script: string, timeoutMs = 2500): Method => ({
  type: 'shell',
  timeoutMs,
  shell: { entrypoint: '/bin/sh', command: ['-c', script], logStderr: false },
});

const GUIDE_WANT: Config = {
  format: 'seed',
  scaleTargetRef: null,
  intervalMs: 15000,
  startTimeMs: 1,
  minReplicas: 1,
  maxReplicas: 10,
  runMode: 'per-resource',
  logVerbosity: 0,
  downscaleStabilizationSec: 0,
  metric: SH('python /metric.py'),
  evaluate: SH('python /evaluate.py'),
  hooks: {},
  api: {
    enabled: true,
    useHTTPS: false,
    host: DEFAULTS.seedHost,
    port: DEFAULTS.seedPort,
    certFile: '',
    keyFile: '',
  },
  kubernetesMetricSpecs: null,
  requireKubernetesMetrics: false,
  initialReadinessDelaySec: 30,
  cpuInitializationPeriodSec: 300,
  metricConcurrency: 10,
};

describe('loadConfig: seed (v0.8.0) format', () => {
  const cases: { name: string; given: { text: string } & LoadOptions; want: Config }[] = [
    { name: "the guide's config.yaml", given: { text: GUIDE }, want: GUIDE_WANT },
    {
      name: 'host and port become the API address',
      given: { text: `${GUIDE}host: 0.0.0.0\nport: 5001\n` },
      want: { ...GUIDE_WANT, api: { ...GUIDE_WANT.api, host: '0.0.0.0', port: 5001 } },
    },
    {
      name: 'host and port from the environment (seed keys)',
      given: { text: GUIDE, env: { host: '127.0.0.3', port: '5002' } },
      want: { ...GUIDE_WANT, api: { ...GUIDE_WANT.api, host: '127.0.0.3', port: 5002 } },
    },
    {
      name: 'scaleTargetRef with only a name is a Deployment',
      given: { text: `${GUIDE}scaleTargetRef: {name: hello-kubernetes}\n` },
      want: {
        ...GUIDE_WANT,
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'hello-kubernetes' },
      },
    },
    {
      name: 'a seed method from the environment makes a v2-looking file seed',
      given: {
        text: 'runMode: per-pod\n',
        env: {
          metric: '{type: shell, timeout: 100, shell: "cat"}',
          evaluate: '{"type":"shell","timeout":100,"shell":"echo {\\"target_replicas\\": 2}"}',
        },
      },
      want: {
        ...GUIDE_WANT,
        runMode: 'per-pod',
        metric: SH('cat', 100),
        evaluate: SH('echo {"target_replicas": 2}', 100),
      },
    },
    {
      name: 'a shell string with quotes is kept whole as one -c argument, never spliced with the payload',
      given: { text: GUIDE.replace('"python /metric.py"', `"python /metric.py --label 'num pods'"`) },
      want: { ...GUIDE_WANT, metric: SH("python /metric.py --label 'num pods'") },
    },
    {
      name: 'logVerbosity and metricConcurrency are accepted in both formats',
      given: { text: `${GUIDE}logVerbosity: 2\nmetricConcurrency: 1\n` },
      want: { ...GUIDE_WANT, logVerbosity: 2, metricConcurrency: 1 },
    },
  ];
  for (const { name, given, want } of cases) {
    it(name, () => assert.deepEqual(loadOk(given.text, given).config, want));
  }

  it('notes how seed methods will be run', () => {
    const { notes } = loadOk(GUIDE);
    assert.ok(
      notes.some((n) => n.includes('v0.8.0 (seed) format') && n.includes('payload on stdin')),
      notes.join('\n'),
    );
  });

  it('a v2 file ignores variables named host and port', () => {
    assert.deepEqual(loadOk(BASE, { env: { host: '1.2.3.4', port: '1' } }).config.api, {
      ...DEFAULTS.apiConfig,
    });
  });
});

describe('loadConfig: mixing the seed and v2 formats is refused', () => {
  const mixes = ['mixes formats'];
  const cases: { name: string; given: { text: string } & LoadOptions; want: WantIssue[] }[] = [
    {
      name: 'string shell with apiConfig',
      given: { text: `${GUIDE}apiConfig: {port: 1}\n` },
      want: [
        {
          path: 'apiConfig',
          has: [...mixes, 'evaluate.shell is a string', 'metric.shell is a string'],
          line: 10,
        },
      ],
    },
    {
      name: 'string shell with a hook',
      given: { text: `${GUIDE}preMetric: {type: shell, timeout: 1, shell: {command: [x]}}\n` },
      want: [{ path: 'preMetric', has: [...mixes, 'preMetric is set (v2 syntax)'] }],
    },
    {
      name: 'string shell with downscaleStabilization from the environment',
      given: { text: GUIDE, env: { downscaleStabilization: '60' } },
      want: [{ path: 'env:downscaleStabilization', has: [...mixes, 'metric.shell is a string'] }],
    },
    {
      name: 'string shell on one method, object shell on the other',
      given: {
        text: GUIDE.replace('shell: "python /evaluate.py"', 'shell: {entrypoint: python, command: [/e.py]}'),
      },
      want: [{ path: 'evaluate.shell', has: [...mixes, 'metric.shell is a string'], line: 4, column: 10 }],
    },
    {
      name: 'string shell with an http method',
      given: {
        text: GUIDE.replace(
          'type: "shell"\n  timeout: 2500\n  shell: "python /evaluate.py"',
          'type: http\n  timeout: 2500\n  http: {method: GET, url: "http://x", successCodes: [200], parameterMode: query}',
        ),
      },
      want: [
        { path: 'evaluate.type', has: [...mixes, 'evaluate is an http method'] },
        { path: 'evaluate.http', has: [...mixes, 'evaluate.http is set'] },
      ],
    },
    {
      name: 'host and port with apiConfig',
      given: { text: `${BASE}host: 0.0.0.0\nport: 5000\napiConfig: {port: 1}\n` },
      want: [
        { path: 'host', has: [...mixes, 'apiConfig is set', 'use apiConfig.host instead'], line: 9 },
        { path: 'port', has: [...mixes, 'use apiConfig.port instead'], line: 10 },
      ],
    },
    {
      name: 'port with object shells',
      given: { text: `${BASE}port: 5000\n` },
      want: [{ path: 'port', has: [...mixes, 'metric.shell is a mapping', 'evaluate.shell is a mapping'] }],
    },
  ];
  for (const { name, given, want } of cases) it(name, () => assertIssues(load(given.text, given), want));
});
