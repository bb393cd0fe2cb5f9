// What a subcommand hands back to main() besides throwing: its exit code. Kept apart from program.ts so
// that the subcommands and the program that registers them do not import each other.

/** Mutable result of a command: its exit code (commands that fail without an error set it). */
export interface CommandState {
  exitCode: number;
}
