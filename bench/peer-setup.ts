// What the side-by-side bench against the Go CPA needs on disk: the peer binary (unpacked from
// ../shared/peers and checked against its published sha256), the hook program (a tiny static C binary
// compiled here, so both autoscalers pay the same hook cost and the hook can stamp its own start), the
// shared config, the in-cluster credential files the Go CPA insists on, and a cleanup registry that also runs
// on SIGINT/SIGTERM so that no autoscaler, sandbox or credential file outlives the bench.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** The Go CPA v2.12.2 as built in ../shared/peers/README.md (`shared/` lies beside the repository). */
export const PEER = {
  gz:
    process.env['BENCH_CPA_PEER'] ??
    join(
      fileURLToPath(new URL('../..', import.meta.url)),
      'shared',
      'peers',
      'custom-pod-autoscaler-v2.12.2-linux-amd64.gz',
    ),
  sha256: '79c110eb312f1859d2cae260af040708cc059056468ac93ace51f040d024aecf',
};

const cleanups: (() => void)[] = [];

/** Registers a synchronous cleanup; all run (newest first) at exit, on SIGINT/SIGTERM, or by runCleanups(). */
export function onCleanup(fn: () => void): void {
  cleanups.push(fn);
}

/** Runs every registered cleanup once, ignoring failures (a dead process, a file already gone). */
export function runCleanups(): void {
  while (cleanups.length > 0) {
    try {
      cleanups.pop()!();
    } catch {
      // best effort: the next cleanup must still run
    }
  }
}

process.once('exit', runCleanups);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`bench: ${signal}, stopping every process it started\n`);
    runCleanups();
    process.exit(130);
  });
}

/** Unpacks the peer into `dir` and returns its path; throws when the sha256 differs from the README's. */
export function unpackPeer(dir: string): string {
  const binary = gunzipSync(readFileSync(PEER.gz));
  const sum = createHash('sha256').update(binary).digest('hex');
  if (sum !== PEER.sha256) throw new Error(`peer binary sha256 ${sum}, expected ${PEER.sha256}`);
  const file = join(dir, 'custom-pod-autoscaler');
  writeFileSync(file, binary, { mode: 0o755 });
  return file;
}

// The hook: reads its stdin to the end (as real hooks do, so neither autoscaler meets EPIPE), prints a
// metric or the evaluation, then appends `<kind> <start> <stdin EOF> <end>` (CLOCK_REALTIME, µs) to argv[2].
const HOOK_C = `#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
static long long us(void) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  return t.tv_sec * 1000000LL + t.tv_nsec / 1000;
}
int main(int argc, char **argv) {
  long long start = us();
  char buf[65536];
  while (read(0, buf, sizeof buf) > 0) {}
  long long eof = us();
  const char *out = argc > 1 && strcmp(argv[1], "evaluate") == 0 ? "{\\"targetReplicas\\": 2}\\n" : "5\\n";
  if (write(1, out, strlen(out)) < 0) return 1;
  long long end = us();
  if (argc < 3) return 0;
  char line[160];
  int n = snprintf(line, sizeof line, "%s %lld %lld %lld\\n", argv[1], start, eof, end);
  int fd = open(argv[2], O_WRONLY | O_APPEND | O_CREAT, 0644);
  if (fd < 0 || write(fd, line, n) != n) return 1;
  close(fd);
  return 0;
}
`;

/** Compiles the hook with `cc -static -O2` into `dir` and returns its path. */
export function compileHook(dir: string): string {
  const source = join(dir, 'hook.c');
  const binary = join(dir, 'hook');
  writeFileSync(source, HOOK_C);
  const cc = spawnSync('cc', ['-static', '-O2', '-o', binary, source], { encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(`failed to compile the hook: ${cc.stderr || cc.error?.message}`);
  return binary;
}

/** The config both autoscalers read (CPA v2 keys): per-resource, 1 s, verbosity 0, API off. */
export function configYaml(o: { name: string; namespace: string; hook: string; records: string }): string {
  const method = (kind: string): string =>
    `{type: shell, timeout: 5000, shell: {entrypoint: ${o.hook}, command: [${kind}, ${o.records}]}}`;
  return [
    `scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${o.name}}`,
    `namespace: ${o.namespace}`,
    'runMode: per-resource',
    'interval: 1000',
    // Alignment to 250 ms lets the bench put each autoscaler in its own quarter of the second (peer.ts).
    `startTime: ${START_TIME_MS}`,
    'logVerbosity: 0',
    'minReplicas: 1',
    'maxReplicas: 10',
    'apiConfig: {enabled: false}',
    `metric: ${method('metric')}`,
    `evaluate: ${method('evaluate')}`,
    '',
  ].join('\n');
}

export const START_TIME_MS = 250;
export const INTERVAL_MS = 1000;

/** A Kubernetes API as an in-cluster client sees it. */
export interface Credentials {
  url: string;
  caPem: string;
  token: string;
  namespace: string;
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * Writes token, ca.crt and namespace where in-cluster clients read them, refusing to overwrite anything
 * that is there already (a real pod's, or another run's). Removes them, and the directories it made, on
 * cleanup or by `remove`. Returns the environment that points an in-cluster client at `c.url`.
 */
export function writeServiceAccount(c: Credentials): { env: Record<string, string>; remove(): void } {
  const files = ['token', 'ca.crt', 'namespace'].map((f) => join(SA_DIR, f));
  const present = files.filter((f) => existsSync(f));
  if (present.length > 0) throw new Error(`refusing to overwrite ${present.join(', ')}`);
  const made: string[] = [];
  for (let d = SA_DIR; !existsSync(d); d = dirname(d)) made.push(d);
  mkdirSync(SA_DIR, { recursive: true });
  const remove = (): void => {
    for (const f of files) rmSync(f, { force: true });
    for (const d of made) if (existsSync(d)) rmdirSync(d);
  };
  onCleanup(remove);
  writeFileSync(files[0]!, c.token);
  writeFileSync(files[1]!, c.caPem);
  writeFileSync(files[2]!, c.namespace);
  const url = new URL(c.url);
  return {
    env: { KUBERNETES_SERVICE_HOST: url.hostname, KUBERNETES_SERVICE_PORT: url.port || '443' },
    remove,
  };
}
