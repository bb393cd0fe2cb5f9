// The README's "In the cluster" RBAC block is the Role deploy generates (rendered by the same code), so the
// documentation cannot promise rights the installation does not have, or miss one it has.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { rbacDocYaml } from '../../../src/deploy/rbac-doc.ts';
import { repoRoot } from '../../support/cpa.ts';

describe('README: In the cluster', () => {
  it('its RBAC block is the generated Role', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const start = readme.indexOf('\n## In the cluster');
    assert.notEqual(start, -1, 'README.md has an "## In the cluster" section');
    const end = readme.indexOf('\n## ', start + 1);
    const section = readme.slice(start, end === -1 ? undefined : end);
    const rbac = section.slice(section.indexOf('\n### RBAC'));
    const block = /```yaml\n([\s\S]*?)```/.exec(rbac)?.[1];
    assert.equal(block, rbacDocYaml(), 'regenerate the block with rbacDocYaml() (src/deploy/rbac-doc.ts)');
  });
});
