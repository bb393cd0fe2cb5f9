// Property tests of the Dockerfile reader (ADD/COPY of the final stage) and of the image-path rewriting.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseDockerfileCopies, rewriteImagePaths } from '../../../src/config/dockerfile.ts';
import { hostileString, RUNS } from './arbitraries.ts';

describe('Dockerfile copies: no input throws', () => {
  it('arbitrary Dockerfile text gives absolute destinations', () => {
    const line = fc.oneof(
      hostileString,
      fc
        .tuple(
          fc.constantFrom('COPY', 'ADD', 'copy', 'WORKDIR', 'FROM'),
          fc.array(hostileString, { maxLength: 4 }),
        )
        .map(([i, args]) => `${i} ${args.join(' ')}`),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        for (const copy of parseDockerfileCopies(lines.join('\n'))) assert.ok(copy.dest.startsWith('/'));
      }),
      { numRuns: RUNS.normal },
    );
  });

  it('rewriting replaces a whole image path by its local path and leaves other text alone', () => {
    const segment = fc.stringMatching(/^[a-z0-9_]{1,8}$/);
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 3 }), hostileString, (segs, local) => {
        const imagePath = `/${segs.join('/')}`;
        const map = new Map([[imagePath, local]]);
        const out = rewriteImagePaths(`python ${imagePath} --x`, map, false);
        assert.deepEqual(out, { text: `python ${local} --x`, used: [imagePath] });
        assert.equal(rewriteImagePaths(`python ${imagePath}c`, map, true).text, `python ${imagePath}c`);
      }),
      { numRuns: RUNS.normal },
    );
  });
});
