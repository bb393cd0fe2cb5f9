// Booleans as CPA reads them from query parameters: Go's strconv.ParseBool, nothing more lenient, so that
// `dry_run=yes` is rejected here exactly as the Go autoscaler rejects it.

const GO_BOOLS: ReadonlyMap<string, boolean> = new Map([
  ['1', true],
  ['t', true],
  ['T', true],
  ['TRUE', true],
  ['true', true],
  ['True', true],
  ['0', false],
  ['f', false],
  ['F', false],
  ['FALSE', false],
  ['false', false],
  ['False', false],
]);

/** Go's strconv.ParseBool: one of the twelve spellings it accepts, or null for anything else (incl. ""). */
export function parseGoBool(text: string): boolean | null {
  return GO_BOOLS.get(text) ?? null;
}
