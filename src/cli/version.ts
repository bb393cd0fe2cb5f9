// `kubectl cpa version`: the plugin's version and the Node runtime it runs on.
import type { Command } from 'commander';
import type { Deps } from '../ports.ts';

/** Registers `version [-o json]`. */
export function registerVersion(program: Command, deps: Deps): void {
  program
    .command('version')
    .description('Print the kubectl-cpa version')
    .option('-o, --output <format>', 'output format: text or json', 'text')
    .action((opts: { output: string }) => {
      const info = {
        version: deps.version,
        cpaCompatibility: 'v2.12.2 and v0.8.0',
        node: deps.host.node,
      };
      if (opts.output === 'json') deps.out.write(JSON.stringify(info, null, 2) + '\n');
      else
        deps.out.write(
          `kubectl-cpa version ${info.version} (CPA config ${info.cpaCompatibility}; Node ${info.node})\n`,
        );
    });
}
