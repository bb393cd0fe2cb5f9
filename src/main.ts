// main(argv, deps) → exit code. The single error boundary: every expected error is printed here once,
// as `error: …` (and `hint: …`), and mapped to its exit code.
import { CommanderError } from 'commander';
import { ConfigError, CpaError, describeError } from './errors.ts';
import { buildProgram } from './cli/program.ts';
import { errorJsonLine, wantsJsonLog } from './logger/error-line.ts';
import type { Deps } from './ports.ts';

/** The error as a JSON line (`--log-format json`): the same facts as the text form. */
function reportJson(err: unknown, deps: Pick<Deps, 'err' | 'clock'>): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
  const time = new Date(deps.clock.nowMs()).toISOString();
  const known = err instanceof CpaError;
  const exitCode = known ? err.exitCode : 1;
  // A ConfigError's text ends in ':' before its list; in JSON the list is the `problems` field.
  const message = known ? describeError(err).replace(/:$/, '') : `internal error: ${describeError(err)}`;
  const problems = err instanceof ConfigError ? err.problems : undefined;
  const hint = known ? err.hint : 'run again with -v 4 for the stack trace, and please report it';
  deps.err.write(
    errorJsonLine({ message, exitCode, ...(problems ? { problems } : {}), ...(hint ? { hint } : {}) }, time),
  );
  return exitCode;
}

/** Prints an error the way kubectl does and returns the exit code for it. */
export function reportError(err: unknown, deps: Pick<Deps, 'err'>, verbose: boolean): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
  if (err instanceof CpaError) {
    deps.err.write(`error: ${describeError(err)}\n`);
    if (err instanceof ConfigError) for (const problem of err.problems) deps.err.write(`  - ${problem}\n`);
    if (err.hint) deps.err.write(`hint: ${err.hint}\n`);
    return err.exitCode;
  }
  // Not an expected failure: a bug. Show the stack so it can be reported.
  deps.err.write(`error: internal error: ${describeError(err)}\n`);
  if (verbose || !(err instanceof Error)) deps.err.write(`${err instanceof Error ? err.stack : ''}\n`);
  else deps.err.write('hint: run again with -v 4 for the stack trace, and please report it\n');
  return 1;
}

/** Runs the CLI with `argv` (without the node and script entries) and returns the process exit code. */
export async function main(argv: readonly string[], deps: Deps): Promise<number> {
  const state = { exitCode: 0 };
  const json = wantsJsonLog(argv);
  const program = buildProgram(deps, state, { jsonErrors: json });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return state.exitCode;
  } catch (err) {
    const verbose = argv.some((a, i) => (a === '-v' || a === '--v') && Number(argv[i + 1]) >= 4);
    return json ? reportJson(err, deps) : reportError(err, deps, verbose);
  }
}
