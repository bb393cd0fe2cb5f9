// `--log-format json`: the error that ends `run` is a JSON line too, whichever layer raised it — the
// configuration, the kube connection, or commander's flag parsing. The built binary, no cluster needed.
// Before: plain `error:` / `hint:` / `(run with --help for usage)` lines after the JSON log.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cpaBinary } from '../support/cpa.ts';

const GOOD = `
minReplicas: 1
maxReplicas: 5
scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
metric: {type: shell, timeout: 5000, shell: {entrypoint: /bin/sh, command: ["-c", "echo 1"]}}
evaluate: {type: shell, timeout: 5000, shell: {entrypoint: /bin/sh, command: ["-c", "echo '{\\"targetReplicas\\": 1}'"]}}
`;

describe('--log-format json: every error is one JSON line on stderr', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cpa-json-errors-'));
  const bad = join(dir, 'bad');
  const good = join(dir, 'good');
  for (const [d, text] of [
    [bad, 'minReplicas: -3\n'],
    [good, GOOD],
  ] as const) {
    spawnSync('mkdir', ['-p', d]);
    writeFileSync(join(d, 'config.yaml'), text);
  }
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (args: string[]) => {
    const r = spawnSync(cpaBinary, args, {
      encoding: 'utf8',
      env: { ...process.env, KUBECONFIG: join(dir, 'none') },
      timeout: 60_000,
    });
    const lines = r.stderr.trimEnd().split('\n');
    const parsed = lines.map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        assert.fail(`not a JSON line: ${JSON.stringify(l)} in\n${r.stderr}`);
      }
    });
    return { code: r.status, events: parsed, last: parsed.at(-1) ?? {} };
  };

  it('a configuration error: message, every problem, exit code 1', () => {
    const r = run(['run', bad, '--once', '--log-format', 'json']);
    assert.equal(r.code, 1);
    assert.equal(r.last['event'], 'error');
    assert.equal(r.last['level'], 'error');
    assert.match(String(r.last['message']), /^invalid configuration in .*\(\d+ problems\)$/);
    assert.ok((r.last['problems'] as string[]).some((p) => /minReplicas.*got -3/.test(p)));
  });

  it('a kube connection error (no such kubeconfig: a usage error, exit 2)', () => {
    const r = run(['run', good, '--once', '--log-format=json', '--kubeconfig', join(dir, 'missing')]);
    assert.equal(r.code, 2);
    assert.equal(r.last['event'], 'error');
    assert.match(String(r.last['message']), /missing/);
  });

  it("commander's unknown option, with its suggestion and no usage line", () => {
    const r = run(['run', good, '--once', '--log-format', 'json', '--dry-rnu']);
    assert.equal(r.code, 2);
    assert.equal(r.events.length, 1);
    assert.deepEqual(
      [r.last['message'], r.last['hint']],
      ["unknown option '--dry-rnu'", 'Did you mean --dry-run?'],
    );
  });
});
