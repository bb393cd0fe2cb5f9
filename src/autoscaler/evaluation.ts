// Parsing the evaluator's output. CPA silently reads a missing or null value as 0 and drives the target to
// minReplicas (spec §4.4, §9.4 item 9); we refuse instead, so a broken evaluator never scales anything.
// The number itself follows Go's int32 decoding: digits only (`1e1`, `10.0` refused), within int32.

/** The parsed evaluation, or why the output is not one (with the raw output, bounded, for the user). */
export type ParsedEvaluation = { ok: true; targetReplicas: number } | { ok: false; message: string };

const INT32_MAX = 2_147_483_647;
const RAW_SHOWN = 300;

/** Shows the output as the user's script wrote it, shortened and with newlines visible. */
export function showRaw(raw: string): string {
  const shown = raw.length > RAW_SHOWN ? raw.slice(0, RAW_SHOWN) + `… (${raw.length} bytes)` : raw;
  return JSON.stringify(shown);
}

/**
 * Finds `targetReplicas` (any letter case, as Go's JSON matching allows) or the seed's `target_replicas`.
 * Like Go's decoder, the last matching key wins when several are present.
 */
function pickTarget(doc: Record<string, unknown>): { key: string; value: unknown } | null {
  let found: { key: string; value: unknown } | null = null;
  for (const [key, value] of Object.entries(doc)) {
    if (key.toLowerCase() === 'targetreplicas' || key === 'target_replicas') found = { key, value };
  }
  return found;
}

/** A number token as an int32 field accepts it in Go: digits only, no fraction, no exponent. */
const INTEGER_LITERAL = /^-?(?:0|[1-9][0-9]*)$/;

type Sources = { holder: unknown; key: string; source: string }[];

/** JSON.parse that also keeps the source text of every number, so `1e1` and `10.0` can be told from `10`. */
function parseKeepingNumbers(raw: string): { doc: unknown; numbers: Sources } {
  const numbers: Sources = [];
  const doc: unknown = JSON.parse(raw, function (this: unknown, key, value, context?: { source?: string }) {
    if (typeof value === 'number' && context?.source !== undefined) {
      numbers.push({ holder: this, key, source: context.source });
    }
    return value;
  });
  return { doc, numbers };
}

/** Parses `{"targetReplicas": N}` (or `{"target_replicas": N}`) into a non-negative int32. */
export function parseEvaluation(raw: string): ParsedEvaluation {
  const fail = (why: string): ParsedEvaluation => ({
    ok: false,
    message: `invalid evaluation: ${why}; the evaluate step printed ${showRaw(raw)}; expected {"targetReplicas": <integer ≥ 0>}`,
  });
  if (raw.trim() === '') return fail('the output is empty');
  let parsed: { doc: unknown; numbers: Sources };
  try {
    parsed = parseKeepingNumbers(raw);
  } catch (err) {
    return fail(`not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const { doc, numbers } = parsed;
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return fail('not a JSON object');
  const picked = pickTarget(doc as Record<string, unknown>);
  if (!picked) return fail('no "targetReplicas" key');
  const { key, value } = picked;
  if (value === null) return fail(`"${key}" is null`);
  if (typeof value !== 'number') return fail(`"${key}" is not an integer`);
  // Go's int32 decoding refuses a fraction or an exponent even when the value is whole (`10.0`, `1e1`), and
  // JS would silently round `3.0000000000000001` to 3; the token as written decides.
  const source = numbers.find((n) => n.holder === doc && n.key === key)?.source;
  if (source !== undefined && !INTEGER_LITERAL.test(source)) {
    return fail(
      `"${key}" is not an integer: ${source} (write it as digits only, without a fraction or exponent)`,
    );
  }
  if (!Number.isInteger(value)) return fail(`"${key}" is not an integer`);
  if (value < 0) return fail(`"${key}" is negative`);
  if (value > INT32_MAX) return fail(`"${key}" is larger than ${INT32_MAX}`);
  // `-0` is 0 in Go; never hand a negative zero on to the decision.
  return { ok: true, targetReplicas: value === 0 ? 0 : value };
}
