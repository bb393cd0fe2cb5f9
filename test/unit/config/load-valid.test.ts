// Valid configurations: every key of the v2 format, minimal files, JSON, defaults and the null/blank edges.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_TIMEOUT_MS, DEFAULTS } from '../../../src/config/defaults.ts';
import type { Config, Method } from '../../../src/config/types.ts';
import { BASE, loadOk } from './fixtures.ts';

const V2_FULL = `# every key of CPA v2.12.2, plus metricConcurrency
scaleTargetRef:
  apiVersion: apps/v1
  kind: Deployment
  name: web
namespace: shop
interval: 30000
startTime: 60000
minReplicas: 0
maxReplicas: 20
runMode: per-resource
logVerbosity: 3
downscaleStabilization: 120
metric:
  type: shell
  timeout: 2500
  shell:
    entrypoint: python
    command: [/metric.py, --verbose]
    logStderr: yes
evaluate:
  type: http
  timeout: 5000
  http:
    method: POST
    url: https://evaluator.local:8443/evaluate?x=1
    headers: {X-Api-Key: secret, X-Num: 5}
    successCodes: [200, 202]
    parameterMode: body
    caCert: /ca.pem
    clientCert: /c.pem
    clientKey: /c.key
preMetric: {type: shell, timeout: 100, shell: {entrypoint: /bin/true}}
postMetric: {type: shell, timeout: 100, shell: {entrypoint: /bin/true}}
preEvaluate: {type: shell, timeout: 100, shell: {entrypoint: /bin/true}}
postEvaluate: {type: shell, timeout: 100, shell: {entrypoint: /bin/true}}
preScale: {type: http, timeout: 100, http: {method: GET, url: "http://127.0.0.1:9/x", successCodes: [200], parameterMode: query}}
postScale: {type: shell, timeout: 100, shell: {entrypoint: /bin/true}}
apiConfig:
  enabled: true
  useHTTPS: true
  host: 0.0.0.0
  port: 8443
  certFile: /tls.crt
  keyFile: /tls.key
kubernetesMetricSpecs:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization}}
requireKubernetesMetrics: true
initialReadinessDelay: 10
cpuInitializationPeriod: 60
metricConcurrency: 4
`;

const TRUE_HOOK: Method = {
  type: 'shell',
  timeoutMs: 100,
  shell: { entrypoint: '/bin/true', command: [], logStderr: false },
};

const V2_FULL_WANT: Config = {
  format: 'v2',
  scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
  namespace: 'shop',
  intervalMs: 30000,
  startTimeMs: 60000,
  minReplicas: 0,
  maxReplicas: 20,
  runMode: 'per-resource',
  logVerbosity: 3,
  downscaleStabilizationSec: 120,
  metric: {
    type: 'shell',
    timeoutMs: 2500,
    shell: { entrypoint: 'python', command: ['/metric.py', '--verbose'], logStderr: true },
  },
  evaluate: {
    type: 'http',
    timeoutMs: 5000,
    http: {
      method: 'POST',
      url: 'https://evaluator.local:8443/evaluate?x=1',
      headers: { 'X-Api-Key': 'secret', 'X-Num': '5' },
      successCodes: [200, 202],
      parameterMode: 'body',
      caCert: '/ca.pem',
      clientCert: '/c.pem',
      clientKey: '/c.key',
    },
  },
  hooks: {
    preMetric: TRUE_HOOK,
    postMetric: TRUE_HOOK,
    preEvaluate: TRUE_HOOK,
    postEvaluate: TRUE_HOOK,
    preScale: {
      type: 'http',
      timeoutMs: 100,
      http: {
        method: 'GET',
        url: 'http://127.0.0.1:9/x',
        headers: {},
        successCodes: [200],
        parameterMode: 'query',
      },
    },
    postScale: TRUE_HOOK,
  },
  api: {
    enabled: true,
    useHTTPS: true,
    host: '0.0.0.0',
    port: 8443,
    certFile: '/tls.crt',
    keyFile: '/tls.key',
  },
  kubernetesMetricSpecs: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } }],
  requireKubernetesMetrics: true,
  initialReadinessDelaySec: 10,
  cpuInitializationPeriodSec: 60,
  metricConcurrency: 4,
};

const PYTHON = (script: string): Method => ({
  type: 'shell',
  timeoutMs: 1000,
  shell: { entrypoint: 'python', command: [script], logStderr: false },
});

/** The Config of BASE: every top-level default. */
const MINIMAL_WANT: Config = {
  format: 'v2',
  scaleTargetRef: null,
  intervalMs: DEFAULTS.interval,
  startTimeMs: DEFAULTS.startTime,
  minReplicas: DEFAULTS.minReplicas,
  maxReplicas: DEFAULTS.maxReplicas,
  runMode: 'per-pod',
  logVerbosity: 0,
  downscaleStabilizationSec: 0,
  metric: PYTHON('/m.py'),
  evaluate: PYTHON('/e.py'),
  hooks: {},
  api: { ...DEFAULTS.apiConfig },
  kubernetesMetricSpecs: null,
  requireKubernetesMetrics: false,
  initialReadinessDelaySec: 30,
  cpuInitializationPeriodSec: 300,
  metricConcurrency: 10,
};

