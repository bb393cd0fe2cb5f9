import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decisionPrinter, rawPrinter } from '../../../src/logs/printers.ts';
import type { Clock, Output } from '../../../src/ports.ts';

class Capture implements Output {
  text = '';
  readonly isTTY: boolean;
  constructor(isTTY = false) {
    this.isTTY = isTTY;
  }
  write(text: string): void {
    this.text += text;
  }
}

/** A clock whose sleeps end only when the test says so. */
class ManualClock implements Clock {
  #waiting: (() => void)[] = [];
  nowMs(): number {
    return 0;
  }
  sleep(): Promise<void> {
    return new Promise((resolve) => this.#waiting.push(resolve));
  }
  async release(): Promise<void> {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const resolve of waiting) resolve();
    await new Promise((r) => setImmediate(r));
  }
}

const S = (s: number): string => `2026-06-12T14:03:${String(s).padStart(2, '0')}.5Z`;
const glog = (s: number, m: string, sev = 'I'): string =>
  `${S(s)} ${sev}0612 14:03:${String(s).padStart(2, '0')}.500000       1 x.go:1] ${m}`;

test('rawPrinter: one pod plain; once two pods are shown, every line is prefixed (coloured on a TTY)', () => {
  const out = new Capture(true);
  const err = new Capture();
  const sink = rawPrinter({ out, err, timestamps: false, color: true });
  sink.pods([{ name: 'a', container: 'c' }]);
  sink.line('a', `${S(1)} first`);
  sink.pods([
    { name: 'a', container: 'c' },
    { name: 'b', container: 'c' },
  ]);
  sink.line('b', `${S(2)} second`);
  sink.line('a', `${S(3)} third`);
  sink.note('+ pod/b: new pod, following it');
  assert.equal(out.text, 'first\n\u001b[32m[pod/b/c] \u001b[0msecond\n\u001b[36m[pod/a/c] \u001b[0mthird\n');
  assert.equal(err.text, '+ pod/b: new pod, following it\n');
});

test('rawPrinter: --timestamps keeps the stamps; no colour when not asked', () => {
  const out = new Capture();
  const sink = rawPrinter({ out, err: new Capture(), timestamps: true, color: false });
  sink.pods([
    { name: 'a', container: 'c' },
    { name: 'b', container: 'c' },
  ]);
  sink.line('a', `${S(1)} x`);
  assert.equal(out.text, `[pod/a/c] ${S(1)} x\n`);
});

test('decisionPrinter: a decided cycle shows after a quiet moment; the hint once, on stderr', async () => {
  const out = new Capture();
  const err = new Capture();
  const clock = new ManualClock();
  // A function, so that TypeScript does not narrow the text after the first assertion.
  const printed = (): string => out.text;
  const sink = decisionPrinter({
    out,
    err,
    timestamps: false,
    color: false,
    clock,
    signal: new AbortController().signal,
    idleMs: 300,
  });
  sink.pods([{ name: 'web', container: 'c' }]);
  sink.line('web', glog(15, 'Picked max evaluation over stabilization window of 0 seconds; replicas 4'));
  sink.line('web', glog(15, 'Rescaling from 2 to 4 replicas'));
  sink.idle('web');
  assert.equal(printed(), '', 'nothing before the quiet moment');
  await clock.release();
  assert.equal(printed(), '2026-06-12T14:03:15Z eval ?    2 → 4     Scaled\n');
  sink.line('web', glog(30, 'Picked max evaluation over stabilization window of 0 seconds; replicas 4'));
  sink.idle('web');
  sink.line('web', glog(30, 'No change in target replicas, maintaining 4 replicas'));
  sink.idle('web');
  await clock.release();
  sink.end('web');
  assert.equal(printed().split('\n').length - 1, 2);
  assert.match(printed(), /14:03:30Z eval \? {4}4 → 4 {5}NoChange\n$/);
  assert.equal(err.text.match(/^hint: /gm)?.length, 1);
});

test('decisionPrinter: an idle stream does not cut a cycle before its decision; the end flushes it', async () => {
  const out = new Capture();
  const clock = new ManualClock();
  const sink = decisionPrinter({
    out,
    err: new Capture(),
    timestamps: false,
    color: false,
    clock,
    signal: new AbortController().signal,
    idleMs: 300,
  });
  sink.pods([{ name: 'web', container: 'c' }]);
  sink.line('web', glog(45, 'Shell command failed, stderr: Traceback:'));
  sink.line('web', `${S(45)} KeyError: 'x'`);
  sink.idle('web');
  await clock.release();
  assert.equal(out.text, '');
  sink.line(
    'web',
    glog(45, 'Error while autoscaling: failed to get metrics: failed to gather metrics: exit status 1', 'E'),
  );
  sink.end('web');
  assert.equal(
    out.text,
    "2026-06-12T14:03:45Z eval ?    ? → ?     Failed  error: failed to get metrics: failed to gather metrics: exit status 1 (stderr: KeyError: 'x')\n",
  );
});
