// Hostile inputs shared by the property tests of the parsers that read outside input: text that breaks
// naive splitting and escaping, prototype keys, extreme numbers and deep nesting.
import '../../support/fuzz-seed.ts';
import fc from 'fast-check';

/** Keys that reach Object.prototype when an object is filled by plain assignment. */
export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'];

/** Fragments that tend to break parsers: separators, escapes, control and bidi characters, lone surrogates. */
const NASTY = [
  '',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '\u0000',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u2028',
  '\u202e',
  '\ufeff',
  '\ud800',
  '\udfff',
  '😀',
  'İ',
  '%',
  '%00',
  '%zz',
  '%2F',
  '+',
  '&',
  '=',
  '?',
  '#',
  '/',
  '//',
  '../',
  '\\',
  '"',
  "'",
  '`',
  '{',
  '}',
  '[',
  ']',
  ':',
  ',',
  ';',
  '!',
  '~',
  '*',
  '&a',
  '*a',
  '---',
  '...',
  'null',
  'true',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '9007199254740993',
  '0x1f',
  ...PROTO_KEYS,
];

/** Any string, biased towards the fragments above and control characters. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(...NASTY),
  fc
    .array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 4 })), { maxLength: 8 })
    .map((a) => a.join('')),
);

/** Numbers at and beyond the edges: int32/int53 limits, huge, tiny, negative zero and non-finite. */
const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    0,
    -0,
    -1,
    1,
    0.5,
    2 ** 31 - 1,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53,
    2 ** 53 + 2,
    1e21,
    1e308,
    -1e308,
    Number.MIN_VALUE,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ),
);

/** A key for a generated mapping: one of the parser's own words, a prototype key, or anything. */
function hostileKey(words: readonly string[] = []): fc.Arbitrary<string> {
  return fc.oneof(fc.constantFrom(...words, ...PROTO_KEYS), hostileString);
}

/** JSON-like values of any shape, with keys drawn from `words` and prototype keys (depth kept small). */
export function hostileValue(
  words: readonly string[] = [],
  leaves: readonly unknown[] = [],
): fc.Arbitrary<unknown> {
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constant(null),
      fc.boolean(),
      hostileNumber,
      hostileString,
      ...(leaves.length > 0 ? [fc.constantFrom(...leaves)] : []),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(hostileKey(words), tie('value'), { maxKeys: 5 }),
    ),
  }));
  return value;
}

/** `depth` levels of JSON arrays (or objects) around a scalar. */
export function nested(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array'
    ? '['.repeat(depth) + ']'.repeat(depth)
    : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** YAML "billion laughs": `depth` anchors, each a list of `width` aliases of the previous one. */
export function aliasBomb(depth: number, width: number): string {
  const lines = ['a0: &a0 [lol]'];
  for (let i = 1; i <= depth; i++) {
    lines.push(`a${i}: &a${i} [${Array.from({ length: width }, () => `*a${i - 1}`).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

/** Run counts: enough to find shallow bugs, small enough to keep the whole fuzz folder under ~30 s. */
export const RUNS = { quick: 200, normal: 500, many: 1000 } as const;
