// Plugin completion through main(): `kubectl cpa __complete WORDS…` answers in cobra's protocol (what kubectl
// ≥ 1.26 reads from kubectl_complete-cpa), with autoscaler names from a fake API server.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { completeWords, DIRECTIVE, type CompletionNode } from '../../../src/cli/complete-words.ts';
import { encodeState } from '../../../src/status/schema.ts';
import { runCli, workloadRoute } from '../status/cli.ts';
import { recorded, workload } from '../status/fixtures.ts';

const route = workloadRoute([
  workload('Deployment', 'web', { annotation: encodeState(recorded()) }),
  workload('Deployment', 'api', { annotation: encodeState(recorded({ name: 'api-scaler' })) }),
]);

const lines = async (words: string[]) =>
  (await runCli(['__complete', ...words], { route })).out.split('\n').slice(0, -1);

describe('kubectl cpa __complete', () => {
  it('the first word: subcommands with descriptions, no file completion', async () => {
    const out = await lines(['st']);
    assert.deepEqual(
      out.map((l) => l.split('\t')[0]),
      ['status', `:${DIRECTIVE.noFileComp}`],
    );
    assert.ok(!(await lines([''])).some((l) => l.startsWith('__complete')));
  });
  it('status NAME: the autoscaler names of the context namespace, filtered by the prefix', async () => {
    assert.deepEqual(await lines(['status', '']), ['api-scaler', 'my-autoscaler', ':4']);
    assert.deepEqual(await lines(['status', 'my']), ['my-autoscaler', ':4']);
    assert.deepEqual(await lines(['logs', '-n', 'team-a', 'a']), ['api-scaler', ':4']);
  });
  it('flags of the subcommand, and the values of -o', async () => {
    assert.ok((await lines(['status', '--out'])).some((l) => l.startsWith('--output\t')));
    assert.ok((await lines(['status', '--output-w'])).some((l) => l.startsWith('--output-watch-events\t')));
    assert.deepEqual(await lines(['status', '-o', 'js']), ['json', 'jsonpath=', ':6']);
  });
  it('completion SHELL and run DIR', async () => {
    assert.deepEqual(await lines(['completion', 'k']), ['kubectl-plugin', ':4']);
    assert.deepEqual(await lines(['run', '']), [`:${DIRECTIVE.filterDirs}`]);
  });
  it('a cluster that cannot be read gives no names and no error text', async () => {
    const r = await runCli(['__complete', 'status', ''], { route: () => ({ status: 500 }) });
    assert.deepEqual([r.code, r.out, r.err], [0, ':4\n', '']);
  });
  it('the shell scripts do not offer the hidden __complete', async () => {
    for (const shell of ['bash', 'zsh', 'fish']) {
      const r = await runCli(['completion', shell], { route });
      assert.match(r.out, /status/);
      assert.doesNotMatch(r.out, /__complete/, shell);
    }
  });
  it('completion kubectl-plugin prints the kubectl_complete-cpa script', async () => {
    const r = await runCli(['completion', 'kubectl-plugin'], { route });
    assert.match(r.out, /^#!\/bin\/sh\n/);
    assert.match(r.out, /exec "\$here\/kubectl-cpa" __complete "\$@"/);
  });
});

describe('completeWords', () => {
  const tree: CompletionNode[] = [
    {
      name: 'status',
      description: 'Show',
      flags: [
        { long: '--namespace', short: '-n', description: 'ns', takesValue: true },
        { long: '--all-namespaces', short: '-A', description: 'all', takesValue: false },
        { long: '--context', description: 'ctx', takesValue: true },
      ],
    },
  ];
  it('reads the cluster flags typed so far for the names', () =>
    assert.deepEqual(completeWords(['status', '--context=c', '-A', ''], tree).cluster, {
      what: 'autoscalers',
      kube: { context: 'c' },
      allNamespaces: true,
    }));
  it('after -n: namespace names', () =>
    assert.equal(completeWords(['status', '-n', ''], tree).cluster?.what, 'namespaces'));
  it('a second NAME is not completed', () =>
    assert.equal(completeWords(['status', 'web', '-n', 'x', ''], tree).cluster, undefined));
});
