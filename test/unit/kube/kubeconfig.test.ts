import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadKubeconfig } from '../../../src/adapters/kubeconfig-loader.ts';
import type { KubeconfigSources } from '../../../src/kube/kubeconfig.ts';
import { CpaError, UsageError } from '../../../src/errors.ts';
import type { KubeOptions } from '../../../src/ports.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'cpa-kubeconfig-'));
const file = (name: string) => path.join(dir, name);

// first.yaml sets no current-context; second.yaml redefines cluster `shared` and context `a` (kubectl keeps
// the first definitions) and sets current-context b; third.yaml sets another current-context.
const FILES: Record<string, string> = {
  'first.yaml': `
apiVersion: v1
kind: Config
clusters:
- name: shared
  cluster: {server: 'https://first.example:6443', certificate-authority: certs/ca.crt}
users:
- name: alice
  user: {token: t1}
contexts:
- name: a
  context: {cluster: shared, user: alice, namespace: team-a}
`,
  'second.yaml': `
apiVersion: v1
kind: Config
current-context: b
clusters:
- name: shared
  cluster: {server: 'https://second.example:6443'}
- name: other
  cluster: {server: 'https://other.example:6443'}
users:
- name: bob
  user: {token: t2}
contexts:
- name: a
  context: {cluster: other, user: bob, namespace: wrong}
- name: b
  context: {cluster: other, user: bob}
`,
  'third.yaml': `
apiVersion: v1
kind: Config
current-context: a
clusters: []
contexts: []
`,
  'dangling.yaml': `
apiVersion: v1
kind: Config
current-context: gone
clusters: [{name: c, cluster: {server: 'https://c:1'}}]
users: [{name: u, user: {}}]
contexts: [{name: here, context: {cluster: c, user: u}}]
`,
  'empty.yaml': '',
  'home/.kube/config': `
apiVersion: v1
kind: Config
current-context: home
clusters: [{name: c, cluster: {server: 'https://home:6443'}}]
users: [{name: u, user: {}}]
contexts: [{name: home, context: {cluster: c, user: u}}]
`,
  'sa/token': 'service-account-token',
  'sa/namespace': 'pod-ns\n',
  'sa/ca.crt': 'not read by these tests',
};

before(async () => {
  for (const [name, text] of Object.entries(FILES)) {
    await mkdir(path.dirname(file(name)), { recursive: true });
    await writeFile(file(name), text);
  }
});
after(() => rm(dir, { recursive: true, force: true }));

const sources = (env: Record<string, string>, home = false): KubeconfigSources => ({
  env,
  homeDir: home ? file('home') : file('nohome'),
  serviceAccountDir: file('sa'),
});
const list = (...names: string[]) => names.map(file).join(path.delimiter);

interface Want {
  context: string;
  namespace: string;
  server: string;
}

