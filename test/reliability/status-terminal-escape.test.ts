// Terminal escape injection through `status` (CVE-2021-25743 in kubectl): the annotation, a CR's pod log
// and the target's Events are outside input. In the human views no C0/C1 control character or DEL may
// reach the terminal; they print escaped (`^[`, `\r`, `\x07`, `\x9b`) and the answer keeps its shape.
// Before: ESC, CR, BEL and CSI went out raw in `status -o wide` and `status NAME`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeState } from '../../src/status/schema.ts';
import { runCli, workloadRoute } from '../unit/status/cli.ts';
import { iso, recorded, T0, workload } from '../unit/status/fixtures.ts';

const EVIL = 'a\u001b[2Jb\rc\u0007d\u009be\u007ff\u0000g\tz';
/** Controls that may not appear: everything but the newline that ends each output line. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
/** Our own SGR colour codes, the one escape sequence a coloured answer may contain. */
const SGR = /\u001b\[[0-9;]*m/g;

const evilRecord = encodeState(
  recorded({
    name: `scaler-${EVIL}`,
    runner: { host: `host-${EVIL}`, pid: 42, version: `v-${EVIL}` },
    metrics: [{ resource: `pod-${EVIL}`, value: `3${EVIL}` }],
    lastError: { stage: 'evaluate', message: `boom ${EVIL}\nsecond line`, time: iso(T0) },
    consecutiveFailures: 1,
  }),
);

const CPA = {
  metadata: { name: 'logscaler', namespace: 'team-a' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: `api-${EVIL}` },
    config: [
      { name: 'interval', value: '15000' },
      { name: 'runMode', value: `per-pod-${EVIL}` },
    ],
  },
};
const CPA_POD = {
  metadata: {
    name: 'logscaler',
    namespace: 'team-a',
    labels: { 'v1.custompodautoscaler.com/owned-by': 'logscaler' },
  },
  spec: { containers: [{ name: 'autoscaler' }] },
  status: { phase: 'Running' },
};
const CPA_LOG = [
  `2025-03-01T10:00:05.000000000Z E0301 10:00:05.000000       1 main.go:1] Error while autoscaling: failed to get metrics: ${EVIL}`,
  '',
].join('\n');
const EVENT = {
  type: 'Warning',
  reason: `FailedEvaluate${EVIL}`,
  message: `evaluate said ${EVIL}`,
  source: { component: `kubectl-cpa${EVIL}` },
  lastTimestamp: iso(T0),
  count: 1,
};

const route = workloadRoute([workload('Deployment', 'web', { annotation: evilRecord })], (req) => {
  if (req.path.endsWith('/custompodautoscalers')) return { body: { items: [CPA] } };
  if (req.path.endsWith('/pods')) return { body: { items: [CPA_POD] } };
  if (req.path.endsWith('/events')) return { body: { items: [EVENT] } };
  return undefined;
});

const VIEWS: { name: string; args: string[]; tty?: boolean; env?: Record<string, string> }[] = [
  { name: 'status -o wide, piped', args: ['status', '-o', 'wide'] },
  { name: 'status -A -o wide, piped', args: ['status', '-A', '-o', 'wide'] },
  { name: 'status -o wide on a terminal, coloured', args: ['status', '-o', 'wide'], tty: true },
  {
    name: 'status -o wide on a terminal, NO_COLOR',
    args: ['status', '-o', 'wide'],
    tty: true,
    env: { NO_COLOR: '1' },
  },
  { name: 'status NAME (annotation), piped', args: ['status', 'web'] },
  { name: 'status NAME (annotation), coloured', args: ['status', 'web'], tty: true },
  { name: 'status NAME (CR pod log)', args: ['status', 'logscaler'] },
];

describe('status never prints a raw control character from outside input', () => {
  for (const v of VIEWS) {
    it(v.name, async () => {
      const r = await runCli(v.args, {
        route,
        log: CPA_LOG,
        tty: v.tty ?? false,
        env: v.env ?? {},
        nowMs: T0 + 10_000,
      });
      assert.equal(r.code, 0, r.err);
      const out = v.tty && v.env === undefined ? r.out.replace(SGR, '') : r.out;
      const bad = RAW_CONTROL.exec(out);
      assert.equal(
        bad,
        null,
        `raw U+${bad?.[0].codePointAt(0)?.toString(16).padStart(4, '0')} in:\n${JSON.stringify(out)}`,
      );
      // kubectl's spellings for ESC and CR; the others as \xNN.
      assert.ok(out.includes('a^[[2Jb\\rc\\x07d\\x9be\\x7ff\\x00g\\tz'), JSON.stringify(out));
    });
  }

  it('status NAME keeps one line per field: a newline in a value does not start a forged line', async () => {
    const r = await runCli(['status', 'web'], { route, nowMs: T0 + 10_000 });
    assert.doesNotMatch(r.out, /^second line/m);
    assert.match(r.out, /^Last error: +evaluate: boom .* second line \(10s ago\)$/m);
  });

  it('-o json keeps the data as it is (the JSON encoder escapes it)', async () => {
    const r = await runCli(['status', '-o', 'json'], { route, log: CPA_LOG, nowMs: T0 + 10_000 });
    const items = (JSON.parse(r.out) as { items: { name: string }[] }).items;
    assert.ok(items.some((i) => i.name === `scaler-${EVIL}`));
  });
});
