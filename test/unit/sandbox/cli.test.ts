import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  exampleCandidates,
  loadExample,
  runSandbox,
  validateSandboxFlags,
  type StartSandbox,
} from '../../../src/cli/sandbox.ts';
import type { Deps } from '../../../src/ports.ts';
import { ConfigError, UsageError } from '../../../src/errors.ts';
import type { SandboxHandle, StartSandboxOptions } from '../../../src/sandbox/server/server.ts';
import type { Obj } from '../../../src/sandbox/wire/json.ts';

/** Deps with files from a map, captured output, and a shutdown signal the test fires. */
function fakeDeps(files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  let handler: ((signal: string) => void) | undefined;
  const deps = {
    cwd: '/work',
    clock: { nowMs: () => 0, sleep: async () => {} },
    out: { write: (t: string) => void out.push(t), isTTY: false },
    err: { write: (t: string) => void err.push(t), isTTY: false },
    files: { readText: async (p: string) => files[p] ?? null, exists: async (p: string) => p in files },
    onShutdownSignal: (h: (signal: string) => void) => {
      handler = h;
      return () => (handler = undefined);
    },
  } as unknown as Deps;
  return { deps, out, err, signal: (s: string) => handler?.(s), registered: () => handler !== undefined };
}

describe('sandbox flags', () => {
  it('defaults: any free port, ./sandbox.kubeconfig, pods Ready after 500ms', () => {
    assert.deepEqual(validateSandboxFlags({}, '/work'), {
      port: 0,
      kubeconfigOut: '/work/sandbox.kubeconfig',
      example: undefined,
      stateFile: undefined,
      readyDelayMs: 500,
    });
  });

  it('resolves paths against the working directory', () => {
    const flags = validateSandboxFlags(
      { port: '6443', kubeconfigOut: 'out/kc', state: '/abs/state.json', readyDelay: '2s' },
      '/work',
    );
    assert.deepEqual(
      [flags.port, flags.kubeconfigOut, flags.stateFile, flags.readyDelayMs],
      [6443, '/work/out/kc', '/abs/state.json', 2000],
    );
  });

  const bad: { name: string; given: Record<string, string>; want: RegExp }[] = [
    {
      name: 'a port that is not a number',
      given: { port: 'http' },
      want: /--port: "http" is not a port number/,
    },
    { name: 'a port out of range', given: { port: '70000' }, want: /--port: "70000"/ },
    {
      name: 'a delay that is not a duration',
      given: { readyDelay: '5' },
      want: /--ready-delay: "5" is not a duration/,
    },
    { name: 'an empty example name', given: { example: ' ' }, want: /--example: needs a name/ },
  ];
  for (const c of bad)
    it(`refuses ${c.name} (usage error)`, () =>
      assert.throws(
        () => validateSandboxFlags(c.given, '/w'),
        (e: unknown) => e instanceof UsageError && c.want.test(e.message),
      ));

  it('reports every bad flag at once', () => {
    assert.throws(
      () => validateSandboxFlags({ port: 'x', readyDelay: 'y' }, '/w'),
      /--port.*; --ready-delay/,
    );
  });
});

describe('--example', () => {
  it('looks in ./examples/NAME, then beside the program (bundle or source layout)', () => {
    assert.deepEqual(exampleCandidates('demo', '/work', 'file:///opt/kubectl-cpa/dist/lib/kubectl-cpa.cjs'), [
      '/work/examples/demo/deployment.yaml',
      '/opt/kubectl-cpa/dist/examples/demo/deployment.yaml',
      '/opt/kubectl-cpa/examples/demo/deployment.yaml',
    ]);
    assert.deepEqual(exampleCandidates('./mine', '/work', 'file:///x/y.cjs'), ['/work/mine/deployment.yaml']);
  });

  it('reads every document of deployment.yaml', async () => {
    const { deps } = fakeDeps({ '/work/examples/demo/deployment.yaml': 'kind: A\n---\nkind: B\n' });
    const loaded = await loadExample(deps, 'demo', 'file:///x/dist/k.cjs');
    assert.deepEqual(loaded.manifests, [{ kind: 'A' }, { kind: 'B' }]);
  });

  it('says where it looked when the example is missing', async () => {
    const { deps } = fakeDeps();
    await assert.rejects(
      loadExample(deps, 'nope', 'file:///x/dist/k.cjs'),
      (e: unknown) =>
        e instanceof ConfigError &&
        /failed to find example "nope": no deployment.yaml in \/work\/examples\/nope\/deployment.yaml/.test(
          e.message,
        ),
    );
  });
});

describe('runSandbox', () => {
  it('starts, loads the example, prints the kubeconfig path on stdout, and stops on a signal', async () => {
    const { deps, out, err, signal, registered } = fakeDeps({
      '/work/examples/demo/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n',
    });
    const calls: string[] = [];
    let options: StartSandboxOptions | undefined;
    const start: StartSandbox = async (_deps, o) => {
      options = o;
      calls.push('start');
      return {
        url: 'https://127.0.0.1:1234',
        core: { load: (m: Obj[]) => (calls.push(`load ${m.length}`), m) },
        close: async () => void calls.push('close'),
      } as unknown as SandboxHandle;
    };
    const flags = validateSandboxFlags({ example: 'demo', readyDelay: '100ms' }, '/work');
    const done = runSandbox(deps, flags, start);
    while (!out.length) await new Promise((r) => setImmediate(r));
    assert.deepEqual(out, ['/work/sandbox.kubeconfig\n']);
    assert.deepEqual(
      [options?.startDelayMs, options?.kubeconfigOut, options?.port],
      [100, '/work/sandbox.kubeconfig', 0],
    );
    signal('SIGTERM');
    assert.equal(await done, 0);
    assert.deepEqual(calls, ['start', 'load 1', 'close']);
    assert.match(err.join(''), /loaded \/work\/examples\/demo\/deployment.yaml: deployment\/web/);
    assert.match(err.join(''), /SIGTERM: stopping the sandbox/);
    assert.equal(registered(), false, 'the signal handler is removed');
  });
});
