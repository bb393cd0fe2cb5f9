// Property tests of configuration values, from the file and from environment overrides: a value of the
// wrong type is reported at its own key, and any environment yields a valid config or issues naming it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { METHOD_KEYS } from '../../../src/config/keys.ts';
import { parseEnvValue } from '../../../src/config/parse.ts';
import { hostileString, RUNS } from './arbitraries.ts';
import { assertWellFormed, BASE, BASE_TEXT, KEYS, load, value } from './config-support.ts';

describe('config: a value of the wrong type is reported at its own key', () => {
  const INT_KEYS = [
    'interval',
    'startTime',
    'minReplicas',
    'maxReplicas',
    'logVerbosity',
    'metricConcurrency',
  ];
  const rows: { keys: readonly string[]; wrong: (v: unknown) => boolean }[] = [
    { keys: INT_KEYS, wrong: (v) => !Number.isInteger(v) },
    { keys: METHOD_KEYS, wrong: (v) => typeof v !== 'object' || Array.isArray(v) },
    { keys: ['apiConfig', 'scaleTargetRef'], wrong: (v) => typeof v !== 'object' || Array.isArray(v) },
    { keys: ['kubernetesMetricSpecs'], wrong: (v) => !Array.isArray(v) },
    { keys: ['requireKubernetesMetrics'], wrong: (v) => typeof v !== 'boolean' },
    { keys: ['namespace', 'runMode'], wrong: (v) => typeof v !== 'string' },
  ];
  for (const { keys, wrong } of rows) {
    it(keys.join(', '), () => {
      fc.assert(
        fc.property(fc.constantFrom(...keys), value, (key, raw) => {
          // Through JSON, as the file would carry it (NaN becomes null, -0 becomes 0).
          const given: unknown = JSON.parse(JSON.stringify({ v: raw })).v;
          fc.pre(given !== null && wrong(given));
          const result = load(JSON.stringify({ ...BASE, [key]: given }));
          assert.ok(!result.ok, `${key}: ${JSON.stringify(given)} was accepted`);
          assert.ok(
            result.issues.some((i) => i.path === key || i.path.startsWith(`${key}.`)),
            `no issue at ${key}: ${JSON.stringify(result.issues)}`,
          );
        }),
        { numRuns: RUNS.quick },
      );
    });
  }
});

describe('config: environment overrides', () => {
  it('any value of any key variable yields a config in range or issues naming the variable', () => {
    const env = fc.dictionary(
      fc.constantFrom(...KEYS),
      fc.oneof(
        hostileString,
        value.map((v) => JSON.stringify(v) ?? ''),
      ),
      { maxKeys: 5 },
    );
    fc.assert(
      fc.property(env, (vars) => {
        const result = load(BASE_TEXT, vars);
        assertWellFormed(result);
        // With a valid file, every problem is the environment's: at a variable, or naming one (format mixing).
        if (!result.ok)
          for (const i of result.issues) assert.ok(/^env:/.test(i.path) || i.message.includes('env:'));
      }),
      { numRuns: RUNS.many },
    );
  });

  it('parseEnvValue returns a value or a message for any text', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString, fc.string({ unit: 'binary', maxLength: 200 })), (text) => {
        const r = parseEnvValue(text);
        if (!r.ok) assert.match(r.message, /^is (empty|not valid YAML\/JSON)/);
      }),
      { numRuns: RUNS.many },
    );
  });
});
