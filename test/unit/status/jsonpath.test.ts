// kubectl's JSONPath over JSON data. Every `want` below is what kubectl v1.32 printed for the same template
// over the same object (`kubectl label --local -f obj.json l=v -o jsonpath=…`); the e2e test compares with
// the cluster's kubectl on live objects.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CpaError, UsageError } from '../../../src/errors.ts';
import { executeTemplate, goJson, goNumber, parseTemplate } from '../../../src/status/jsonpath.ts';

const OBJ = {
  kind: 'Widget',
  metadata: { name: 'w1', annotations: { 'kubectl-cpa.io/status': '{"a":1}' } },
  spec: {
    items: [
      { name: 'a', n: 3, f: 0.5, ok: true, tags: ['p', 'q'], m: { z: 1, b: '<x>&' }, nul: null },
      { name: 'b', n: 10, f: 1234567.5, ok: false, tags: [], m: {} },
      { name: 'c', n: -2, f: 0.00001, tags: ['r'], m: { k: [1, { y: 2 }] } },
    ],
  },
};

const rows: { given: string; want: string }[] = [
  { given: '{.spec.items[*].name}', want: 'a b c' },
  { given: '{range .spec.items[*]}{.name}{"\\t"}{.n}{"\\n"}{end}', want: 'a\t3\nb\t10\nc\t-2\n' },
  { given: '{.spec.items[?(@.n>5)].name}', want: 'b' },
  { given: '{.spec.items[?(@.name=="b")].n}', want: '10' },
  { given: '{.spec.items[?(@.name!="b")].name}', want: 'a c' },
  { given: '{.spec.items[?(@.ok)].name}', want: 'a b' },
  { given: '{.spec.items[?(@.ok==true)].name}', want: 'a' },
  { given: '{.spec.items[?(@.n<=3)].name}', want: 'a c' },
  { given: '{.spec.items[?(@.f<1.0)].name}', want: 'a c' },
  { given: '{.spec.items[*].f}', want: '0.5 1.2345675e+06 1e-05' },
  { given: '{.spec.items[0].m}', want: '{"b":"\\u003cx\\u003e\\u0026","z":1}' },
  { given: '{.spec.items[0].nul}', want: 'null' },
  { given: '{.spec.items[0].tags}', want: '["p","q"]' },
  { given: '{.spec.items[-1].name}', want: 'c' },
  { given: '{.spec.items[0:2].name}', want: 'a b' },
  { given: '{.spec.items[::2].name}', want: 'a c' },
  { given: '{.spec.items[1:].name}', want: 'b c' },
  { given: '{..name}', want: 'w1 a b c' },
  { given: '{.metadata.annotations.kubectl-cpa\\.io/status}', want: '{"a":1}' },
  { given: "{.spec.items[*]['name','n']}", want: 'a b c 3 10 -2' },
  { given: '{$.metadata.name}', want: 'w1' },
  { given: 'x{.missing}y{.spec.missing[*]}z', want: 'xyz' },
  { given: '{range .spec.items[*]}[{.tags[*]}]{end}', want: '[p q][][r]' },
  { given: '{range .spec.items[*]}{range .tags[*]}<{@}>{end};{end}', want: '<p><q>;;<r>;' },
  { given: '{.spec.items[2].m.k}', want: '[1,{"y":2}]' },
  { given: '{.spec.items[2].m.k[1].y}', want: '2' },
  { given: '{.spec.items[*].ok}', want: 'true false' },
  { given: `{'single'} {"a}b"}`, want: 'single a}b' },
  { given: '{range .spec.items[*]}{.name}', want: 'abc' },
  { given: 'plain text', want: 'plain text' },
];

describe('jsonpath templates print what kubectl prints', () => {
  for (const row of rows)
    it(row.given, () => assert.equal(executeTemplate(parseTemplate(row.given), OBJ), row.want));
});

describe('jsonpath errors', () => {
  const parseErrors = ['{.items[*}', '{.a', '{.a,.b}', '{foo}', '{["kind"]}', '{"open}', '{end}', '{.a\n}'];
  for (const given of parseErrors)
    it(`parse: ${JSON.stringify(given)} is a usage error naming the template`, () =>
      assert.throws(
        () => parseTemplate(given),
        (e: Error) => e instanceof UsageError && e.message.includes(given),
      ));
  const execErrors: { given: string; want: RegExp }[] = [
    { given: '{.spec.items[5]}', want: /array index out of bounds: index 5, length 3/ },
    { given: '{.spec.items[?(@.f<1)].name}', want: /incompatible types for comparison/ },
    { given: '{.kind[0]}', want: /string is not array or slice/ },
    { given: '{.spec[?(@.x)]}', want: /cannot be filtered/ },
  ];
  for (const row of execErrors)
    it(`execute: ${row.given}`, () =>
      assert.throws(
        () => executeTemplate(parseTemplate(row.given), OBJ),
        (e: Error) =>
          e instanceof CpaError &&
          !(e instanceof UsageError) &&
          row.want.test(e.message) &&
          e.message.includes(row.given),
      ));
});

describe('Go formatting', () => {
  it('goJson sorts keys and escapes <, >, & as encoding/json does', () =>
    assert.equal(
      goJson({ b: '<&>', a: [{ d: 1, c: 2 }] }),
      '{"a":[{"c":2,"d":1}],"b":"\\u003c\\u0026\\u003e"}',
    ));
  for (const [given, want] of [
    [3, '3'],
    [-2, '-2'],
    [0.5, '0.5'],
    [123456.5, '123456.5'],
    [1234567.5, '1.2345675e+06'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
  ] as const)
    it(`goNumber(${given}) = ${want}`, () => assert.equal(goNumber(given), want));
});
