// The kube chunk loader outside a SEA (npm run build's dist/): it loads the chunk file beside the main
// script, as a real CommonJS module. The SEA path (the chunk as an asset) runs in test/e2e/binary.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { KUBE_CHUNK, loadKubeChunk } from '../../../src/adapters/kube-chunk-loader.ts';

describe('loadKubeChunk (not a SEA)', () => {
  it('returns the exports of the chunk file next to the main script, which can require builtins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cpa-chunk-'));
    try {
      writeFileSync(
        join(dir, KUBE_CHUNK),
        "exports.connectKube = () => require('node:path').basename(__filename);\n",
      );
      const chunk = loadKubeChunk(join(dir, 'kubectl-cpa.cjs'));
      assert.equal((chunk.connectKube as unknown as () => string)(), KUBE_CHUNK);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails loudly when the chunk is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cpa-chunk-'));
    try {
      assert.throws(() => loadKubeChunk(join(dir, 'kubectl-cpa.cjs')), /Cannot find module/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
