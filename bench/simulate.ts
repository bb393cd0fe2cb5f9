// `kubectl cpa simulate`'s speed for `npm run bench`: 24 h of 15 s cycles (5,760) through the built binary
// with an HTTP evaluator on loopback (the node project `init --http` writes), against a goal of 3 s; the
// tool's own cost per cycle is what is left after the same 5,760 requests sent by a bare client over one
// kept-alive connection, as the http hook sends them (measured in the same run), and the process start. With a python evaluator, the same cycles beside `python3
// evaluate.py` started as often by a bare loop show that the time is the interpreter's.
// Needs dist/ (npm run build). Run alone: `node bench/simulate.ts`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cpaBinary } from '../test/support/cpa.ts';

const DAY_CYCLES = 5_760;
const PYTHON_CYCLES = 40;
const T0 = Date.parse('2026-01-05T00:00:00Z');

type Out = (line?: string) => void;

/** A trace of `n` samples 15 s apart: a daily wave between 50 and 950. */
function trace(n: number): string {
  const lines = ['time,value,demand'];
  for (let i = 0; i < n; i++) {
    const v = Math.round(500 - 450 * Math.cos((2 * Math.PI * i) / DAY_CYCLES));
    lines.push(`${(T0 + i * 15_000) / 1000},${v},${Math.ceil(v / 100)}`);
  }
  return `${lines.join('\n')}\n`;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function ms(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Wall time of one command (it must succeed). */
function timed(file: string, args: string[], cwd: string): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(file, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms(started);
}

/**
 * `n` sequential POSTs of `body`: a new connection each (as the http hook sends them), or over one
 * keep-alive connection (what reusing connections would make possible).
 */
async function bareRequests(port: number, body: string, n: number, keepAlive = false): Promise<number> {
  const agent = keepAlive ? new Agent({ keepAlive: true, maxSockets: 1 }) : false;
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/evaluate', agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end(body);
    });
  }
  return ms(started);
}

/** What an evaluate call of the project carries: the target object and one metric. */
function evaluatePayload(dir: string): string {
  const deployment = readFileSync(join(dir, 'deployment.yaml'), 'utf8');
  return JSON.stringify({
    metrics: [{ resource: 'my-app', value: '420' }],
    resource: { raw: deployment },
    runType: 'scaler',
  });
}

async function httpFigures(root: string, out: Out): Promise<void> {
  spawnSync(cpaBinary, ['init', 'http', '--lang', 'node', '--http'], { cwd: root, stdio: 'ignore' });
  const dir = join(root, 'http');
  const port = await freePort();
  const config = readFileSync(join(dir, 'config.yaml'), 'utf8').replace(':8081/', `:${port}/`);
  writeFileSync(join(dir, 'config.yaml'), config);
  writeFileSync(join(dir, 'day.csv'), trace(DAY_CYCLES));
  const server = spawn(process.execPath, ['evaluate-server.mjs'], {
    cwd: dir,
    env: { ...process.env, PORT: String(port) },
    stdio: 'ignore',
  });
  try {
    await new Promise((r) => setTimeout(r, 300));
    // Interleaved rounds, best of each: the machine is shared, and the best round is the least disturbed.
    const rounds = {
      start: [] as number[],
      total: [] as number[],
      bare: [] as number[],
      kept: [] as number[],
    };
    for (let round = 0; round < 3; round++) {
      rounds.start.push(timed(cpaBinary, ['version'], dir));
      rounds.total.push(timed(cpaBinary, ['simulate', '.', '--trace', 'day.csv', '-o', 'csv'], dir));
      rounds.bare.push(await bareRequests(port, evaluatePayload(dir), DAY_CYCLES));
      rounds.kept.push(await bareRequests(port, evaluatePayload(dir), DAY_CYCLES, true));
    }
    const best = (xs: number[]): number => Math.min(...xs);
    const [start, total, bare, kept] = [rounds.start, rounds.total, rounds.bare, rounds.kept].map(best) as [
      number,
      number,
      number,
      number,
    ];
    // The http hook keeps its connection alive (src/adapters/http-client.ts): its requests cost what `kept` does.
    const own = (total - start - kept) / DAY_CYCLES;
    out(
      `  ${'24 h of 15 s cycles (5,760), HTTP evaluator'.padEnd(52)} ${(total / 1000).toFixed(2).padStart(7)} s  (goal ≤ 3 s; best of 3)`,
    );
    out(`  ${'  per simulated cycle'.padEnd(52)} ${(total / DAY_CYCLES).toFixed(3).padStart(7)} ms`);
    out(
      `  ${'  reference: same requests, a new connection each'.padEnd(52)} ${(bare / DAY_CYCLES).toFixed(3).padStart(7)} ms per request`,
    );
    out(
      `  ${'  reference: same, one kept-alive connection (hook)'.padEnd(52)} ${(kept / DAY_CYCLES).toFixed(3).padStart(7)} ms per request`,
    );
    out(
      `  ${'  reference: process start (kubectl-cpa version)'.padEnd(52)} ${start.toFixed(0).padStart(7)} ms`,
    );
    out(
      `  ${"  the tool's own cost per simulated cycle".padEnd(52)} ${own.toFixed(3).padStart(7)} ms  (total − start − requests)`,
    );
  } finally {
    server.kill();
  }
}

function pythonFigures(root: string, out: Out): void {
  spawnSync(cpaBinary, ['init', 'py', '--lang', 'python'], { cwd: root, stdio: 'ignore' });
  const dir = join(root, 'py');
  writeFileSync(join(dir, 'short.csv'), trace(PYTHON_CYCLES));
  const payload = evaluatePayload(dir);
  const bareLoop = (): number => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < PYTHON_CYCLES; i++) {
      const r = spawnSync('python3', ['evaluate.py'], {
        cwd: dir,
        input: payload,
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      if (r.status !== 0) throw new Error(`python3 evaluate.py exited ${r.status}`);
    }
    return ms(started);
  };
  // The bare loop before and after the simulation, so that a change in the machine's load shows as a spread.
  const before = bareLoop();
  const total = timed(cpaBinary, ['simulate', '.', '--trace', 'short.csv', '-o', 'csv'], dir);
  const interpreter = (before + bareLoop()) / 2;
  out(
    `  ${`${PYTHON_CYCLES} cycles, python evaluator (one python3 per cycle)`.padEnd(52)} ${(total / 1000).toFixed(2).padStart(7)} s  (${(total / PYTHON_CYCLES).toFixed(1)} ms per cycle)`,
  );
  out(
    `  ${`  python3 evaluate.py alone, ${PYTHON_CYCLES} times`.padEnd(52)} ${(interpreter / 1000).toFixed(2).padStart(7)} s  (${((100 * interpreter) / total).toFixed(0)}% of the simulation: the interpreter's time)`,
  );
}

/** Prints the simulate figures. */
export async function benchSimulate(out: Out): Promise<void> {
  out('Simulate (bench/simulate.ts)');
  const root = mkdtempSync(join(tmpdir(), 'bench-simulate-'));
  try {
    await httpFigures(root, out);
    pythonFigures(root, out);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  await benchSimulate((line = '') => void process.stdout.write(`${line}\n`));
