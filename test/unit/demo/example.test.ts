// The demo carries the example inside the program; it must stay the example that ships in examples/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { PYTHON_EXAMPLE, SHELL_EXAMPLE } from '../../../src/demo/example.ts';

const shipped = (name: string): string =>
  readFileSync(new URL(`../../../examples/python-custom-autoscaler/${name}`, import.meta.url), 'utf8');

describe('the demo example', () => {
  for (const name of Object.keys(PYTHON_EXAMPLE)) {
    it(`${name} is byte-for-byte the shipped example`, () =>
      assert.equal(PYTHON_EXAMPLE[name], shipped(name)));
  }
  it('the python example has every file the guide has', () => {
    assert.deepEqual(Object.keys(PYTHON_EXAMPLE).sort(), [
      'Dockerfile',
      'config.yaml',
      'deployment.yaml',
      'evaluate.py',
      'metric.py',
    ]);
  });
  it('the shell variant scales the same deployment', () => {
    assert.equal(SHELL_EXAMPLE['deployment.yaml'], shipped('deployment.yaml'));
    assert.match(SHELL_EXAMPLE['config.yaml'] ?? '', /shell: "sed /);
  });
});
