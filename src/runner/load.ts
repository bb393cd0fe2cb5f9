// Reads what an autoscaler directory holds (config file, Dockerfile) and loads the configuration, turning
// the loader's issues into one ConfigError that lists every problem with its file position.
import { resolve } from 'node:path';
import { imagePathMap, parseDockerfileCopies } from '../config/dockerfile.ts';
import { loadConfig, type ConfigFlags } from '../config/load.ts';
import type { Config, ConfigIssue } from '../config/types.ts';
import { ConfigError } from '../errors.ts';
import type { Deps } from '../ports.ts';

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
  deps: Pick<Deps, 'files'>,
  dir: string,
  absDir: string,
): Promise<Map<string, string>> {
  const text = await deps.files.readText(`${dir}/Dockerfile`);
  if (text === null) return new Map();
  const copies = parseDockerfileCopies(text);
  const existing = new Set<string>();
  for (const copy of copies) {
    for (const source of copy.sources) {
      const local = `${absDir}/${source}`;
      if (await deps.files.exists(local)) existing.add(local);
    }
  }
  return imagePathMap(copies, absDir, (p) => existing.has(p));
}

/** What loadDirConfig reads besides the directory. */
export interface DirConfigInput {
  dir: string;
  configFile: string;
  env: Readonly<Record<string, string | undefined>>;
  flags: ConfigFlags;
  /** Whether `--target` names a target to look up (so the config need not name one). */
  targetLookedUp: boolean;
}

/** Loads and validates DIR's configuration for running; throws ConfigError listing every problem. */
export async function loadDirConfig(
  deps: Pick<Deps, 'files' | 'cwd'>,
  input: DirConfigInput,
): Promise<{ config: Config; notes: string[]; absDir: string }> {
  const absDir = resolve(deps.cwd, input.dir);
  const text = await deps.files.readText(input.configFile);
  if (text === null) {
    throw new ConfigError(`failed to read configuration file ${input.configFile}: no such file`, [], {
      hint: 'pass the autoscaler directory (kubectl cpa run DIR) or the file with -f CONFIG',
    });
  }
  const result = loadConfig({
    text,
    fileName: input.configFile,
    env: input.env,
    flags: input.flags,
    imagePaths: await dockerfileMapping(deps, input.dir, absDir),
    forRun: { targetLookedUp: input.targetLookedUp },
  });
  if (!result.ok) {
    const problems = result.issues.map((issue) => formatIssue(issue, input.configFile));
    const n = problems.length;
    throw new ConfigError(
      `invalid configuration in ${input.configFile} (${n} problem${n === 1 ? '' : 's'}):`,
      problems,
    );
  }
  return { config: result.config, notes: result.notes, absDir };
}
