// One fast-check seed for every property of a test run. Fixed by default, so that CI is repeatable and a red
// run reproduces exactly; `FC_SEED=N` replays another seed and `FC_SEED=random` explores new inputs (a
// failure prints its seed and path, which FC_SEED and fast-check's `path` then replay).
import fc from 'fast-check';

const DEFAULT_SEED = 20_261_206;

function seedFrom(text: string | undefined): number {
  if (text === undefined || text === '') return DEFAULT_SEED;
  if (text === 'random') return (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
  const n = Number(text);
  if (!Number.isInteger(n)) throw new Error(`FC_SEED: "${text}" is not an integer or "random"`);
  return n;
}

/** The seed this run uses. */
export const FUZZ_SEED = seedFrom(process.env['FC_SEED']);
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: FUZZ_SEED });
