// Property tests of the kubeconfig parser: any file text gives clusters, users and contexts whose fields have
// the types the client relies on, or a CpaError naming the file; merging keeps kubectl's first-wins rule.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseKubeconfigText } from '../../../src/adapters/kubeconfig-loader.ts';
import { CpaError } from '../../../src/errors.ts';
import { mergeKubeconfigs, type ParsedKubeconfig } from '../../../src/kube/kubeconfig.ts';
import { aliasBomb, hostileString, hostileValue, nested, RUNS } from './arbitraries.ts';

const FILE = '/tmp/cpa-fuzz/kubeconfig';
const WORDS = [
  ...['apiVersion', 'kind', 'clusters', 'users', 'contexts', 'current-context', 'name', 'cluster', 'user'],
  ...['context', 'server', 'certificate-authority', 'certificate-authority-data', 'insecure-skip-tls-verify'],
  ...['tls-server-name', 'proxy-url', 'client-certificate', 'client-key', 'token', 'username', 'password'],
  ...['namespace', 'exec', 'auth-provider', 'as'],
];
const value = hostileValue(WORDS, ['https://127.0.0.1:6443', 'c', 'u', 'ctx', 'ns', 'ca.crt', '/abs/ca.crt']);

/** Parses, allowing only a CpaError that names the file. */
function parse(text: string): ParsedKubeconfig | CpaError {
  try {
    return parseKubeconfigText(FILE, text);
  } catch (err) {
    assert.ok(
      err instanceof CpaError,
      `threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
    );
    assert.ok(err.message.includes(FILE), err.message);
    return err;
  }
}

const optionalString = (v: unknown): boolean => v === undefined || v === null || typeof v === 'string';

/** The fields selectContext, the client and the messages read: names and references are strings. */
function assertTyped(k: ParsedKubeconfig): void {
  assert.equal(typeof k.currentContext, 'string', 'current-context');
  for (const c of k.clusters) {
    assert.ok(typeof c.name === 'string' && typeof c.server === 'string', `cluster ${JSON.stringify(c)}`);
    for (const f of [c.caFile, c.caData, c.tlsServerName, c.proxyUrl])
      assert.ok(optionalString(f), JSON.stringify(c));
  }
  for (const u of k.users) {
    assert.equal(typeof u.name, 'string');
    for (const f of [u.certFile, u.keyFile, u.certData, u.keyData, u.token, u.username, u.password]) {
      assert.ok(optionalString(f), `user ${JSON.stringify(u)}`);
    }
  }
  for (const c of k.contexts) {
    assert.ok(typeof c.name === 'string' && typeof c.cluster === 'string', `context ${JSON.stringify(c)}`);
    assert.ok(optionalString(c.user) && optionalString(c.namespace), `context ${JSON.stringify(c)}`);
  }
}

/** A kubeconfig-shaped document whose entries hold anything. */
const entry = (inner: string, fields: string[]) =>
  fc.record({
    name: fc.oneof(fc.string({ maxLength: 6 }), value),
    [inner]: fc.oneof(value, fc.dictionary(fc.constantFrom(...fields), value, { maxKeys: fields.length })),
  });
const kubeconfigDoc = fc.record(
  {
    apiVersion: fc.constant('v1'),
    clusters: fc.oneof(
      value,
      fc.array(
        entry('cluster', [
          'server',
          'certificate-authority',
          'certificate-authority-data',
          'insecure-skip-tls-verify',
          'tls-server-name',
          'proxy-url',
        ]),
        { maxLength: 3 },
      ),
    ),
    users: fc.oneof(
      value,
      fc.array(
        entry('user', [
          'client-certificate',
          'client-key',
          'client-certificate-data',
          'client-key-data',
          'token',
          'username',
          'password',
        ]),
        { maxLength: 3 },
      ),
    ),
    contexts: fc.oneof(value, fc.array(entry('context', ['cluster', 'user', 'namespace']), { maxLength: 3 })),
    'current-context': value,
  },
  { requiredKeys: ['apiVersion'] },
);

describe('kubeconfig parser properties', () => {
  it('any text parses to typed entries or a CpaError naming the file', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString, fc.string({ unit: 'binary', maxLength: 200 })), (text) => {
        const parsed = parse(text);
        if (!(parsed instanceof CpaError)) assertTyped(parsed);
      }),
      { numRuns: RUNS.normal },
    );
  });

  it('a kubeconfig-shaped document with fields of any type parses to typed entries or a CpaError', () => {
    fc.assert(
      fc.property(kubeconfigDoc, (doc) => {
        const parsed = parse(JSON.stringify(doc));
        if (!(parsed instanceof CpaError)) assertTyped(parsed);
      }),
      { numRuns: RUNS.many },
    );
  });

  it('merging keeps the first definition of each name and the first current-context', () => {
    const names = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 4 });
    const file = fc.record({ clusters: names, current: fc.constantFrom('', 'a', 'b') });
    fc.assert(
      fc.property(fc.array(file, { maxLength: 4 }), (files) => {
        const parsed = files.map((f, i) => ({
          clusters: f.clusters.map((name) => ({ name, server: `https://f${i}`, skipTLSVerify: false })),
          users: [],
          contexts: [],
          currentContext: f.current,
        }));
        const merged = mergeKubeconfigs(parsed);
        for (const c of merged.clusters) {
          const first = parsed.findIndex((p) => p.clusters.some((x) => x.name === c.name));
          assert.equal(c.server, `https://f${first}`);
        }
        assert.equal(merged.currentContext, files.find((f) => f.current !== '')?.current ?? '');
      }),
      { numRuns: RUNS.quick },
    );
  });

  it('alias bombs and deep nesting are bounded', () => {
    for (const text of [
      aliasBomb(12, 12),
      `clusters: ${nested(50_000, 'array')}`,
      nested(50_000, 'object'),
    ]) {
      const started = performance.now();
      parse(text);
      assert.ok(performance.now() - started < 5000);
    }
  });
});

