// kubectl's `-o custom-columns`: spec parsing, Go's printing of values, and tabwriter's layout. The e2e test
// compares with the cluster's kubectl over live Deployments.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../../src/errors.ts';
import {
  goSprint,
  parseCustomColumns,
  renderCustomColumns,
  tabwrite,
} from '../../../src/status/custom-columns.ts';

const ITEMS = [
  { name: 'web', n: 3, tags: ['a', 'b'], m: { z: 1, a: 'x' }, nul: null, bad: 'x\u001b[2Jy' },
  { name: 'a-much-longer-name', n: 10, tags: [], m: {} },
];

describe('custom-columns', () => {
  it('relaxed paths: a.b, .a.b, {a.b} and {.a.b} mean the same', () =>
    assert.deepEqual(
      parseCustomColumns('A:n,B:.n,C:{n},D:{.n}').map((c) => c.path.source),
      ['{.n}', '{.n}', '{.n}', '{.n}'],
    ));
  it('cells: values comma-joined as Go prints them, <none> when nothing, control characters escaped', () => {
    const text = renderCustomColumns(
      parseCustomColumns('NAME:.name,N:.n,TAGS:.tags[*],M:.m,NUL:.nul,X:.missing,B:.bad'),
      ITEMS,
    );
    assert.equal(
      text,
      [
        'NAME                 N     TAGS     M              NUL      X        B',
        'web                  3     a,b      map[a:x z:1]   <nil>    <none>   x^[[2Jy',
        'a-much-longer-name   10    <none>   map[]          <none>   <none>   <none>',
        '',
      ].join('\n'),
    );
  });
  it('tabwriter: columns at least 6 wide, 3 blanks of padding, the last column not padded', () =>
    assert.equal(
      tabwrite([
        ['A', 'BB', 'C'],
        ['long-cell', '', 'x'],
      ]),
      'A           BB    C\nlong-cell         x\n',
    ));
  it('goSprint prints nested data like fmt.Sprint', () =>
    assert.equal(goSprint([{ b: [1, 'x'], a: null }, 0.5]), '[map[a:<nil> b:[1 x]] 0.5]'));
  for (const spec of ['', 'NAME', 'N:{.a}}'])
    it(`bad spec ${JSON.stringify(spec)} is a usage error`, () =>
      assert.throws(() => parseCustomColumns(spec), UsageError));
});
