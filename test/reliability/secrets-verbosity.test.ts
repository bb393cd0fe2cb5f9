// Kubernetes credentials never leave `kubectl cpa run` in text, at any verbosity: the built binary runs
// `--once` at -v 0 through 4, in text and JSON, against the sandbox with four kinds of kubeconfig user — a
// bearer token, a token the server rejects (401), a client certificate and key, and an exec credential
// plugin — each carrying unique markers. No marker may appear on stdout or stderr, in the target's
// annotations (the recorded state) or in any Event.
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cpaBinary } from '../support/cpa.ts';
import { autoscalerDir } from './support/runner.ts';
import { startTestSandbox, type TestSandbox } from './support/sandbox.ts';

const scratch = mkdtempSync(join(tmpdir(), 'cpa-secrets-v-'));
const TOKEN = 'mArKeR-static-token-5c1f0e9a';
const REJECTED = 'mArKeR-rejected-token-9b3d7a11';
const CERT_USER = 'mArKeR-cert-user-token-40aa2c';
const EXEC_TOKEN = 'mArKeR-exec-token-e7d2b6f4';
let sandbox: TestSandbox;
let dir: string;
/** Every secret, and recognisable pieces of it (a PEM key is matched by its base64 lines). */
const secrets: string[] = [TOKEN, REJECTED, CERT_USER, EXEC_TOKEN];
const kubeconfigs: { name: string; file: string; ok: boolean }[] = [];

function user(name: string, body: string): string {
  const file = join(scratch, `${name}.kubeconfig`);
  const ca = Buffer.from(sandbox.handle.caPem).toString('base64');
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
current-context: c
clusters: [{name: s, cluster: {server: "${sandbox.handle.url}", certificate-authority-data: ${ca}}}]
contexts: [{name: c, context: {cluster: s, user: u, namespace: default}}]
users:
- name: u
  user:
${body}
`,
    { mode: 0o600 },
  );
  return file;
}

before(async () => {
  sandbox = await startTestSandbox({
    users: [
      { name: 'token-user', token: TOKEN },
      { name: 'cert-user', token: CERT_USER },
      { name: 'exec-user', token: EXEC_TOKEN },
    ],
  });
  await sandbox.createDeployment('secrets', 1);
  dir = autoscalerDir({
    'config.yaml': `
scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: secrets }
namespace: default
metric: { type: shell, timeout: 5000, shell: { entrypoint: /bin/sh, command: ["-c", "cat >/dev/null; echo 1"] } }
evaluate: { type: shell, timeout: 5000, shell: { entrypoint: /bin/sh, command: ["-c", "cat >/dev/null; echo '{\\"targetReplicas\\": 2}'"] } }
`,
  });
  // A client certificate and key (the sandbox authenticates by token, so this user also has one).
  const key = join(scratch, 'client.key');
  const cert = join(scratch, 'client.crt');
  execFileSync(
    'openssl',
    [
      ...[
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
      ],
      ...['-subj', '/CN=cpa-secrets', '-keyout', key, '-out', cert],
    ],
    { stdio: 'ignore' },
  );
  const keyPem = readFileSync(key, 'utf8');
  const keyData = Buffer.from(keyPem).toString('base64');
  secrets.push(keyData, ...keyPem.split('\n').filter((l) => l.length >= 40 && !l.startsWith('-----')));
  const plugin = join(scratch, 'credential-plugin.sh');
  writeFileSync(
    plugin,
    `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${EXEC_TOKEN}"}}'\n`,
    { mode: 0o755 },
  );
  const certData = Buffer.from(readFileSync(cert)).toString('base64');
  kubeconfigs.push(
    { name: 'a bearer token', file: user('token', `    token: ${TOKEN}`), ok: true },
    { name: 'a token the server rejects', file: user('rejected', `    token: ${REJECTED}`), ok: false },
    {
      name: 'a client certificate and key',
      file: user(
        'cert',
        `    client-certificate-data: ${certData}\n    client-key-data: ${keyData}\n    token: ${CERT_USER}`,
      ),
      ok: true,
    },
    {
      name: 'an exec credential plugin',
      file: user(
        'exec',
        `    exec: {apiVersion: client.authentication.k8s.io/v1, command: ${plugin}, interactiveMode: Never}`,
      ),
      ok: true,
    },
  );
});
after(async () => {
  await sandbox?.close();
  rmSync(scratch, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

function runOnce(
  kubeconfig: string,
  verbosity: number,
  format: string,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cpaBinary, ['run', dir, '--once', '-v', String(verbosity), '--log-format', format], {
      env: { ...process.env, KUBECONFIG: kubeconfig },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

function leaks(text: string): string[] {
  return secrets.filter((s) => text.includes(s)).map((s) => `${s.slice(0, 12)}…`);
}

test(
  'no credential in the output of run --once at -v 0..4, text and json, for four kinds of user',
  { timeout: 120_000 },
  async (t) => {
    const jobs = kubeconfigs.flatMap((k) =>
      [0, 1, 2, 3, 4].flatMap((v) => ['text', 'json'].map((format) => ({ ...k, v, format }))),
    );
    const problems: string[] = [];
    // Two at a time: 40 runs of the binary on two shared cores.
    for (let i = 0; i < jobs.length; i += 2) {
      await Promise.all(
        jobs.slice(i, i + 2).map(async (job) => {
          const { code, out } = await runOnce(job.file, job.v, job.format);
          const what = `${job.name}, -v ${job.v}, ${job.format}`;
          if (leaks(out).length > 0) problems.push(`${what}: printed ${leaks(out).join(', ')}`);
          // The runs must really use the credential: success, or the server's 401 for the rejected token.
          if (job.ok && code !== 0) problems.push(`${what}: exit ${code}:\n${out.slice(-1500)}`);
          if (!job.ok && (code !== 1 || !/unauthorized/i.test(out)))
            problems.push(`${what}: exit ${code}, no 401:\n${out.slice(-1500)}`);
        }),
      );
    }
    t.diagnostic(`${jobs.length} runs checked for ${secrets.length} secret strings`);
    assert.deepEqual(problems, []);
  },
);

test('no credential in the target annotations or in any Event', async () => {
  const deployment = await sandbox.api('GET', '/apis/apps/v1/namespaces/default/deployments/secrets');
  const annotations = JSON.stringify(deployment.json.metadata.annotations ?? {});
  assert.ok(annotations.length > 2, 'no annotation recorded; the test would prove nothing');
  assert.deepEqual(leaks(annotations), []);
  const events = await sandbox.api('GET', '/api/v1/namespaces/default/events');
  assert.ok((events.json.items as unknown[]).length > 0, 'no Event recorded; the test would prove nothing');
  assert.deepEqual(leaks(events.text), []);
});
