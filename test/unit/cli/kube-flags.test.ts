// The cluster flags every cluster command declares through addKubeFlags: kubectl's names, one help text.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { addKubeFlags, kubeOptions, type KubeFlagHelp } from '../../../src/cli/kube-flags.ts';

/** A bare command with the kube flags of `help`, failing instead of exiting on a usage error. */
function commandWith(help: KubeFlagHelp): Command {
  const command = new Command('x').exitOverride().configureOutput({ writeErr: () => {} });
  return addKubeFlags(command, help);
}

describe('addKubeFlags', () => {
  const rows: { name: string; given: KubeFlagHelp; want: [string, string][] }[] = [
    {
      name: 'without -A (logs, run)',
      given: { namespace: 'namespace (default: from the kube context)' },
      want: [
        ['-n, --namespace <NS>', 'namespace (default: from the kube context)'],
        ['--kubeconfig <FILE>', 'path to the kubeconfig file to use'],
        ['--context <NAME>', 'kubeconfig context to use'],
      ],
    },
    {
      name: 'with -A (status), next to -n',
      given: { namespace: 'namespace of the list', allNamespaces: 'list in all namespaces' },
      want: [
        ['-n, --namespace <NS>', 'namespace of the list'],
        ['-A, --all-namespaces', 'list in all namespaces'],
        ['--kubeconfig <FILE>', 'path to the kubeconfig file to use'],
        ['--context <NAME>', 'kubeconfig context to use'],
      ],
    },
  ];
  for (const row of rows)
    it(`declares the flags and their help, in order: ${row.name}`, () => {
      const declared = commandWith(row.given).options.map((o) => [o.flags, o.description]);
      assert.deepEqual(declared, row.want);
    });

  const parsed: { name: string; given: string[]; want: Record<string, unknown> }[] = [
    { name: 'none given', given: [], want: {} },
    {
      name: 'short namespace and -A',
      given: ['-n', 'team-a', '-A'],
      want: { namespace: 'team-a', allNamespaces: true },
    },
    {
      name: 'long forms',
      given: ['--namespace=team-b', '--kubeconfig', '/k/config', '--context', 'kind-x'],
      want: { namespace: 'team-b', kubeconfig: '/k/config', context: 'kind-x' },
    },
  ];
  for (const row of parsed)
    it(`parses kubectl's spelling: ${row.name}`, () => {
      const command = commandWith({ namespace: 'ns', allNamespaces: 'all' });
      command.parse(row.given, { from: 'user' });
      assert.deepEqual(command.opts(), row.want);
    });

  it('has no -A when the command gives it no help', () => {
    const command = commandWith({ namespace: 'ns' });
    assert.throws(() => command.parse(['-A'], { from: 'user' }), { code: 'commander.unknownOption' });
  });
});

describe('kubeOptions', () => {
  const rows: {
    name: string;
    given: Parameters<typeof kubeOptions>[0];
    want: ReturnType<typeof kubeOptions>;
  }[] = [
    {
      name: 'all three',
      given: { kubeconfig: '/k', context: 'c', namespace: 'n' },
      want: { kubeconfig: '/k', context: 'c', namespace: 'n' },
    },
    {
      name: 'none: connectKube falls back to KUBECONFIG and the current context',
      given: {},
      want: { kubeconfig: undefined, context: undefined, namespace: undefined },
    },
  ];
  for (const row of rows) it(row.name, () => assert.deepEqual(kubeOptions(row.given), row.want));

  it('leaves out the flags of the command itself', () => {
    const flags = { namespace: 'n', follow: true, output: 'json' };
    assert.deepEqual(kubeOptions(flags), { kubeconfig: undefined, context: undefined, namespace: 'n' });
  });
});
