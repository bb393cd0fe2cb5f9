// Property tests of the configuration file parser: no text makes it throw, every problem is a ConfigIssue,
// YAML 1.1 features mean what they say or are refused, and resource-exhaustion inputs stay bounded.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseConfigText, parseEnvValue } from '../../../src/config/parse.ts';
import { aliasBomb, hostileString, nested, PROTO_KEYS, RUNS } from './arbitraries.ts';
import {
  assertWellFormed,
  BASE,
  BASE_TEXT,
  KEYS,
  LEAVES,
  load,
  SHELL,
  value,
  WORDS,
} from './config-support.ts';

describe('config text: no input throws', () => {
  it('arbitrary text gives a parse result or issues naming the file', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString, fc.string({ unit: 'binary', maxLength: 300 })), (text) => {
        const parsed = parseConfigText(text, 'config.yaml');
        if (!parsed.ok) for (const i of parsed.issues) assert.equal(i.path, 'config.yaml');
        assertWellFormed(load(text));
      }),
      { numRuns: RUNS.many },
    );
  });

  it('any document shape, as JSON or YAML, yields a config in range or issues', () => {
    const doc = fc.dictionary(fc.oneof(fc.constantFrom(...WORDS, ...PROTO_KEYS), hostileString), value, {
      maxKeys: 10,
    });
    fc.assert(
      fc.property(doc, fc.boolean(), (root, asYaml) => {
        const json = JSON.stringify(root);
        // Block YAML of the same data: one key per line, each value as a JSON flow node.
        const text = asYaml
          ? Object.entries(root)
              .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v) ?? 'null'}`)
              .join('\n')
          : json;
        assertWellFormed(load(text));
      }),
      { numRuns: RUNS.many },
    );
  });

  it('a valid file with some keys replaced by anything yields a config in range or issues', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 4 }), (patch) => {
        assertWellFormed(load(JSON.stringify({ ...BASE, ...patch })));
      }),
      { numRuns: RUNS.many },
    );
  });
});

/** Flow YAML with YAML 1.1 features JSON lacks: tags, anchors and aliases, merge keys, collections as keys. */
const yamlNode: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(
      '1',
      '-1',
      '1e400',
      '.nan',
      '-.inf',
      '~',
      'yes',
      'off',
      '0x1F',
      '0o17',
      '2001-12-14',
      '1:20',
    ),
    fc.constantFrom(...LEAVES, '"\\u0000"', "'it''s'", '*a', '<<'),
    hostileString.map((t) => JSON.stringify(t)),
    fc
      .tuple(
        fc.constantFrom(
          '!!omap',
          '!!pairs',
          '!!set',
          '!!binary',
          '!!str',
          '!!int',
          '!!float',
          '!!map',
          '!foo',
        ),
        tie('node'),
      )
      .map(([tag, n]) => `${tag} ${n}`),
    tie('node').map((n) => `&a ${n}`),
    fc.array(tie('node'), { maxLength: 3 }).map((a) => `[${a.join(', ')}]`),
    fc
      .array(fc.tuple(fc.oneof(fc.constantFrom(...WORDS), tie('node')), tie('node')), { maxLength: 4 })
      .map((pairs) => `{${pairs.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
  ),
})).node;

/** Runs `fn` and returns the process warnings it emitted (the YAML library warns through process.emitWarning). */
function warningsOf(fn: () => void): string[] {
  const seen: string[] = [];
  const original = process.emitWarning;
  process.emitWarning = ((w: string | Error) => void seen.push(String(w))) as typeof process.emitWarning;
  try {
    fn();
  } finally {
    process.emitWarning = original;
  }
  return seen;
}

describe('config: YAML 1.1 features', () => {
  it('tags, anchors, merge keys and collection keys yield a config in range or issues, and print nothing', () => {
    const line = fc.tuple(fc.constantFrom(...KEYS, '<<', 'a'), yamlNode).map(([k, n]) => `${k}: ${n}`);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 6 }), (lines) => {
        const warnings = warningsOf(() => assertWellFormed(load(`${BASE_TEXT}${lines.join('\n')}\n`)));
        assert.deepEqual(warnings, []);
      }),
      { numRuns: RUNS.many },
    );
  });

  it('a mapping written as an ordered map (!!omap) means the same or is refused at its path', () => {
    const http = { method: 'GET', url: 'http://x/', successCodes: [200], parameterMode: 'query' };
    const doc = fc.record({
      metric: fc.constant(SHELL),
      evaluate: fc.record({
        type: fc.constant('http'),
        timeout: fc.constant(100),
        http: fc.record({
          ...Object.fromEntries(Object.entries(http).map(([k, v]) => [k, fc.constant(v)])),
          headers: fc.dictionary(fc.stringMatching(/^[A-Za-z_][-\w]{0,8}$/), fc.string({ maxLength: 5 }), {
            minKeys: 1,
            maxKeys: 3,
          }),
        }),
      }),
      apiConfig: fc.record({ port: fc.integer({ min: 0, max: 65535 }), host: fc.constant('127.0.0.1') }),
    });
    const PATHS = [
      ['evaluate'],
      ['evaluate', 'http'],
      ['evaluate', 'http', 'headers'],
      ['apiConfig'],
      ['metric', 'shell'],
    ];
    /** Flow YAML of `v`, with the mapping at `omap` (relative to `v`) written as `!!omap [{k: v}, ...]`. */
    const render = (v: unknown, omap: readonly string[] | null): string => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return JSON.stringify(v);
      const pairs = Object.entries(v).map(
        ([k, x]) => [k, render(x, omap?.[0] === k ? omap.slice(1) : null)] as const,
      );
      if (omap !== null && omap.length === 0)
        return `!!omap [${pairs.map(([k, x]) => `{${JSON.stringify(k)}: ${x}}`).join(', ')}]`;
      return `{${pairs.map(([k, x]) => `${JSON.stringify(k)}: ${x}`).join(', ')}}`;
    };
    fc.assert(
      fc.property(doc, fc.constantFrom(...PATHS), (d, path) => {
        const plain = load(render(d, null));
        const tagged = load(render(d, path));
        assert.ok(plain.ok, JSON.stringify(!plain.ok && plain.issues));
        if (tagged.ok) assert.deepEqual(tagged.config, plain.config);
        else
          assert.ok(
            tagged.issues.some((i) => i.path === path.join('.')),
            JSON.stringify(tagged.issues),
          );
      }),
      { numRuns: RUNS.quick },
    );
  });
});

