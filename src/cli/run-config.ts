// Reads what `run` needs from disk (config file, Dockerfile) and turns loadConfig's issues into one ConfigError.
import { resolve } from 'node:path';
import type { Config, ConfigIssue, ScaleTargetRef } from '../config/types.ts';
import type { Deps } from '../deps.ts';
import { ConfigError } from '../errors.ts';
import { loadConfig } from '../config/load.ts';
import { imagePathMap, parseDockerfileCopies } from '../config/dockerfile.ts';
import type { RunFlags } from './run-flags.ts';

/** `metric.timeout (config.yaml:4:12): must be …` */
export function formatIssue(issue: ConfigIssue, fileName: string): string {
  const where =
    issue.line !== undefined
      ? ` (${fileName}:${issue.line}${issue.column !== undefined ? `:${issue.column}` : ''})`
      : '';
  return `${issue.path}${where}: ${issue.message}`;
}

/** When DIR has a Dockerfile, maps the image paths its ADD/COPY lines create to the local files. */
async function dockerfileMapping(
  deps: Deps,
  dir: string,
  absDir: string,
): Promise<{ map: Map<string, string>; found: boolean }> {
  const text = await deps.files.readText(`${dir}/Dockerfile`);
  if (text === null) return { map: new Map(), found: false };
  const copies = parseDockerfileCopies(text);
  const existing = new Set<string>();
  for (const copy of copies) {
    for (const source of copy.sources) {
      const local = `${absDir}/${source}`;
      if (await deps.files.exists(local)) existing.add(local);
    }
  }
  return { map: imagePathMap(copies, absDir, (p) => existing.has(p)), found: true };
}

/** Loads and validates the configuration for `run`; throws ConfigError listing every problem. */
export async function loadRunConfig(
  deps: Deps,
  flags: RunFlags,
  target: ScaleTargetRef | undefined,
): Promise<{ config: Config; notes: string[]; absDir: string; namespaceSet: boolean }> {
  const absDir = resolve(deps.cwd, flags.dir);
  const text = await deps.files.readText(flags.configFile);
  if (text === null) {
    throw new ConfigError(`failed to read configuration file ${flags.configFile}: no such file`, [], {
      hint: 'pass the autoscaler directory (kubectl cpa run DIR) or the file with -f CONFIG',
    });
  }
  const docker = await dockerfileMapping(deps, flags.dir, absDir);
  const result = loadConfig({
    text,
    fileName: flags.configFile,
    env: deps.env,
    flags: { namespace: flags.namespace, target, apiAddr: flags.apiAddr, interval: flags.intervalMs },
    imagePaths: docker.map,
  });
  if (!result.ok) {
    const problems = result.issues.map((issue) => formatIssue(issue, flags.configFile));
    const n = problems.length;
    throw new ConfigError(
      `invalid configuration in ${flags.configFile} (${n} problem${n === 1 ? '' : 's'}):`,
      problems,
    );
  }
  return { config: result.config, notes: result.notes, absDir, namespaceSet: result.namespaceSet };
}