describe('loadConfig: complete configurations', () => {
  const cases: { name: string; given: string; want: Config }[] = [
    { name: 'v2 file with every key', given: V2_FULL, want: V2_FULL_WANT },
    { name: 'v2 minimal file takes every default', given: BASE, want: MINIMAL_WANT },
    {
      name: 'JSON file',
      given: JSON.stringify({
        metric: { type: 'shell', timeout: 1000, shell: { entrypoint: 'python', command: ['/m.py'] } },
        evaluate: { type: 'shell', timeout: 1000, shell: { entrypoint: 'python', command: ['/e.py'] } },
      }),
      want: MINIMAL_WANT,
    },
    {
      name: 'JSON file with whitespace before the brace',
      given: `\n  {"interval": 5000, "metric": {"type": "shell", "timeout": 1000, "shell": {"entrypoint": "python", "command": ["/m.py"]}},
        "evaluate": {"type": "shell", "timeout": 1000, "shell": {"entrypoint": "python", "command": ["/e.py"]}}}`,
      want: { ...MINIMAL_WANT, intervalMs: 5000 },
    },
    {
      name: 'startTime 0 means no alignment',
      given: `${BASE}startTime: 0\n`,
      want: { ...MINIMAL_WANT, startTimeMs: 0 },
    },
    {
      name: 'kubernetesMetricSpecs [] is kept (gathering on, nothing to gather)',
      given: `${BASE}kubernetesMetricSpecs: []\n`,
      want: { ...MINIMAL_WANT, kubernetesMetricSpecs: [] },
    },
    {
      name: 'apiConfig from the file merges onto the defaults key by key',
      given: `${BASE}apiConfig: {port: 6000}\n`,
      want: { ...MINIMAL_WANT, api: { ...DEFAULTS.apiConfig, port: 6000 } },
    },
    {
      name: 'YAML numbers and booleans become strings in string fields (as sigs.k8s.io/yaml does)',
      given: `${BASE}namespace: 123\n`,
      want: { ...MINIMAL_WANT, namespace: '123' },
    },
    {
      name: 'only the first YAML document is read',
      given: `${BASE}---\ninterval: nope\n`,
      want: MINIMAL_WANT,
    },
    {
      name: 'minReplicas equal to maxReplicas',
      given: `${BASE}minReplicas: 3\nmaxReplicas: 3\n`,
      want: { ...MINIMAL_WANT, minReplicas: 3, maxReplicas: 3 },
    },
  ];
  for (const { name, given, want } of cases) {
    it(name, () => assert.deepEqual(loadOk(given).config, want));
  }
});

describe('loadConfig: defaults filled in, with a note saying so', () => {
  const cases: {
    name: string;
    given: string;
    want: { path: (c: Config) => unknown; value: unknown; note: string };
  }[] = [
    {
      name: 'a method without timeout gets DEFAULT_TIMEOUT_MS',
      given: BASE.replace('  timeout: 1000\n', ''),
      want: { path: (c) => c.metric.timeoutMs, value: DEFAULT_TIMEOUT_MS, note: 'metric.timeout is not set' },
    },
    {
      name: 'a shell block with only command runs it with /bin/sh',
      given: BASE.replace('{entrypoint: python, command: [/m.py]}', '{command: [-c, "echo 1"]}'),
      want: {
        path: (c) => c.metric.type === 'shell' && c.metric.shell,
        value: { entrypoint: '/bin/sh', command: ['-c', 'echo 1'], logStderr: false },
        note: 'metric.shell.entrypoint is not set; running the command with /bin/sh',
      },
    },
    {
      name: 'a key with no value keeps its default',
      given: `${BASE}interval:\n`,
      want: {
        path: (c) => c.intervalMs,
        value: DEFAULTS.interval,
        note: 'interval has no value; using the default 15000',
      },
    },
    {
      name: 'a second document is mentioned',
      given: `${BASE}---\n`,
      want: {
        path: (c) => c.intervalMs,
        value: DEFAULTS.interval,
        note: 'holds 2 YAML documents; only the first',
      },
    },
    {
      name: 'the ignored block of the other method type is mentioned',
      given: BASE.replace('  timeout: 1000\n', '  timeout: 1000\n  http: {method: GET}\n'),
      want: {
        path: (c) => c.metric.type,
        value: 'shell',
        note: 'metric.http is ignored because metric.type is "shell"',
      },
    },
  ];
  for (const { name, given, want } of cases) {
    it(name, () => {
      const { config, notes } = loadOk(given);
      assert.deepEqual(want.path(config), want.value);
      assert.ok(
        notes.some((n) => n.includes(want.note)),
        `no note containing ${JSON.stringify(want.note)} in ${JSON.stringify(notes)}`,
      );
    });
  }

  it('a whitespace- or comment-only file is all defaults (methods then come from the environment)', () => {
    const env = {
      metric: '{type: shell, timeout: 1000, shell: {entrypoint: python, command: [/m.py]}}',
      evaluate: '{"type":"shell","timeout":1000,"shell":{"entrypoint":"python","command":["/e.py"]}}',
    };
    for (const text of ['\n  \n', '# nothing here\n', '---\n']) {
      assert.deepEqual(loadOk(text, { env }).config, MINIMAL_WANT, JSON.stringify(text));
    }
  });
});
