// The processes the sandbox bench measures from outside: a sandbox in its own process (the built binary, or
// `--serve`), a bare node:https server as the reference, the CLI's start, and the memory child that holds
// 1,000 Deployments × 10 pods. Also the raw HTTPS client they share. Used by bench/sandbox.ts.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { createSandboxCore } from '../src/sandbox/server/core.ts';
import { realEnv, startSandbox } from '../src/sandbox/server/server.ts';
import { generateTls } from '../src/sandbox/tls/tls.ts';
import { sandboxDeps } from '../test/support/sandbox-deps.ts';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const clock = { nowMs: () => Date.now() };
export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const percentile = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length * p)]!;

export function deployment(name: string, replicas: number): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { numPods: '3' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'c', image: 'registry.invalid/app:1' }] },
      },
    },
  };
}

/** One request; resolves with the status and the resourceVersion of a JSON answer. */
export function send(
  sb: Target,
  agent: Agent,
  method: string,
  path: string,
  body?: unknown,
  contentType?: string,
): Promise<{ status: number; rv?: string; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = {
      authorization: `Bearer ${sb.token}`,
      accept: 'application/json',
    };
    if (contentType !== undefined) headers['content-type'] = contentType;
    if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
    const req = request(new URL(path, sb.url), { method, agent, ca: sb.caPem, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const rv = /"resourceVersion":"(\d+)"/.exec(text)?.[1];
        resolve({ status: res.statusCode ?? 0, rv, text });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Idle time before each timed pair, for the sandbox and the reference alike (kubectl-cpa idles between cycles). */
export const IDLE_MS = 20;

/** Median ms from spawning `dist/kubectl-cpa sandbox` to its kubeconfig path on stdout; NaN without a build. */
export async function cliStartToReady(rounds: number): Promise<number> {
  const binary = join(root, 'dist', 'kubectl-cpa');
  if (!existsSync(binary)) return Number.NaN;
  const dir = mkdtempSync(join(tmpdir(), 'bench-sandbox-'));
  const samples: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const started = performance.now();
      const child = spawn(binary, ['sandbox', '--kubeconfig-out', join(dir, 'kc')], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      samples.push(performance.now() - started);
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('close', resolve));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return median(samples);
}

/** The server of a sandbox kubeconfig: URL, CA and token. */
export interface Target {
  url: string;
  caPem: string;
  token: string;
}

function targetOf(kubeconfig: string): Target {
  const config = parse(readFileSync(kubeconfig, 'utf8')) as {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { user: { token: string } }[];
  };
  const cluster = config.clusters[0]!.cluster;
  const caPem = Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8');
  return { url: cluster.server, caPem, token: config.users[0]!.user.token };
}

/** A sandbox in its own process (as kubectl-cpa meets it): the built binary, or this file's in-process server. */
export async function separateSandbox(dir: string): Promise<{ target: Target; stop(): Promise<void> }> {
  const kubeconfig = join(dir, 'kc');
  const binary = join(root, 'dist', 'kubectl-cpa');
  const [file, args] = existsSync(binary)
    ? [binary, ['sandbox', '--kubeconfig-out', kubeconfig, '--ready-delay', '0s']]
    : [process.execPath, [fileURLToPath(import.meta.url), '--serve', kubeconfig]];
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  return {
    target: targetOf(kubeconfig),
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('close', resolve));
    },
  };
}

/** The reference: a bare node:https server in another process answering a fixed Scale, timed the same way. */
export async function referenceRoundTrip(rounds: number): Promise<number> {
  const tls = generateTls(Date.now());
  const code = `
    import { createServer } from 'node:https';
    const { cert, key } = JSON.parse(process.env.TLS);
    const server = createServer({ cert, key }, (req, res) => {
      req.resume();
      req.on('end', () => {
        const body = '{"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{"resourceVersion":"7"},"spec":{"replicas":1}}';
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body);
      });
    });
    server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, TLS: JSON.stringify({ cert: tls.cert, key: tls.key }) },
  });
  const port = await new Promise<string>((resolve) =>
    child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())),
  );
  const t: Target = { url: `https://127.0.0.1:${port}`, caPem: tls.caCert, token: '' };
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const samples: number[] = [];
  try {
    for (let i = 0; i < rounds + 20; i++) {
      await new Promise((r) => setTimeout(r, IDLE_MS));
      const started = performance.now();
      await send(t, agent, 'GET', '/scale');
      await send(
        t,
        agent,
        'PATCH',
        '/scale',
        [{ op: 'replace', path: '/spec/replicas', value: 2 }],
        'application/json-patch+json',
      );
      if (i >= 20) samples.push(performance.now() - started);
    }
    return median(samples);
  } finally {
    agent.destroy();
    child.kill('SIGTERM');
  }
}

/** Median ms of `dist/kubectl-cpa version`: loading the bundle on the pinned Node, the floor of any command. */
export function versionStart(rounds: number): number {
  const binary = join(root, 'dist', 'kubectl-cpa');
  if (!existsSync(binary)) return Number.NaN;
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    spawnSync(binary, ['version'], { stdio: 'ignore' });
    samples.push(performance.now() - started);
  }
  return median(samples);
}

/** In a child process: 1,000 Deployments × 10 pods, all Running and Ready; prints RSS after a full GC. */
async function memoryChild(): Promise<void> {
  const started = performance.now();
  const core = createSandboxCore({
    env: realEnv(clock),
    users: [],
    serverAddress: '127.0.0.1:0',
    startDelayMs: 0,
  });
  for (let i = 0; i < 1000; i++) core.load([deployment(`d${i}`, 10)]);
  const ready = (): number =>
    core.store.list('/pods').filter((p) => (p.status as { phase?: string } | undefined)?.phase === 'Running')
      .length;
  while (ready() < 10_000) await new Promise((r) => setTimeout(r, 50));
  const settledMs = performance.now() - started;
  // RSS as the process holds it (a forced compaction would itself take room); the heap figure after a GC.
  await new Promise((r) => setTimeout(r, 1000));
  const { rss } = process.memoryUsage();
  (globalThis as { gc?: () => void }).gc?.();
  const { heapUsed } = process.memoryUsage();
  process.stdout.write(`${JSON.stringify({ rss, heapUsed, settledMs, pods: core.store.count('/pods') })}\n`);
  core.close();
}

/**
 * Runs memoryChild in a fresh process from an esbuild bundle of this file, as the product runs (the .ts
 * sources through Node's type stripping would add the stripper's own memory to the figure).
 */
export async function memory(): Promise<{ rss: number; heapUsed: number; settledMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sandbox-mem-'));
  try {
    const bundle = join(dir, 'bench.mjs');
    const { build } = await import('esbuild');
    await build({
      entryPoints: [fileURLToPath(import.meta.url)],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      logLevel: 'error',
      external: ['esbuild'],
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    });
    const result = spawnSync(process.execPath, ['--expose-gc', bundle, '--memory-child'], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (result.status !== 0) throw new Error(`memory child failed: ${result.stderr}`);
    return JSON.parse(result.stdout) as { rss: number; heapUsed: number; settledMs: number };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `--serve FILE`: a sandbox in the foreground writing its kubeconfig to FILE (when dist/ is not built). */
async function serveChild(kubeconfigOut: string): Promise<void> {
  const sb = await startSandbox(sandboxDeps(clock), { kubeconfigOut, startDelayMs: 0 });
  process.stdout.write(`${kubeconfigOut}\n`);
  process.once('SIGTERM', () => void sb.close());
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === '--memory-child') await memoryChild();
  else if (process.argv[2] === '--serve') await serveChild(process.argv[3]!);
}