const rows: {
  name: string;
  given: { options: KubeOptions; env: Record<string, string>; home?: boolean };
  want: Want;
}[] = [
  {
    name: 'two files: current-context from the first file that sets one, first definition of a name wins',
    given: { options: {}, env: { KUBECONFIG: list('first.yaml', 'second.yaml') } },
    want: { context: 'b', namespace: 'default', server: 'https://other.example:6443' },
  },
  {
    name: '--context picks the first file’s context, with its cluster and namespace',
    given: { options: { context: 'a' }, env: { KUBECONFIG: list('first.yaml', 'second.yaml') } },
    want: { context: 'a', namespace: 'team-a', server: 'https://first.example:6443' },
  },
  {
    name: 'the earlier file’s current-context beats a later one',
    given: { options: {}, env: { KUBECONFIG: list('third.yaml', 'first.yaml', 'second.yaml') } },
    want: { context: 'a', namespace: 'team-a', server: 'https://first.example:6443' },
  },
  {
    name: '-n overrides the context namespace',
    given: {
      options: { context: 'a', namespace: 'mine' },
      env: { KUBECONFIG: list('first.yaml', 'second.yaml') },
    },
    want: { context: 'a', namespace: 'mine', server: 'https://first.example:6443' },
  },
  {
    name: 'missing and empty files in KUBECONFIG are skipped',
    given: { options: {}, env: { KUBECONFIG: list('missing.yaml', 'empty.yaml', 'second.yaml') } },
    want: { context: 'b', namespace: 'default', server: 'https://other.example:6443' },
  },
  {
    name: '--kubeconfig ignores KUBECONFIG',
    given: { options: { kubeconfig: file('second.yaml') }, env: { KUBECONFIG: list('first.yaml') } },
    want: { context: 'b', namespace: 'default', server: 'https://other.example:6443' },
  },
  {
    name: '~/.kube/config when KUBECONFIG is unset',
    given: { options: {}, env: {}, home: true },
    want: { context: 'home', namespace: 'default', server: 'https://home:6443' },
  },
  {
    name: 'in-cluster service account when there is no kubeconfig',
    given: { options: {}, env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' } },
    want: { context: 'in-cluster', namespace: 'pod-ns', server: 'https://10.0.0.1:443' },
  },
  {
    name: 'in-cluster IPv6 host is bracketed',
    given: {
      options: { namespace: 'x' },
      env: { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' },
    },
    want: { context: 'in-cluster', namespace: 'x', server: 'https://[fd00::1]:443' },
  },
  {
    name: 'a kubeconfig wins over in-cluster credentials',
    given: {
      options: {},
      env: {
        KUBECONFIG: list('second.yaml'),
        KUBERNETES_SERVICE_HOST: '10.0.0.1',
        KUBERNETES_SERVICE_PORT: '443',
      },
    },
    want: { context: 'b', namespace: 'default', server: 'https://other.example:6443' },
  },
];

describe('loadKubeconfig chooses like kubectl', () => {
  for (const row of rows) {
    it(row.name, async () => {
      const loaded = await loadKubeconfig(row.given.options, sources(row.given.env, row.given.home));
      assert.deepEqual(
        { context: loaded.context, namespace: loaded.namespace, server: loaded.server },
        row.want,
      );
      assert.equal(loaded.kc.getCurrentContext(), row.want.context);
      assert.equal(loaded.kc.getCurrentCluster()?.server, row.want.server);
    });
  }

  it('resolves a relative certificate-authority against the kubeconfig file’s directory', async () => {
    const loaded = await loadKubeconfig({ context: 'a' }, sources({ KUBECONFIG: list('first.yaml') }));
    assert.equal(loaded.kc.getCurrentCluster()?.caFile, file('certs/ca.crt'));
  });

  it('in-cluster credentials read the service account token file', async () => {
    const loaded = await loadKubeconfig(
      {},
      sources({ KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }),
    );
    const opts: { headers: Record<string, string> } = { headers: {} };
    await loaded.kc.applyToHTTPSOptions(opts);
    assert.equal(opts.headers.Authorization, 'Bearer service-account-token');
  });
});

const failures: {
  name: string;
  given: { options: KubeOptions; env: Record<string, string> };
  want: { type: typeof CpaError; message: RegExp; hint?: RegExp };
}[] = [
  {
    name: 'unknown --context lists the available ones',
    given: { options: { context: 'nope' }, env: { KUBECONFIG: list('first.yaml', 'second.yaml') } },
    want: { type: UsageError, message: /^--context "nope" not found; available contexts: a, b$/ },
  },
  {
    name: 'nothing found anywhere',
    given: { options: {}, env: { KUBECONFIG: list('missing.yaml', 'also-missing.yaml') } },
    want: {
      type: CpaError,
      message:
        /^failed to load kubeconfig: no configuration found: KUBECONFIG \(.*missing\.yaml, .*also-missing\.yaml\) does not exist/,
      hint: /^set KUBECONFIG or pass --kubeconfig$/,
    },
  },
  {
    name: 'no ~/.kube/config and no KUBECONFIG',
    given: { options: {}, env: {} },
    want: {
      type: CpaError,
      message: /no configuration found: .*nohome\/\.kube\/config does not exist/,
      hint: /set KUBECONFIG/,
    },
  },
  {
    name: 'a file with no contexts',
    given: { options: {}, env: { KUBECONFIG: list('empty.yaml') } },
    want: { type: CpaError, message: /no contexts in .*empty\.yaml/ },
  },
  {
    name: 'a missing --kubeconfig file is a usage error',
    given: { options: { kubeconfig: '/nonexistent/kubeconfig' }, env: { KUBECONFIG: list('first.yaml') } },
    want: { type: UsageError, message: /^--kubeconfig \/nonexistent\/kubeconfig: no such file$/ },
  },
  {
    name: 'current-context naming an undefined context',
    given: { options: {}, env: { KUBECONFIG: list('dangling.yaml') } },
    want: {
      type: CpaError,
      message: /current-context "gone" of kubeconfig .* is not defined/,
      hint: /available contexts: here/,
    },
  },
  {
    name: 'first.yaml alone has no current-context',
    given: { options: {}, env: { KUBECONFIG: list('first.yaml') } },
    want: {
      type: CpaError,
      message: /sets no current-context/,
      hint: /pass --context; available contexts: a/,
    },
  },
];

describe('loadKubeconfig failures', () => {
  for (const row of failures) {
    it(row.name, async () => {
      await assert.rejects(loadKubeconfig(row.given.options, sources(row.given.env)), (err: unknown) => {
        assert.ok(err instanceof row.want.type, `got ${String(err)}`);
        assert.match(err.message, row.want.message);
        if (row.want.hint !== undefined) assert.match(err.hint ?? '', row.want.hint);
        return true;
      });
    });
  }
});
