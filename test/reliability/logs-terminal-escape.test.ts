// Terminal escape injection through `logs --decisions`: a pod's log is outside input (the autoscaler's
// scripts write into it). The decision lines are our rendering, so no C0/C1 control character or DEL from
// the log may reach the terminal; they print escaped, as kubectl does (CVE-2021-25743).
// Before: ESC, CR, BEL and CSI in an error message, a run type or a time went out raw.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../unit/status/cli.ts';

const EVIL = 'a\u001b[2Jb\rc\u0007d\u009be\u007ff';
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const SGR = /\u001b\[[0-9;]*m/g;

const stamp = (s: number): string => `2025-03-01T10:00:${String(s).padStart(2, '0')}.000000000Z`;
const json = (s: number, fields: Record<string, unknown>): string =>
  `${stamp(s)} ${JSON.stringify({ time: `2025-03-01T10:00:${String(s).padStart(2, '0')}Z`, level: 'info', ...fields })}`;

/** Go CPA and kubectl-cpa JSON lines whose outside-controlled parts carry control characters. */
const LOG = [
  `${stamp(1)} E0301 10:00:01.000000       1 main.go:1] Error while autoscaling: failed to get metrics: ${EVIL}`,
  json(2, {
    event: 'decision',
    runType: `api${EVIL}`,
    from: 1,
    to: 3,
    evaluation: 3,
    reasons: ['Scaled'],
    action: 'scaled',
  }),
  json(3, { level: 'error', event: 'cycle-error', message: `failed to evaluate: ${EVIL}\nline two` }),
  `${stamp(4)} ${JSON.stringify({ time: `2025${EVIL}`, level: 'info', event: 'decision', from: 3, to: 3, reasons: ['NoChange'], action: 'unchanged' })}`,
  '',
].join('\n');

const POD = {
  metadata: { name: 'scaler', namespace: 'team-a', uid: 'u1' },
  spec: { containers: [{ name: 'autoscaler' }] },
  status: { phase: 'Running' },
};
const route = (req: { path: string }) =>
  req.path === '/api/v1/namespaces/team-a/pods/scaler' ? { body: POD } : undefined;

describe('logs --decisions never prints a raw control character from the log', () => {
  for (const tty of [false, true]) {
    it(tty ? 'on a terminal' : 'piped', async () => {
      const r = await runCli(['logs', 'pod/scaler', '--decisions'], { route, log: LOG, tty });
      assert.equal(r.code, 0, r.err);
      const lines = r.out
        .replace(SGR, '')
        .split('\n')
        .filter((l) => l !== '');
      assert.equal(lines.length, 4, r.out);
      for (const line of lines) {
        const bad = RAW_CONTROL.exec(line);
        assert.equal(bad, null, `raw U+${bad?.[0].codePointAt(0)?.toString(16)} in ${JSON.stringify(line)}`);
      }
      assert.ok(r.out.includes('a^[[2Jb\\rc\\x07d\\x9be\\x7ff'), JSON.stringify(r.out));
      // A newline inside an error stays visible as ⏎ on the cycle's one line.
      assert.match(r.out, /error: failed to evaluate: a\^\[\[2J.*⏎line two/);
    });
  }

  it('raw `logs` is left as the pod wrote it, like `kubectl logs`', async () => {
    const r = await runCli(['logs', 'pod/scaler'], { route, log: LOG });
    assert.ok(r.out.includes(EVIL));
  });
});
