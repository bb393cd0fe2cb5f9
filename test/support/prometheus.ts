// A real Prometheus for the simulate tests: built from the Go module proxy by test/prometheus/build.sh
// (cached), loaded with a TSDB block that promtool makes from OpenMetrics text the test writes, serving its
// HTTP API on a free loopback port.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUILD_SCRIPT = fileURLToPath(new URL('../prometheus/build.sh', import.meta.url));

/** Builds (or finds in the cache) prometheus and promtool; returns their directory and the build's time. */
export function buildPrometheus(): { binDir: string; seconds: number } {
  const started = Date.now();
  const result = spawnSync('bash', [BUILD_SCRIPT], { encoding: 'utf8', timeout: 45 * 60_000 });
  const binDir = result.stdout.trim().split('\n').pop() ?? '';
  if (result.status !== 0 || !existsSync(join(binDir, 'prometheus')))
    throw new Error(`failed to build prometheus (exit ${result.status}):\n${result.stderr.slice(-4000)}`);
  return { binDir, seconds: (Date.now() - started) / 1000 };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A running Prometheus. */
export interface RunningPrometheus {
  url: string;
  stop(): Promise<void>;
}

/**
 * Writes `openMetrics` (samples with timestamps), turns it into a TSDB block with promtool and starts
 * Prometheus on it; resolves once /-/ready answers.
 */
export async function startPrometheus(
  binDir: string,
  dir: string,
  openMetrics: string,
): Promise<RunningPrometheus> {
  mkdirSync(dir, { recursive: true });
  const input = join(dir, 'data.om');
  const tsdb = join(dir, 'tsdb');
  writeFileSync(input, openMetrics);
  const blocks = spawnSync(
    join(binDir, 'promtool'),
    ['tsdb', 'create-blocks-from', 'openmetrics', input, tsdb],
    {
      encoding: 'utf8',
    },
  );
  if (blocks.status !== 0) throw new Error(`promtool failed: ${blocks.stderr}`);
  writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\n');
  const port = await freePort();
  const child: ChildProcess = spawn(
    join(binDir, 'prometheus'),
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${tsdb}`,
      // The block holds old samples: a short retention would delete them at start-up.
      '--storage.tsdb.retention.time=100y',
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((r) => child.on('close', r));
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { url, stop };
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus did not become ready: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
