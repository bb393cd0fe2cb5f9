// Invalid files, top-level keys and object sections: each row names the path, message fragments and,
// for file problems, the position. BASE occupies lines 1-8, so an appended key sits on line 9.
import { describe, it } from 'node:test';
import { assertIssues, BASE, load, type WantIssue } from './fixtures.ts';

/** A valid v2 shell method running `python <script>`, as a JSON value. */
const PY = (script: string): unknown => ({
  type: 'shell',
  timeout: 1000,
  shell: { entrypoint: 'python', command: [script] },
});

const ALL_V2_KEYS =
  'allowed: scaleTargetRef, namespace, interval, startTime, minReplicas, maxReplicas, runMode';

const rows: { name: string; given: string; want: WantIssue[] }[] = [
  { name: 'zero-byte file', given: '', want: [{ path: 'config.yaml', has: ['is empty (0 bytes)'] }] },
  {
    name: 'YAML syntax error, with its position',
    given: `${BASE}interval: [1\n`,
    want: [{ path: 'config.yaml', has: ['is not valid YAML/JSON: ', 'end with a ]'], line: 10, column: 1 }],
  },
  {
    name: 'duplicate key',
    given: `${BASE}interval: 1\ninterval: 2\n`,
    want: [{ path: 'config.yaml', has: ['Map keys must be unique'], line: 10, column: 1 }],
  },
  {
    name: 'top level is a list',
    given: '- a\n- b\n',
    want: [{ path: 'config.yaml', has: ['must be a mapping of keys'] }],
  },
  {
    name: 'top level is a JSON string',
    given: '"text"',
    want: [{ path: 'config.yaml', has: ['got "text"'] }],
  },
  {
    name: 'comment-only file lacks both methods',
    given: '# nothing yet\n',
    want: [
      { path: 'metric', has: ['is required: the method that gathers metrics', 'e.g. {type: shell'] },
      { path: 'evaluate', has: ['is required: the method that decides the replica count'] },
    ],
  },
  {
    name: 'mistyped key',
    given: `${BASE}intervall: 5000\n`,
    want: [
      { path: 'intervall', has: ['unknown key "intervall"; did you mean "interval"?'], line: 9, column: 1 },
    ],
  },
  {
    name: 'wrongly cased key (CPA would accept it case-insensitively)',
    given: `${BASE}Interval: 5000\n`,
    want: [{ path: 'Interval', has: ['did you mean "interval"? (keys are case-sensitive)'] }],
  },
  {
    name: 'unrelated key lists the allowed keys',
    given: `${BASE}colour: blue\n`,
    want: [{ path: 'colour', has: ['unknown key "colour"; ', ALL_V2_KEYS, 'metricConcurrency'] }],
  },
  {
    name: 'interval as a string',
    given: `${BASE}interval: "5000"\n`,
    want: [
      {
        path: 'interval',
        has: ['must be a positive integer (milliseconds), got "5000"'],
        line: 9,
        column: 11,
      },
    ],
  },
  {
    name: 'interval 0',
    given: `${BASE}interval: 0\n`,
    want: [{ path: 'interval', has: ['positive integer', 'got 0'] }],
  },
  {
    name: 'interval fractional',
    given: `${BASE}interval: 1.5\n`,
    want: [{ path: 'interval', has: ['got 1.5'] }],
  },
  {
    name: 'interval beyond a timer',
    given: `${BASE}interval: 99999999999\n`,
    want: [{ path: 'interval', has: ['no greater than 2147483647, got 99999999999'] }],
  },
  {
    name: 'startTime negative',
    given: `${BASE}startTime: -1\n`,
    want: [
      { path: 'startTime', has: ['must be a non-negative integer (milliseconds; 0 = no alignment), got -1'] },
    ],
  },
  {
    name: 'minReplicas negative',
    given: `${BASE}minReplicas: -1\n`,
    want: [{ path: 'minReplicas', has: ['non-negative integer, got -1'] }],
  },
  {
    name: 'maxReplicas word',
    given: `${BASE}maxReplicas: ten\n`,
    want: [{ path: 'maxReplicas', has: ['got "ten"'] }],
  },
  {
    name: 'minReplicas above maxReplicas',
    given: `${BASE}minReplicas: 5\nmaxReplicas: 2\n`,
    want: [{ path: 'maxReplicas', has: ['must be at least minReplicas (5), got 2'], line: 10 }],
  },
  {
    name: 'minReplicas above the default maxReplicas',
    given: `${BASE}minReplicas: 20\n`,
    want: [{ path: 'minReplicas', has: ['must be at most maxReplicas (10), got 20'] }],
  },
  {
    name: 'runMode unknown',
    given: `${BASE}runMode: perpod\n`,
    want: [{ path: 'runMode', has: ['must be one of "per-pod", "per-resource", got "perpod"'] }],
  },
  {
    name: 'runMode cased',
    given: `${BASE}runMode: Per-Pod\n`,
    want: [{ path: 'runMode', has: ['case-sensitive: "per-pod"'] }],
  },
  {
    name: 'logVerbosity fractional',
    given: `${BASE}logVerbosity: 1.5\n`,
    want: [{ path: 'logVerbosity', has: ['must be an integer, got 1.5'] }],
  },
  {
    name: 'downscaleStabilization negative',
    given: `${BASE}downscaleStabilization: -5\n`,
    want: [{ path: 'downscaleStabilization', has: ['non-negative integer (seconds), got -5'] }],
  },
  {
    name: 'metricConcurrency 0',
    given: `${BASE}metricConcurrency: 0\n`,
    want: [{ path: 'metricConcurrency', has: ['an integer from 1 to 100, got 0'] }],
  },
  {
    name: 'metricConcurrency 101',
    given: `${BASE}metricConcurrency: 101\n`,
    want: [{ path: 'metricConcurrency', has: ['got 101'] }],
  },
  {
    name: 'namespace not a DNS label',
    given: `${BASE}namespace: My_NS\n`,
    want: [{ path: 'namespace', has: ['must be a namespace name', 'got "My_NS"'] }],
  },
  {
    name: 'namespace empty',
    given: `${BASE}namespace: ""\n`,
    want: [{ path: 'namespace', has: ['must be a non-empty string, got ""'] }],
  },
  {
    name: 'requireKubernetesMetrics not a boolean',
    given: `${BASE}requireKubernetesMetrics: maybe\n`,
    want: [{ path: 'requireKubernetesMetrics', has: ['must be true or false, got "maybe"'] }],
  },
  {
    name: 'initialReadinessDelay negative',
    given: `${BASE}initialReadinessDelay: -1\n`,
    want: [{ path: 'initialReadinessDelay', has: ['(seconds)'] }],
  },
  {
    name: 'apiConfig null (CPA crashes at startup)',
    given: `${BASE}apiConfig: null\n`,
    want: [
      {
        path: 'apiConfig',
        has: ['must be a mapping {enabled, useHTTPS, host, port, certFile, keyFile}, got null'],
      },
    ],
  },
  {
    name: 'apiConfig port out of range',
    given: `${BASE}apiConfig:\n  port: 70000\n`,
    want: [{ path: 'apiConfig.port', has: ['an integer from 0 to 65535, got 70000'], line: 10, column: 9 }],
  },
  {
    name: 'apiConfig HTTPS without certificate and key',
    given: `${BASE}apiConfig: {useHTTPS: true}\n`,
    want: [
      { path: 'apiConfig.certFile', has: ['is required when useHTTPS is true'] },
      { path: 'apiConfig.keyFile', has: ['is required when useHTTPS is true'] },
    ],
  },
  {
    name: 'apiConfig unknown sub-key',
    given: `${BASE}apiConfig: {tls: true}\n`,
    want: [
      {
        path: 'apiConfig.tls',
        has: ['unknown key "tls"; allowed: enabled, useHTTPS, host, port, certFile, keyFile'],
        line: 9,
        column: 13,
      },
    ],
  },
  {
    name: 'apiConfig enabled as a string',
    given: `${BASE}apiConfig: {enabled: "true"}\n`,
    want: [{ path: 'apiConfig.enabled', has: ['must be true or false, got "true"'] }],
  },
  {
    name: 'kubernetesMetricSpecs not a list',
    given: `${BASE}kubernetesMetricSpecs: {type: Resource}\n`,
    want: [{ path: 'kubernetesMetricSpecs', has: ['must be a list of autoscaling/v2 MetricSpecs'] }],
  },
  {
    name: 'kubernetesMetricSpecs unknown type',
    given: `${BASE}kubernetesMetricSpecs:\n  - type: Foo\n`,
    want: [
      {
        path: 'kubernetesMetricSpecs[0].type',
        has: ['"Resource", "Pods", "Object", "External", "ContainerResource", got "Foo"'],
        line: 10,
        column: 11,
      },
    ],
  },
  {
    name: 'kubernetesMetricSpecs type without its source',
    given: `${BASE}kubernetesMetricSpecs: [{type: Resource, resource: {name: cpu}}, {type: Pods}]\n`,
    want: [{ path: 'kubernetesMetricSpecs[1].pods', has: ['is required when type is "Pods"'] }],
  },
  {
    name: 'kubernetesMetricSpecs entry without type, with a typo',
    given: `${BASE}kubernetesMetricSpecs: [{resurce: {name: cpu}}]\n`,
    want: [
      { path: 'kubernetesMetricSpecs[0].resurce', has: ['did you mean "resource"?'] },
      { path: 'kubernetesMetricSpecs[0].type', has: ['is required: one of "Resource"'] },
    ],
  },
  {
    name: 'scaleTargetRef without apiVersion (required in v2)',
    given: `${BASE}scaleTargetRef: {kind: Deployment, name: web}\n`,
    want: [{ path: 'scaleTargetRef.apiVersion', has: ['is required: an API version such as "apps/v1"'] }],
  },
  {
    name: 'scaleTargetRef with a bad name and apiVersion',
    given: `${BASE}scaleTargetRef: {apiVersion: apps, kind: Deployment, name: Web_1}\n`,
    want: [
      { path: 'scaleTargetRef.apiVersion', has: ['got "apps"'] },
      { path: 'scaleTargetRef.name', has: ['must be a Kubernetes object name', 'got "Web_1"'] },
    ],
  },
  {
    name: 'scaleTargetRef as a string',
    given: `${BASE}scaleTargetRef: deployment/web\n`,
    want: [{ path: 'scaleTargetRef', has: ['must be a mapping {apiVersion, kind, name}'] }],
  },
  {
    name: 'JSON input is strict about strings (as Go encoding/json)',
    given: JSON.stringify({ metric: PY('/m.py'), evaluate: PY('/e.py'), namespace: 123, interval: '5000' }),
    want: [
      { path: 'namespace', has: ['must be a string, got 123'], line: 1 },
      { path: 'interval', has: ['must be a positive integer (milliseconds), got "5000"'], line: 1 },
    ],
  },
];

describe('loadConfig: invalid files and top-level keys', () => {
  for (const { name, given, want } of rows) it(name, () => assertIssues(load(given), want));

  it('reports every problem of a file at once, in line order', () => {
    const result = load(`${BASE}interval: 0\nrunMode: x\nminReplicas: -2\nfoo: 1\n`);
    assertIssues(result, [
      { path: 'interval', has: ['positive'], line: 9 },
      { path: 'runMode', has: ['one of'], line: 10 },
      { path: 'minReplicas', has: ['non-negative'], line: 11 },
      { path: 'foo', has: ['unknown key'], line: 12 },
    ]);
    if (!result.ok) {
      const lines = result.issues.map((i) => i.line);
      if (lines.join() !== '9,10,11,12') throw new Error(`not in line order: ${lines.join()}`);
    }
  });
});
