// `npm run image`, verified with real tools built from the Go module proxy (test/registry/build.sh, cached):
// two builds give the same digests; the reference registry (distribution's cmd/registry) on 127.0.0.1 takes
// the multi-arch index from crane and gives it back by digest; the amd64 root filesystem crane exports runs
// `kubectl-cpa version` and `run --once` against the test cluster under chroot as the image's non-root
// user; the arm64 one runs `version` under qemu-aarch64 with only its own libraries.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { useCluster, type TestCluster } from '../support/cluster.ts';
import { dockerfileRecipe, KUBECTL_CPA_IMAGE } from '../../src/init/dockerfile.ts';
import { repoRoot } from '../support/cpa.ts';
import { WEB } from '../support/deploy-project.ts';

const VERSION = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string })
  .version;

function sh(cmd: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}) {
  const result = spawnSync(cmd, args, {
    encoding: 'utf8',
    env: options.env ?? process.env,
    timeout: options.timeoutMs ?? 600_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    status: result.status,
    stdout: result.stdout ?? '',
    stderr: `${result.stderr ?? ''}${result.error?.message ?? ''}`,
  };
}

function ok(cmd: string, args: string[], options?: { env?: NodeJS.ProcessEnv; timeoutMs?: number }): string {
  const r = sh(cmd, args, options);
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Every file of a directory tree with its bytes, for comparing two layouts. */
function tree(dir: string, rel = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const path = rel === '' ? name.name : `${rel}/${name.name}`;
    if (name.isDirectory()) Object.assign(out, tree(dir, path));
    else out[path] = readFileSync(join(dir, path)).toString('base64');
  }
  return out;
}

describe('the image: reproducible, pushed and pulled by digest, run from its root filesystem', () => {
  const work = mkdtempSync(join(tmpdir(), 'cpa-image-'));
  let tools: string;
  let registry: ChildProcess | undefined;
  let registryAddr: string;
  let digest: string;
  const image = () => `${registryAddr}/kubectl-cpa`;

  // The first run on a machine builds the registry and crane from the Go module proxy (minutes; then cached):
  // above the suite's per-test default (scripts/test.mjs), so the hooks and the build test say their own.
  before(
    async () => {
      const built = sh('bash', [join(repoRoot, 'test/registry/build.sh')], { timeoutMs: 3_600_000 });
      assert.equal(built.status, 0, built.stderr);
      tools = built.stdout.trim().split('\n').pop() ?? '';
      const port = await freePort();
      registryAddr = `127.0.0.1:${port}`;
      const config = join(work, 'registry.yml');
      writeFileSync(
        config,
        `version: 0.1\nlog: {level: error}\nstorage: {filesystem: {rootdirectory: ${join(work, 'registry')}}}\nhttp: {addr: "${registryAddr}"}\n`,
      );
      registry = spawn(join(tools, 'registry'), ['serve', config], { stdio: 'ignore' });
      for (let i = 0; i < 100; i++) {
        const up = await fetch(`http://${registryAddr}/v2/`).then(
          (r) => r.status === 200,
          () => false,
        );
        if (up) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    { timeout: 3_600_000 },
  );
  after(() => {
    registry?.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  });

  it(
    'two builds give the same layout, byte for byte, and so the same index digest',
    { timeout: 1_200_000 },
    () => {
      const node = join(repoRoot, 'scripts/pinned-node.mjs');
      const first = ok('node', [node, join(repoRoot, 'scripts/image.ts'), '--out', join(work, 'a')]).trim();
      const second = ok('node', [node, join(repoRoot, 'scripts/image.ts'), '--out', join(work, 'b')]).trim();
      assert.match(first, /^sha256:[0-9a-f]{64}$/);
      assert.equal(second, first);
      assert.deepEqual(tree(join(work, 'b')), tree(join(work, 'a')));
      digest = first;
    },
  );

  it('crane pushes the multi-arch index to the registry and gets it back by digest', () => {
    const pushed = ok(join(tools, 'crane'), [
      'push',
      '--insecure',
      '--index',
      join(work, 'a'),
      `${image()}:${VERSION}`,
    ]);
    assert.equal(pushed.trim(), `${image()}@${digest}`);
    const index = JSON.parse(
      ok(join(tools, 'crane'), ['manifest', '--insecure', `${image()}@${digest}`]),
    ) as {
      manifests: { platform: { os: string; architecture: string } }[];
    };
    assert.deepEqual(
      index.manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`),
      ['linux/amd64', 'linux/arm64'],
    );
    const config = JSON.parse(
      ok(join(tools, 'crane'), ['config', '--insecure', '--platform', 'linux/amd64', `${image()}@${digest}`]),
    ) as { config: { User: string; Entrypoint: string[] } };
    assert.deepEqual(config.config.Entrypoint, ['/kubectl-cpa']);
    assert.equal(config.config.User, '65532:65532');
  });

  describe('the pulled linux/amd64 root filesystem under chroot, as the non-root user', () => {
    let cluster: TestCluster;
    let ns: string;
    let hooks: Server;
    const rootfs = join(work, 'rootfs-amd64');
    before(async () => {
      mkdirSync(rootfs, { recursive: true });
      const tar = join(work, 'amd64.tar');
      ok(join(tools, 'crane'), [
        'export',
        '--insecure',
        '--platform',
        'linux/amd64',
        `${image()}@${digest}`,
        tar,
      ]);
      ok('tar', ['-xf', tar, '-C', rootfs]);
      cluster = await useCluster();
      ns = await cluster.createNamespace('image');
      await cluster.apply(WEB, ns);
      // The image has no shell: the hooks are http methods served by the test.
      hooks = createHttpServer((req, res) => {
        res.end(req.url?.startsWith('/metric') ? '5' : '{"targetReplicas": 2}');
      });
      await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
    });
    after(() => hooks?.close());

    /** /kubectl-cpa ARGS in the root filesystem as 65532; asynchronous, so the test's hook server answers. */
    const chroot = (args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn('chroot', ['--userspec=65532:65532', rootfs, '/kubectl-cpa', ...args], {
          // chroot itself is found on the host's PATH; inside, the image's PATH is what it sets.
          env: { PATH: '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin', HOME: '/home/nonroot' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        child.on('close', (status) => {
          clearTimeout(timer);
          resolve({ status, stdout, stderr });
        });
      });

    it('kubectl-cpa version', async () => {
      const r = await chroot(['version']);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, new RegExp(VERSION.replace(/\./g, '\\.')));
    });

    it('the Dockerfile recipe copies a file this image has: COPY --from=<image>:<version> /kubectl-cpa', () => {
      // No python base image can be pulled here; what the recipe relies on from us is checked instead: its
      // image name and tag are ours, and its source path is the executable the rootfs has.
      const recipe = dockerfileRecipe({ base: 'python:3.13-slim', files: ['config.yaml'], version: VERSION });
      const copy = /^COPY --from=(\S+) (\S+) (\S+)$/m.exec(recipe);
      assert.ok(copy, recipe);
      assert.equal(copy[1], `${KUBECTL_CPA_IMAGE}:${VERSION}`);
      assert.equal(copy[2], '/kubectl-cpa');
      assert.ok((statSync(join(rootfs, copy[2])).mode & 0o111) !== 0, 'executable');
    });

    it('run --once scales the target of the test cluster', async () => {
      const address = hooks.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const dir = join(rootfs, 'tmp', 'web-scaler');
      mkdirSync(dir, { recursive: true });
      const method = (path: string) =>
        `{type: http, timeout: 5000, http: {method: GET, url: "http://127.0.0.1:${port}${path}", successCodes: [200], parameterMode: query}}`;
      writeFileSync(
        join(dir, 'config.yaml'),
        `scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\nmetric: ${method('/metric')}\nevaluate: ${method('/evaluate')}\n`,
      );
      copyFileSync(cluster.caFile, join(rootfs, 'tmp', 'ca.crt'));
      writeFileSync(
        join(rootfs, 'tmp', 'kubeconfig'),
        readFileSync(cluster.adminKubeconfig, 'utf8').replace(cluster.caFile, '/tmp/ca.crt'),
      );
      for (const f of ['web-scaler', 'web-scaler/config.yaml', 'ca.crt', 'kubeconfig'])
        chmodSync(join(rootfs, 'tmp', f), 0o755);
      const r = await chroot([
        'run',
        '/tmp/web-scaler',
        '--once',
        '--kubeconfig',
        '/tmp/kubeconfig',
        '-n',
        ns,
        '--no-api',
      ]);
      assert.equal(r.status, 0, r.stderr);
      const reply = await cluster.api('GET', `/apis/apps/v1/namespaces/${ns}/deployments/web/scale`);
      assert.equal((JSON.parse(reply.body) as { spec: { replicas: number } }).spec.replicas, 2, reply.body);
    });
  });

  it('the pulled linux/arm64 root filesystem runs kubectl-cpa version with its own libraries (qemu-aarch64)', () => {
    const rootfs = join(work, 'rootfs-arm64');
    mkdirSync(rootfs, { recursive: true });
    const tar = join(work, 'arm64.tar');
    ok(join(tools, 'crane'), [
      'export',
      '--insecure',
      '--platform',
      'linux/arm64',
      `${image()}@${digest}`,
      tar,
    ]);
    ok('tar', ['-xf', tar, '-C', rootfs]);
    // -L makes the binary's /lib/ld-linux-aarch64.so.1 and every library come from the image, not the host.
    const r = sh('qemu-aarch64', ['-L', rootfs, join(rootfs, 'kubectl-cpa'), 'version'], {
      timeoutMs: 120_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(VERSION.replace(/\./g, '\\.')));
  });
});