describe('kubeconfig regressions found by the properties', () => {
  const cluster = (fields: string): string =>
    `clusters:\n- name: c\n  cluster: {server: "https://h:6443", ${fields}}\n` +
    'contexts:\n- name: x\n  context: {cluster: c}\ncurrent-context: x\n';
  const rows: { name: string; text: string; want: string }[] = [
    {
      // Was a TypeError from path.isAbsolute while making certificate paths absolute ("internal error").
      name: 'a number as certificate-authority',
      text: cluster('certificate-authority: 123'),
      want: 'cluster "c": certificate-authority must be a string, got 123',
    },
    {
      // Was accepted: the namespace 123 reached request paths as a number.
      name: 'a number as a context namespace',
      text: 'contexts:\n- name: x\n  context: {cluster: c, namespace: 123}\n',
      want: 'context "x": namespace must be a string, got 123',
    },
    {
      // Was accepted as the number 0, then reported as an undefined context "0".
      name: 'a number as current-context',
      text: 'current-context: 0\n',
      want: 'current-context must be a string, got 0',
    },
    {
      // Was accepted: a context whose name is a list.
      name: 'a list as a context name',
      text: 'contexts:\n- name: [a]\n  context: {cluster: c}\n',
      want: 'a context name must be a string, got ["a"]',
    },
  ];
  for (const { name, text, want } of rows) {
    it(name, () => {
      const got = parse(text);
      assert.ok(got instanceof CpaError, `accepted: ${JSON.stringify(got)}`);
      assert.equal(got.message, `failed to parse kubeconfig ${FILE}: ${want}`);
    });
  }

  it('a valid file still parses, with relative certificate paths made absolute', () => {
    const got = parse(cluster('certificate-authority: certs/ca.crt'));
    assert.ok(!(got instanceof CpaError), String(got));
    assert.equal(got.clusters[0]?.caFile, '/tmp/cpa-fuzz/certs/ca.crt');
    assert.equal(got.currentContext, 'x');
  });
});
