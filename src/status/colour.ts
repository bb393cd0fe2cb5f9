// When human output may use colour: one policy for every command that colours (status, logs). Pure.

/**
 * True when colour is on: stdout is a terminal and NO_COLOR is unset or empty (no-color.org: any non-empty
 * value turns colour off). Piped output is data for other programs, so it never carries escape sequences.
 */
export function useColor(env: Readonly<Record<string, string | undefined>>, tty: boolean): boolean {
  return tty && (env['NO_COLOR'] ?? '') === '';
}
