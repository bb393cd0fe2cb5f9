// Invalid values from the environment (paths `env:<name>`, no file position) and from flags (paths `--flag`).
import { describe, it } from 'node:test';
import { assertIssues, BASE, load, type LoadOptions, type WantIssue } from './fixtures.ts';

const rows: { name: string; given: { text: string } & LoadOptions; want: WantIssue[] }[] = [
  {
    name: 'env int with a unit',
    given: { text: BASE, env: { interval: '15s' } },
    want: [{ path: 'env:interval', has: ['must be a positive integer (milliseconds), got "15s"'] }],
  },
  {
    name: 'env method broken YAML',
    given: { text: BASE, env: { metric: '{type: shell' } },
    want: [{ path: 'env:metric', has: ['is not valid YAML/JSON: '] }],
  },
  {
    name: 'env YAML scalar empty',
    given: { text: BASE, env: { minReplicas: '' } },
    want: [{ path: 'env:minReplicas', has: ['is empty; expected a YAML or JSON value'] }],
  },
  {
    name: 'env apiConfig HTTPS without files',
    given: { text: BASE, env: { apiConfig: '{"enabled": true, "useHTTPS": true}' } },
    want: [
      { path: 'env:apiConfig.certFile', has: ['is required when useHTTPS is true'] },
      { path: 'env:apiConfig.keyFile', has: ['is required when useHTTPS is true'] },
    ],
  },
  {
    name: 'env scaleTargetRef incomplete',
    given: { text: BASE, env: { scaleTargetRef: '{"kind":"Deployment"}' } },
    want: [
      { path: 'env:scaleTargetRef.apiVersion', has: ['is required'] },
      { path: 'env:scaleTargetRef.name', has: ['is required'] },
    ],
  },
  {
    name: 'env method with timeout 0',
    given: { text: BASE, env: { metric: '{type: shell, timeout: 0, shell: {command: [x]}}' } },
    want: [{ path: 'env:metric.timeout', has: ['got 0'] }],
  },
  {
    name: 'env runMode empty',
    given: { text: BASE, env: { runMode: '' } },
    want: [{ path: 'env:runMode', has: ['got ""'] }],
  },
  // From flags.
  {
    name: 'flag interval 0',
    given: { text: BASE, flags: { interval: 0 } },
    want: [{ path: '--interval', has: ['must be a positive integer (milliseconds), got 0'] }],
  },
  {
    name: 'flag interval fractional',
    given: { text: BASE, flags: { interval: 0.5 } },
    want: [{ path: '--interval', has: ['got 0.5'] }],
  },
  {
    name: 'flag api port out of range',
    given: { text: BASE, flags: { apiAddr: { host: 'x', port: 70000 } } },
    want: [{ path: '--api-addr', has: ['port must be 0-65535, got 70000'] }],
  },
  {
    name: 'flag target without a name',
    given: { text: BASE, flags: { target: { apiVersion: 'apps/v1', kind: 'Deployment', name: '' } } },
    want: [{ path: '--target (name)', has: ['must be a non-empty string'] }],
  },
  {
    name: 'flag namespace invalid',
    given: { text: BASE, flags: { namespace: 'UPPER' } },
    want: [{ path: '--namespace', has: ['must be a namespace name'] }],
  },
];

describe('loadConfig: invalid environment values and flags', () => {
  for (const { name, given, want } of rows) it(name, () => assertIssues(load(given.text, given), want));
});
