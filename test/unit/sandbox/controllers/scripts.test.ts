import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextLineTime, parseScript, scriptedLines } from '../../../../src/sandbox/controllers/log-script.ts';
import { parseQuantity } from '../../../../src/sandbox/controllers/metrics.ts';
import { humanDuration } from '../../../../src/kube/age.ts';

describe('log scripts', () => {
  const once = parseScript('+0 starting\nready\n+2.5 serving {n}\n', 0);
  const every = parseScript('+0 tick {n}\n+1 tock {n}', 10);

  it('reads offsets, and gives plain lines the time of the line before', () => {
    assert.deepEqual(once.intro, []);
    assert.deepEqual(once.lines, [
      { offsetMs: 0, text: 'starting' },
      { offsetMs: 0, text: 'ready' },
      { offsetMs: 2500, text: 'serving {n}' },
    ]);
  });

  const cases: { name: string; given: [typeof once, number, number]; want: string[] }[] = [
    {
      name: 'a script run once, up to now',
      given: [once, -1, 3000],
      want: ['0 starting', '0 ready', '2500 serving 1'],
    },
    { name: 'nothing yet before the first line', given: [once, -1, -1], want: [] },
    { name: 'only lines after a point', given: [once, 0, 3000], want: ['2500 serving 1'] },
    {
      name: 'a repeated script numbers its rounds',
      given: [every, -1, 21_000],
      want: ['0 tick 1', '1000 tock 1', '10000 tick 2', '11000 tock 2', '20000 tick 3', '21000 tock 3'],
    },
    {
      name: 'a window late in a long run',
      given: [every, 3_600_000, 3_611_000],
      want: ['3601000 tock 361', '3610000 tick 362', '3611000 tock 362'],
    },
  ];
  for (const c of cases) {
    it(c.name, () =>
      assert.deepEqual(
        scriptedLines(c.given[0], 0, c.given[1], c.given[2]).map((l) => `${l.timeMs} ${l.text}`),
        c.want,
      ),
    );
  }

  it('knows when the next line comes, and that a finished script has none', () => {
    assert.equal(nextLineTime(every, 0, 1000), 10_000);
    assert.equal(nextLineTime(once, 0, 0), 2500);
    assert.equal(nextLineTime(once, 0, 2500), undefined);
  });
});

describe('quantities and durations', () => {
  const quantities: { given: string; want: number }[] = [
    { given: '250m', want: 0.25 },
    { given: '2', want: 2 },
    { given: '64Mi', want: 64 * 1024 * 1024 },
    { given: '1.5Gi', want: 1.5 * 1024 ** 3 },
    { given: '100n', want: 1e-7 },
    { given: '1k', want: 1000 },
  ];
  for (const c of quantities)
    it(`quantity ${c.given}`, () => assert.ok(Math.abs(parseQuantity(c.given) - c.want) < 1e-12));
  it('an unreadable quantity is NaN', () => assert.ok(Number.isNaN(parseQuantity('lots'))));

  const durations: { given: number; want: string }[] = [
    { given: 0, want: '0s' },
    { given: 59_999, want: '59s' },
    { given: 119_000, want: '119s' },
    { given: 300_000, want: '5m' },
    { given: 359_000, want: '5m59s' },
    { given: 3_600_000, want: '60m' },
    { given: 3 * 3_600_000 + 600_000, want: '3h10m' },
    { given: 30 * 3_600_000, want: '30h' },
    { given: 3 * 86_400_000 + 3_600_000, want: '3d1h' },
    { given: 400 * 86_400_000, want: '400d' },
    { given: 3 * 365 * 86_400_000 + 20 * 86_400_000, want: '3y20d' },
    { given: -5000, want: '<invalid>' },
  ];
  for (const c of durations)
    it(`age of ${c.given}ms is ${c.want}`, () => assert.equal(humanDuration(c.given), c.want));
});
