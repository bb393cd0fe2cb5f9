// `kubectl cpa init` end to end, per language: the project works at once. init → simulate on its sample
// trace (the chart rendered in headless Chromium) → `run --sandbox --once` scales → against a sandbox that
// stays up, `run --once` scales and `status` shows it. Also: a non-empty DIR is refused without --force.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chartLayout, COLORS } from '../../src/simulate/chart.ts';
import type { TimelineRow } from '../../src/simulate/simulate.ts';
import { cpaBinary } from '../support/cpa.ts';
import { colourNear, cpaIn, renderInChromium } from './simulate-support.ts';

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'init-e2e-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

/** Starts a background process in `cwd` and resolves once `ready` matches its stdout. */
async function background(
  cwd: string,
  file: string,
  args: string[],
  ready?: RegExp,
): Promise<{ child: ChildProcess; stdout: () => string }> {
  const child = spawn(file, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const deadline = Date.now() + 20_000;
  while (ready !== undefined && !ready.test(stdout)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${file} did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, stdout: () => stdout };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.on('close', r));
}

/** Waits until something answers on 127.0.0.1:port. */
async function listening(port: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' }).then(
      () => true,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const CASES: { name: string; args: string[]; scaledTo: number; server?: string[] }[] = [
  { name: 'python', args: ['--lang', 'python'], scaledTo: 3 },
  { name: 'node', args: ['--lang', 'node'], scaledTo: 3 },
  { name: 'bash', args: ['--lang', 'bash'], scaledTo: 3 },
  { name: 'node-per-pod', args: ['--lang', 'node', '--mode', 'per-pod'], scaledTo: 2 },
  {
    name: 'python-http',
    args: ['--lang', 'python', '--http'],
    scaledTo: 3,
    server: ['python3', 'evaluate_server.py'],
  },
];

for (const c of CASES) {
  describe(`init ${c.args.join(' ')}`, { timeout: 240_000 }, () => {
    let dir: string;
    let server: ChildProcess | undefined;
    before(async () => {
      const ran = await cpaIn(root, ['init', c.name, ...c.args]);
      assert.equal(ran.code, 0, ran.stderr);
      assert.match(ran.stdout, /kubectl cpa simulate/);
      dir = join(root, c.name);
      if (c.server) {
        server = (await background(dir, c.server[0]!, c.server.slice(1))).child;
        await listening(8081);
      }
    });
    after(async () => {
      if (server) await stop(server);
    });

    it('writes the project files', () => {
      const files = readdirSync(dir).sort();
      for (const f of ['Dockerfile', 'README.md', 'config.yaml', 'deployment.yaml', 'trace.csv'])
        assert.ok(files.includes(f), f);
    });

    it('simulate on the sample trace follows the demand and renders a chart', async () => {
      const ran = await cpaIn(dir, [
        'simulate',
        '.',
        '--trace',
        'trace.csv',
        '--interval',
        '1m',
        '-o',
        'json',
        '--chart',
        'backtest.html',
      ]);
      assert.equal(ran.code, 0, ran.stderr);
      const doc = JSON.parse(ran.stdout) as {
        intervalMs: number;
        summary: { maxReplicas: number; failedCycles: number };
        timeline: (TimelineRow & { time: string })[];
      };
      assert.equal(doc.summary.failedCycles, 0);
      assert.equal(doc.summary.maxReplicas, 6);
      const rows = doc.timeline.map((r) => ({ ...r, timeMs: Date.parse(r.time) }));
      const peak = rows.findIndex((r) => r.replicas === 6);
      const png = renderInChromium(join(dir, 'backtest.html'));
      const layout = chartLayout(rows, doc.intervalMs);
      const mid = (r: TimelineRow): number => layout.x(r.timeMs + doc.intervalMs / 2);
      assert.ok(
        colourNear(png, mid(rows[peak]!), layout.yReplicas(6), COLORS.replicas),
        'replicas at the peak',
      );
      assert.ok(
        colourNear(png, mid(rows[0]!), layout.yReplicas(rows[0]!.replicas), COLORS.replicas),
        'replicas at the start',
      );
      assert.ok(
        !colourNear(png, mid(rows[0]!), layout.yReplicas(6), COLORS.replicas),
        'not at 6 at the start',
      );
    });

    it('run --sandbox --once scales the sample workload', async () => {
      const ran = await cpaIn(dir, ['run', '.', '--sandbox', '--once']);
      assert.equal(ran.code, 0, ran.stderr);
      assert.match(
        ran.stderr,
        new RegExp(
          `deployment/default/my-app 1 → ${c.scaledTo} replicas \\(evaluation ${c.scaledTo}; scaled\\)`,
        ),
      );
    });

    it('against a sandbox that stays up, run --once scales and status shows it', async () => {
      const kubeconfig = join(dir, 'sandbox.kubeconfig');
      const sandbox = await background(
        dir,
        cpaBinary,
        ['sandbox', '--example', '.', '--kubeconfig-out', kubeconfig, '--ready-delay', '50ms'],
        /kubeconfig/,
      );
      try {
        const ran = await cpaIn(dir, ['run', '.', '--once', '--kubeconfig', kubeconfig]);
        assert.equal(ran.code, 0, ran.stderr);
        const status = await cpaIn(dir, ['status', '--kubeconfig', kubeconfig]);
        assert.equal(status.code, 0, status.stderr);
        const row = status.stdout.split('\n').find((l) => l.includes('Deployment/my-app'));
        // NAME REFERENCE LAST-EVALUATION MINPODS MAXPODS REPLICAS AGE
        assert.match(
          row ?? status.stdout,
          new RegExp(`^${c.name}\\s+Deployment/my-app\\s+${c.scaledTo}\\s+1\\s+10\\s+${c.scaledTo}\\s`),
          `run said:\n${ran.stderr}`,
        );
      } finally {
        await stop(sandbox.child);
      }
    });
  });
}

describe('the evaluators init writes', { timeout: 60_000 }, () => {
  // Values of the target object (container env) must not count; the total is rounded up; null is refused.
  const payload = JSON.stringify({
    metrics: [
      { resource: 'a', value: '150' },
      { resource: 'b', value: '151' },
    ],
    resource: { spec: { template: { spec: { containers: [{ env: [{ name: 'X', value: '99999' }] }] } } } },
    runType: 'scaler',
  });
  const run = (
    cwd: string,
    file: string,
    args: string[],
    stdin: string,
  ): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      const child = spawn(file, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code: code ?? 124, stdout, stderr }));
      child.stdin.end(stdin);
    });
  const EVALUATORS: [string, string, string][] = [
    ['python', 'python3', 'evaluate.py'],
    ['node', 'node', 'evaluate.mjs'],
    ['bash', 'bash', 'evaluate.sh'],
  ];
  for (const [name, interpreter, file] of EVALUATORS) {
    it(`${name}: ceil(sum of the metrics / 100), nothing else counted`, async () => {
      const got = await run(join(root, name), interpreter, [file], payload);
      assert.equal(got.code, 0, got.stderr);
      assert.deepEqual(JSON.parse(got.stdout), { targetReplicas: 4 });
    });
    it(`${name}: no metrics is a failure with a message`, async () => {
      const got = await run(
        join(root, name),
        interpreter,
        [file],
        '{"metrics":null,"resource":{},"runType":"scaler"}',
      );
      assert.notEqual(got.code, 0);
      assert.match(got.stderr, /no metrics to evaluate/);
    });
  }
});
describe('init refuses to overwrite', { timeout: 60_000 }, () => {
  it('a non-empty DIR without --force is refused naming it and its files; --force writes', async () => {
    const dir = join(root, 'taken');
    await cpaIn(root, ['init', 'taken', '--lang', 'bash']).then((r) => assert.equal(r.code, 0, r.stderr));
    writeFileSync(join(dir, 'mine.txt'), 'keep me');
    const refused = await cpaIn(root, ['init', 'taken']);
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /^error: taken is not empty \(Dockerfile, README\.md, config\.yaml, deployment\.yaml, evaluate\.sh, … \(8 in all\)\); refusing to write into it$/m,
    );
    assert.match(refused.stderr, /hint: .*--force/);
    const forced = await cpaIn(root, ['init', 'taken', '--force', '--lang', 'node']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.ok(readdirSync(dir).includes('mine.txt') && readdirSync(dir).includes('evaluate.mjs'));
  });
  it('flag problems all at once, exit 2', async () => {
    const ran = await cpaIn(root, [
      'init',
      'x',
      '--lang',
      'ruby',
      '--mode',
      'sideways',
      '--target',
      'widgets/w',
    ]);
    assert.equal(ran.code, 2);
    for (const m of [/--lang: "ruby"/, /--mode: "sideways"/, /--target: "widgets\/w" needs its API version/])
      assert.match(ran.stderr, m);
  });
});
