// kubectl's AGE format, one table covering each branch and its boundaries (the first value of the next unit).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration } from '../../../src/kube/age.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration', () => {
  const rows: { name: string; given: number; want: string }[] = [
    { name: 'more than a second in the future', given: -5000, want: '<invalid>' },
    { name: 'just over a second in the future', given: -1001, want: '<invalid>' },
    { name: 'a second of skew', given: -1000, want: '0s' },
    { name: 'under a second of skew', given: -500, want: '0s' },
    { name: 'now', given: 0, want: '0s' },
    { name: 'fractions of a second drop', given: 59_999, want: '59s' },
    { name: 'seconds', given: 45_000, want: '45s' },
    { name: 'seconds up to two minutes', given: 119_000, want: '119s' },
    { name: 'two minutes', given: 2 * M, want: '2m' },
    { name: 'minutes and seconds', given: 200_000, want: '3m20s' },
    { name: 'whole minutes', given: 300_000, want: '5m' },
    { name: 'minutes and seconds under ten minutes', given: 359_000, want: '5m59s' },
    { name: 'ten minutes drop the seconds', given: 10 * M + 59 * S, want: '10m' },
    { name: 'minutes', given: 45 * M, want: '45m' },
    { name: 'an hour in minutes', given: 3_600_000, want: '60m' },
    { name: 'minutes up to three hours', given: 179 * M, want: '179m' },
    { name: 'three hours', given: 3 * H, want: '3h' },
    { name: 'hours and minutes', given: 3 * H + 10 * M, want: '3h10m' },
    { name: 'hours and minutes under eight hours', given: 5 * H + 7 * M, want: '5h7m' },
    { name: 'eight hours drop the minutes', given: 8 * H + 30 * M, want: '8h' },
    { name: 'hours', given: 30 * H, want: '30h' },
    { name: 'hours up to two days', given: 47 * H, want: '47h' },
    { name: 'two days', given: 2 * D, want: '2d' },
    { name: 'days and hours', given: 3 * D + H, want: '3d1h' },
    { name: 'days and hours in hours', given: 76 * H, want: '3d4h' },
    { name: 'days and hours under eight days', given: 7 * D + 23 * H, want: '7d23h' },
    { name: 'eight days drop the hours', given: 8 * D + 5 * H, want: '8d' },
    { name: 'days', given: 400 * D, want: '400d' },
    { name: 'days up to two years', given: 729 * D, want: '729d' },
    { name: 'two years', given: 730 * D, want: '2y' },
    { name: 'years and days', given: 740 * D, want: '2y10d' },
    { name: 'years and days, three years', given: 3 * 365 * D + 20 * D, want: '3y20d' },
    { name: 'years and days under eight years', given: 8 * 365 * D - D, want: '7y364d' },
    { name: 'eight years drop the days', given: 3000 * D, want: '8y' },
  ];
  for (const row of rows)
    it(`${row.name}: ${row.given}ms → ${row.want}`, () => assert.equal(humanDuration(row.given), row.want));
});
