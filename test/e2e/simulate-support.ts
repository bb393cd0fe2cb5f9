// What the simulate and init end-to-end tests share: running the built binary in a directory, rendering a
// chart in headless Chromium (the Debian package) and looking at the PNG's pixels.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHART_HEIGHT, CHART_WIDTH } from '../../src/simulate/chart.ts';
import { cpaBinary } from '../support/cpa.ts';
import { decodePng, type Png } from '../support/png.ts';

export interface Ran {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs dist/kubectl-cpa ARGS in `cwd`; resolves when it exits (killed after `timeoutMs`). */
export function cpaIn(
  cwd: string,
  args: string[],
  timeoutMs = 120_000,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cpaBinary, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code: code ?? 124 });
    });
  });
}

/** One Chromium screenshot of `file`; the PNG's path, or null (with Chromium's stderr) when none was written. */
function screenshot(file: string, dir: string): { png: string | null; stderr: string } {
  const png = join(dir, 'shot.png');
  const result = spawnSync(
    'chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--hide-scrollbars',
      '--force-device-scale-factor=1',
      `--user-data-dir=${join(dir, 'profile')}`,
      `--window-size=${CHART_WIDTH},${CHART_HEIGHT}`,
      `--screenshot=${png}`,
      pathToFileURL(file).href,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (result.status !== 0) throw new Error(`chromium failed (${result.status}): ${result.stderr}`);
  return { png: existsSync(png) ? png : null, stderr: result.stderr };
}

/**
 * Renders `file` (SVG or HTML) at the chart's size in headless Chromium and decodes the screenshot. Chromium
 * sometimes exits 0 without writing the screenshot when the machine is loaded (seen once in this suite), so
 * a missing file is tried again twice before the test fails with Chromium's own words.
 */
export function renderInChromium(file: string): Png {
  const dir = mkdtempSync(join(tmpdir(), 'chart-png-'));
  try {
    let last = '';
    for (let attempt = 0; attempt < 3; attempt++) {
      const shot = screenshot(file, dir);
      if (shot.png !== null) return decodePng(readFileSync(shot.png));
      last = shot.stderr;
    }
    throw new Error(`chromium wrote no screenshot of ${file}: ${last}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** True when a pixel within `radius` of (x, y) has colour `hex` (within anti-aliasing tolerance). */
export function colourNear(png: Png, x: number, y: number, hex: string, radius = 2): boolean {
  const want = rgb(hex);
  for (let dy = -radius; dy <= radius; dy++)
    for (let dx = -radius; dx <= radius; dx++) {
      const got = png.at(x + dx, y + dy);
      if (got.every((c, i) => Math.abs(c - want[i]!) <= 24)) return true;
    }
  return false;
}
