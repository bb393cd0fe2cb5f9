// A sandbox (the embedded API) for reliability tests, with a kubeconfig file that can point at it directly
// or through a fault proxy, and raw calls to create what an autoscaler needs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderKubeconfig } from '../../../src/sandbox/tls/kubeconfig.ts';
import {
  startSandbox,
  type SandboxHandle,
  type StartSandboxOptions,
} from '../../../src/sandbox/server/server.ts';
import { sandboxDeps } from '../../support/sandbox-deps.ts';
import { call, type Endpoint, type Reply } from '../../e2e/sandbox-support.ts';

/** A started sandbox and the files tests hand to kubectl-cpa. */
export interface TestSandbox {
  readonly handle: SandboxHandle;
  readonly endpoint: Endpoint;
  /** `127.0.0.1:PORT` of the sandbox itself. */
  readonly address: string;
  /** Writes a kubeconfig whose server is `https://ADDRESS` (default: the sandbox) and returns its path. */
  kubeconfig(address?: string, token?: string): string;
  api(method: string, path: string, body?: unknown, contentType?: string): Promise<Reply>;
  /** Creates Deployment `name` with `replicas` in namespace default (pods start at once). */
  createDeployment(name: string, replicas: number): Promise<void>;
  replicas(name: string): Promise<number>;
  close(): Promise<void>;
}

/** Starts a sandbox on a free loopback port, or as `options` say (a restart: the same port, token and state). */
export async function startTestSandbox(
  options: Pick<StartSandboxOptions, 'port' | 'stateFile' | 'token' | 'users'> = {},
): Promise<TestSandbox> {
  const handle = await startSandbox(sandboxDeps(), { startDelayMs: 50, ...options });
  const dir = mkdtempSync(join(tmpdir(), 'cpa-rel-sandbox-'));
  const endpoint: Endpoint = { name: 'sandbox', server: handle.url, ca: handle.caPem, token: handle.token };
  const address = handle.url.replace(/^https:\/\//, '');
  let files = 0;
  const api = (method: string, path: string, body?: unknown, contentType?: string) =>
    call(endpoint, method, path, { body, contentType });
  return {
    handle,
    endpoint,
    address,
    kubeconfig: (via = address, token = handle.token) => {
      const file = join(dir, `kubeconfig-${(files += 1)}`);
      writeFileSync(file, renderKubeconfig(`https://${via}`, handle.caPem, token), { mode: 0o600 });
      return file;
    },
    api,
    createDeployment: async (name, replicas) => {
      const labels = { app: name };
      const reply = await api('POST', '/apis/apps/v1/namespaces/default/deployments', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, labels },
        spec: {
          replicas,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'app:1' }] } },
        },
      });
      if (reply.status !== 201) throw new Error(`create deployment ${name}: ${reply.status} ${reply.text}`);
    },
    replicas: async (name) => {
      const reply = await api('GET', `/apis/apps/v1/namespaces/default/deployments/${name}/scale`);
      return Number(reply.json?.spec?.replicas ?? 0);
    },
    close: async () => {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