describe('config: resource exhaustion is bounded', () => {
  it('an alias bomb is refused or small, quickly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2, max: 12 }), (depth, width) => {
        const text = aliasBomb(depth, width);
        for (const parse of [() => load(BASE_TEXT.trimEnd() + '\n' + text), () => parseEnvValue(text)]) {
          const started = performance.now();
          parse();
          assert.ok(performance.now() - started < 5000, 'parsing an alias bomb must not hang');
        }
      }),
      { numRuns: 60 },
    );
  });

  it('deep nesting is an issue, not a stack overflow', () => {
    for (const depth of [1000, 10_000, 100_000]) {
      for (const kind of ['array', 'object'] as const) {
        const result = load(`{"metric": ${nested(depth, kind)}}`);
        assert.ok(!result.ok);
        assert.ok(!parseEnvValue(nested(depth, kind)).ok || depth < 10_000);
      }
    }
  });

  it('a duplicate key is an issue at its line, in YAML and JSON', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KEYS), (key) => {
        for (const text of [`${key}: 1\n${key}: 2\n`, `{"${key}": 1, "${key}": 2}`]) {
          const result = load(text);
          assert.ok(!result.ok && result.issues.some((i) => i.message.includes('keys must be unique')));
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe('config: regressions found by the properties above', () => {
  const HTTP = { method: 'GET', url: 'http://x/', successCodes: [200], parameterMode: 'query' };
  const withHeaders = (headers: string): string =>
    `{"metric": {"type": "http", "http": ${JSON.stringify(HTTP).slice(0, -1)}, "headers": ${headers}}}, ` +
    `"evaluate": ${JSON.stringify(SHELL)}}`;

  it('a header named __proto__ is kept, not dropped', () => {
    const result = load(withHeaders('{"__proto__": "v", "a": "b"}'));
    assert.ok(result.ok && result.config.metric.type === 'http', JSON.stringify(!result.ok && result.issues));
    assert.deepEqual(Object.entries(result.config.metric.http.headers), [
      ['__proto__', 'v'],
      ['a', 'b'],
    ]);
  });

  const refused: { name: string; text: string; want: { path: string; has: string } }[] = [
    {
      name: 'an ordered map (!!omap) of headers is refused, not read as no headers',
      text: withHeaders('!!omap [{a: b}]'),
      want: { path: 'metric.http.headers', has: 'got a YAML !!omap' },
    },
    {
      name: 'a set (!!set) as a shell block is refused as not a mapping',
      text: `{"metric": {"type": "shell", "shell": !!set {command}}, "evaluate": ${JSON.stringify(SHELL)}}`,
      want: {
        path: 'metric.shell',
        has: 'must be a mapping {entrypoint, command, logStderr}, got a YAML !!set',
      },
    },
    {
      name: 'binary data (!!binary) at the top level is not a mapping of keys',
      text: '!!binary aGVsbG8=',
      want: { path: 'config.yaml', has: 'must be a mapping of keys, got YAML !!binary data (5 bytes)' },
    },
    {
      name: 'an overflowing number is shown as Infinity, not null',
      text: `{"metric": {"type": "shell", "timeout": 1e400, "shell": {"command": ["a"]}}, "evaluate": ${JSON.stringify(SHELL)}}`,
      want: { path: 'metric.timeout', has: 'got Infinity' },
    },
    {
      name: 'a YAML .nan is shown as NaN, not null',
      text: `${BASE_TEXT}interval: .nan\n`,
      want: { path: 'interval', has: 'got NaN' },
    },
  ];
  it('a v2 hook with a string shell is a bad hook, not a seed file blaming metric and evaluate', () => {
    // Was: "mixes formats: metric.shell is a mapping (v2 syntax), but env:postEvaluate.shell is a string".
    for (const [text, env, at] of [
      [`${BASE_TEXT}postEvaluate: {type: shell, shell: "echo"}\n`, {}, 'postEvaluate.shell'],
      [BASE_TEXT, { postEvaluate: '{type: shell, shell: echo}' }, 'env:postEvaluate.shell'],
    ] as const) {
      const result = load(text, env);
      assert.deepEqual(!result.ok && result.issues.map((i) => [i.path, i.message]), [
        [at, 'must be a mapping {entrypoint, command, logStderr}, got "echo"'],
      ]);
    }
  });

  for (const { name, text, want } of refused) {
    it(name, () => {
      const result = load(text);
      assert.ok(!result.ok, `accepted: ${name}`);
      const issue = result.issues.find((i) => i.path === want.path);
      assert.ok(issue?.message.includes(want.has), JSON.stringify(result.issues));
    });
  }

  it('a collection used as a key is an unknown key, with no warning printed by the YAML library', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const result = load(`${BASE_TEXT}? [a, b]\n: 1\n`);
      assert.ok(!result.ok && result.issues.some((i) => i.message.startsWith('unknown key "[ a, b ]"')));
      assert.ok(parseEnvValue('? {a: b}\n: 1\n').ok);
      // process.emitWarning delivers on a later tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    assert.deepEqual(warnings, []);
  });

  it('an environment value with several YAML documents says so in our words', () => {
    const r = parseEnvValue('a: 1\n---\nb: 2\n');
    assert.deepEqual(r, {
      ok: false,
      message: 'is not valid YAML/JSON: holds more than one YAML document ("---" line); give one value',
    });
  });
});
