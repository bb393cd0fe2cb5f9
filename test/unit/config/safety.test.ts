// The safety keys: `behavior` (HPA's defaults for what is left out) and `fallback` (KEDA's), and the
// problems each reports with the key path and what is allowed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HPA_DEFAULTS } from '../../../src/config/safety-types.ts';
import { assertIssues, BASE, load, loadOk } from './fixtures.ts';

describe('behavior', () => {
  it('is absent unless given: CPA behaviour', () => {
    const { config } = loadOk(BASE);
    assert.equal(config.behavior, undefined);
    assert.equal(config.fallback, undefined);
  });
  it('an empty mapping takes all of HPA’s defaults', () => {
    const { config } = loadOk(`${BASE}behavior: {}\n`);
    assert.deepEqual(config.behavior, HPA_DEFAULTS);
    assert.equal(config.downscaleStabilizationSec, 300, 'the scale-down window, as status shows it');
  });
  it('a given direction keeps the other direction’s defaults', () => {
    const text = `${BASE}behavior:\n  scaleUp:\n    policies: [{type: Pods, value: 4, periodSeconds: 60}]\n`;
    assert.deepEqual(loadOk(text).config.behavior, {
      scaleUp: {
        stabilizationWindowSec: 0,
        selectPolicy: 'Max',
        policies: [{ type: 'Pods', value: 4, periodSec: 60 }],
      },
      scaleDown: HPA_DEFAULTS.scaleDown,
    });
  });
  it('downscaleStabilization is the scale-down window when behavior leaves it out', () => {
    const { config } = loadOk(
      `${BASE}downscaleStabilization: 45\nbehavior: {scaleUp: {selectPolicy: Min}}\n`,
    );
    assert.equal(config.behavior?.scaleDown.stabilizationWindowSec, 45);
    assert.equal(config.behavior?.scaleUp.selectPolicy, 'Min');
  });
  it('downscaleStabilization and scaleDown.stabilizationWindowSeconds together: one error naming both', () => {
    const text = `${BASE}downscaleStabilization: 45\nbehavior: {scaleDown: {stabilizationWindowSeconds: 60}}\n`;
    assertIssues(load(text), [
      {
        path: 'behavior.scaleDown.stabilizationWindowSeconds',
        has: ['conflicts with downscaleStabilization', 'give only one of them'],
      },
    ]);
  });
  it('reports every bad part with its path and what is allowed', () => {
    const text =
      `${BASE}behavior:\n  scaleUp:\n    selectPolicy: max\n` +
      `    policies: [{type: Pod, value: 0, periodSeconds: 2000}]\n  scaleDown:\n    policies: []\n    speed: 1\n`;
    assertIssues(load(text), [
      {
        path: 'behavior.scaleUp.selectPolicy',
        has: ['"Max", "Min", "Disabled"', '(values are case-sensitive: "Max")'],
      },
      { path: 'behavior.scaleUp.policies[0].type', has: ['"Pods", "Percent"', 'got "Pod"'] },
      { path: 'behavior.scaleUp.policies[0].value', has: ['a positive integer', 'got 0'] },
      { path: 'behavior.scaleUp.policies[0].periodSeconds', has: ['from 1 to 1800', 'got 2000'] },
      { path: 'behavior.scaleDown.policies', has: ['non-empty list'] },
      { path: 'behavior.scaleDown.speed', has: ['unknown key "speed"'] },
    ]);
  });
  it('comes from the environment as a YAML document too', () => {
    const { config } = loadOk(BASE, { env: { behavior: '{scaleDown: {selectPolicy: Disabled}}' } });
    assert.equal(config.behavior?.scaleDown.selectPolicy, 'Disabled');
  });
});

describe('fallback', () => {
  it('behavior defaults to static', () => {
    assert.deepEqual(loadOk(`${BASE}fallback: {failureThreshold: 3, replicas: 6}\n`).config.fallback, {
      failureThreshold: 3,
      replicas: 6,
      behavior: 'static',
    });
  });
  it('takes KEDA’s four behaviours', () => {
    const text = `${BASE}fallback: {failureThreshold: 0, replicas: 2, behavior: currentReplicasIfHigher}\n`;
    assert.equal(loadOk(text).config.fallback?.behavior, 'currentReplicasIfHigher');
  });
  it('requires failureThreshold and replicas and names a wrong behaviour', () => {
    assertIssues(load(`${BASE}fallback: {behavior: sometimes}\n`), [
      { path: 'fallback.failureThreshold', has: ['is required'] },
      { path: 'fallback.replicas', has: ['is required'] },
      { path: 'fallback.behavior', has: ['"static", "currentReplicas"', 'got "sometimes"'] },
    ]);
  });
  it('is a v2 key: a seed (v0.8.0) file cannot use it', () => {
    const result = load(
      'metric: {type: shell, timeout: 1000, shell: "python /m.py"}\n' +
        'evaluate: {type: shell, timeout: 1000, shell: "python /e.py"}\n' +
        'fallback: {failureThreshold: 1, replicas: 1}\n',
    );
    assert.equal(result.ok, false);
  });
});
