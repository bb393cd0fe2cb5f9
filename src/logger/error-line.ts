// The final error of a command as one JSON line, for `--log-format json`: whoever reads the log as JSON
// (a log shipper, jq) must not meet a plain `error:` line at the end. Pure.

/** What main's error boundary knows about the error that ends the command. */
export interface FinalError {
  message: string;
  hint?: string;
  problems?: readonly string[];
  exitCode: number;
}

/** `{"time","level":"error","event":"error","message",…}` — the log's JSON schema, one line. */
export function errorJsonLine(e: FinalError, timeIso: string): string {
  return `${JSON.stringify({
    time: timeIso,
    level: 'error',
    event: 'error',
    message: e.message,
    ...(e.problems === undefined || e.problems.length === 0 ? {} : { problems: e.problems }),
    ...(e.hint === undefined ? {} : { hint: e.hint }),
    exitCode: e.exitCode,
  })}\n`;
}

/** `--log-format json` or `--log-format=json` among the arguments (before a `--`). */
export function wantsJsonLog(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const args = end < 0 ? argv : argv.slice(0, end);
  return args.some((a, i) => a === '--log-format=json' || (a === '--log-format' && args[i + 1] === 'json'));
}
