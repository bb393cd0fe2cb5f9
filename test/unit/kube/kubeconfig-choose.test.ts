// The choosing half of kubeconfig loading without client-node or a disk: files come from a fake Files port
// (with a call log), the parser is a stand-in that reads JSON. loadKubeconfig over real files is covered in
// kubeconfig.test.ts.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CpaError } from '../../../src/errors.ts';
import {
  chooseKubeconfig,
  KUBECONFIG_MAX_BYTES,
  type KubeconfigParser,
  type ParsedKubeconfig,
} from '../../../src/kube/kubeconfig.ts';
import type { Files } from '../../../src/ports.ts';

/** Files over a map; `reads` logs each readText call, a path in `broken` rejects like the real adapter. */
class FakeFiles implements Files {
  readonly reads: { path: string; maxBytes?: number }[] = [];
  readonly #texts: Record<string, string>;
  readonly #broken: Record<string, string>;
  constructor(texts: Record<string, string>, broken: Record<string, string> = {}) {
    this.#texts = texts;
    this.#broken = broken;
  }
  async readText(file: string, maxBytes?: number): Promise<string | null> {
    this.reads.push({ path: file, maxBytes });
    if (file in this.#broken) throw new CpaError(`failed to read ${file}: ${this.#broken[file]}`);
    return this.#texts[file] ?? null;
  }
  async exists(file: string): Promise<boolean> {
    return file in this.#texts;
  }
}

const parseJson: KubeconfigParser = (_file, text) => JSON.parse(text) as ParsedKubeconfig;

const kubeconfig = (server: string, namespace?: string): string =>
  JSON.stringify({
    clusters: [{ name: 'c', server, skipTLSVerify: false }],
    users: [{ name: 'u' }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u', namespace }],
    currentContext: 'ctx',
  });

describe('chooseKubeconfig reads through the Files port', () => {
  it('skips a KUBECONFIG file that does not exist and reads each one with the kubeconfig bound', async () => {
    const files = new FakeFiles({ '/b': kubeconfig('https://b:6443', 'team') });
    const env = { KUBECONFIG: ['/a', '/b'].join(path.delimiter) };
    const choice = await chooseKubeconfig({}, { env, homeDir: '/home/x', files }, parseJson);
    assert.deepEqual(
      { context: choice.context, namespace: choice.namespace, server: choice.server, source: choice.source },
      { context: 'ctx', namespace: 'team', server: 'https://b:6443', source: '/b' },
    );
    assert.deepEqual(files.reads, [
      { path: '/a', maxBytes: KUBECONFIG_MAX_BYTES },
      { path: '/b', maxBytes: KUBECONFIG_MAX_BYTES },
    ]);
  });

  it('a file the port cannot read fails the load and names the file', async () => {
    const files = new FakeFiles({}, { '/home/x/.kube/config': 'permission denied' });
    await assert.rejects(chooseKubeconfig({}, { env: {}, homeDir: '/home/x', files }, parseJson), {
      name: 'CpaError',
      message: 'failed to load kubeconfig: failed to read /home/x/.kube/config: permission denied',
    });
  });

  it('in a pod, the service account token and namespace are read through the port', async () => {
    const files = new FakeFiles({ '/sa/token': 'secret', '/sa/namespace': 'pod-ns\n' });
    const env = { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' };
    const choice = await chooseKubeconfig(
      {},
      { env, homeDir: undefined, serviceAccountDir: '/sa', files },
      parseJson,
    );
    assert.deepEqual(
      { context: choice.context, namespace: choice.namespace, server: choice.server },
      { context: 'in-cluster', namespace: 'pod-ns', server: 'https://[fd00::1]:443' },
    );
    assert.deepEqual(choice.config.users, [
      { name: 'in-cluster', authProvider: { name: 'tokenFile', config: { tokenFile: '/sa/token' } } },
    ]);
    assert.deepEqual(
      files.reads.map((r) => r.path),
      ['/sa/token', '/sa/namespace'],
    );
  });

  it('KUBECTL_CPA_SERVICE_ACCOUNT_DIR moves where the service account files are read (a pod without a kubelet)', async () => {
    const files = new FakeFiles({ '/run/sa/token': 'secret', '/run/sa/namespace': 'ops\n' });
    const env = {
      KUBERNETES_SERVICE_HOST: '127.0.0.1',
      KUBERNETES_SERVICE_PORT: '6443',
      KUBECTL_CPA_SERVICE_ACCOUNT_DIR: '/run/sa',
    };
    const choice = await chooseKubeconfig({}, { env, homeDir: undefined, files }, parseJson);
    assert.equal(choice.namespace, 'ops');
    assert.deepEqual(choice.config.clusters[0]?.caFile, '/run/sa/ca.crt');
  });
});
