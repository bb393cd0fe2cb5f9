// Parsing the evaluator's output. CPA silently reads a missing or null value as 0 and drives the target to
// minReplicas (spec §4.4, §9.4 item 9); we refuse instead, so a broken evaluator never scales anything.

/** The parsed evaluation, or why the output is not one (with the raw output, bounded, for the user). */
export type ParsedEvaluation = { ok: true; targetReplicas: number } | { ok: false; message: string };

const INT32_MAX = 2_147_483_647;
const RAW_SHOWN = 300;

/** Shows the output as the user's script wrote it, shortened and with newlines visible. */
export function showRaw(raw: string): string {
  const shown = raw.length > RAW_SHOWN ? raw.slice(0, RAW_SHOWN) + `… (${raw.length} bytes)` : raw;
  return JSON.stringify(shown);
}

/** Finds `targetReplicas` (any letter case, as Go's JSON matching allows) or the seed's `target_replicas`. */
function pickTarget(doc: Record<string, unknown>): { key: string; value: unknown } | null {
  for (const [key, value] of Object.entries(doc)) {
    if (key.toLowerCase() === 'targetreplicas' || key === 'target_replicas') return { key, value };
  }
  return null;
}

/** Parses `{"targetReplicas": N}` (or `{"target_replicas": N}`) into a non-negative int32. */
export function parseEvaluation(raw: string): ParsedEvaluation {
  const fail = (why: string): ParsedEvaluation => ({
    ok: false,
    message: `invalid evaluation: ${why}; the evaluate step printed ${showRaw(raw)}; expected {"targetReplicas": <integer ≥ 0>}`,
  });
  if (raw.trim() === '') return fail('the output is empty');
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch (err) {
    return fail(`not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return fail('not a JSON object');
  const picked = pickTarget(doc as Record<string, unknown>);
  if (!picked) return fail('no "targetReplicas" key');
  const { key, value } = picked;
  if (value === null) return fail(`"${key}" is null`);
  if (typeof value !== 'number' || !Number.isInteger(value)) return fail(`"${key}" is not an integer`);
  if (value < 0) return fail(`"${key}" is negative`);
  if (value > INT32_MAX) return fail(`"${key}" is larger than ${INT32_MAX}`);
  return { ok: true, targetReplicas: value };
}
