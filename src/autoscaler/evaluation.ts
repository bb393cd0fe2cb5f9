// Parsing the evaluator's output. CPA silently reads a missing or null value as 0 and drives the target to
// minReplicas (spec §4.4, §9.4 item 9); we refuse instead, so a broken evaluator never scales anything.
// The number itself follows Go's int32 decoding: digits only (`1e1`, `10.0` refused), within int32.

/** The parsed evaluation, or why the output is not one (with the raw output, bounded, for the user). */
export type ParsedEvaluation = { ok: true; targetReplicas: number } | { ok: false; message: string };

const INT32_MAX = 2_147_483_647;
const INT32_MIN = -2_147_483_648;
const RAW_SHOWN = 300;

/** Shows the output as the user's script wrote it, shortened and with newlines visible. */
export function showRaw(raw: string): string {
  const shown = raw.length > RAW_SHOWN ? raw.slice(0, RAW_SHOWN) + `… (${raw.length} bytes)` : raw;
  return JSON.stringify(shown);
}

/** A top-level key of the document and its value exactly as written. */
interface Member {
  key: string;
  token: string;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
/** The characters of a number, `true`, `false` or `null`. */
const SCALAR = /[-+.0-9a-z]+/iy;

/** The index just past the string token starting at `start` (a `"`). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** The index just past the value starting at `start`; containers are skipped by depth, not recursion. */
function valueEnd(text: string, start: number): number {
  const first = text[start];
  if (first === '"') return stringEnd(text, start);
  if (first !== '{' && first !== '[') {
    SCALAR.lastIndex = start;
    SCALAR.test(text);
    return SCALAR.lastIndex;
  }
  let depth = 0;
  let i = start;
  do {
    const c = text[i];
    if (c === '"') {
      i = stringEnd(text, i);
      continue;
    }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    i++;
  } while (depth > 0);
  return i;
}

/**
 * Every top-level member of `text`, which JSON.parse has already read as an object, in order and with
 * repeats: JSON.parse keeps only the last of keys spelled alike, and Go's decoder looks at each of them.
 */
function topLevelMembers(text: string): Member[] {
  const members: Member[] = [];
  let i = text.indexOf('{') + 1;
  const skipSpace = (): void => {
    while (WHITESPACE.has(text[i] ?? '')) i++;
  };
  for (;;) {
    skipSpace();
    if (text[i] !== '"') return members; // `}`: the object is over
    const keyEnd = stringEnd(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = keyEnd;
    skipSpace();
    i++; // `:`
    skipSpace();
    const end = valueEnd(text, i);
    members.push({ key, token: text.slice(i, end) });
    i = end;
    skipSpace();
    if (text[i] === ',') i++;
  }
}

/** A key Go decodes into `targetReplicas` (any letter case), or the seed's `target_replicas`. */
function namesTarget(key: string): boolean {
  return key.toLowerCase() === 'targetreplicas' || key === 'target_replicas';
}

/** A number token as an int32 field accepts it in Go: digits only, no fraction, no exponent. */
const INTEGER_LITERAL = /^-?(?:0|[1-9][0-9]*)$/;

/**
 * What Go's decoder makes of one token for an int32 field: a value, nothing (`null` leaves the field as
 * it was), or why it fails. The token as written decides: JS would read `10.0` as 10 and round
 * `3.0000000000000001` to 3, where Go refuses both.
 */
function decodeInt32(token: string): { value: number } | { skip: true } | { why: string } {
  if (token === 'null') return { skip: true };
  if (!/^[-0-9]/.test(token)) return { why: 'is not an integer' };
  if (!INTEGER_LITERAL.test(token)) {
    return {
      why: `is not an integer: ${token} (write it as digits only, without a fraction or exponent)`,
    };
  }
  const value = Number(token);
  if (value > INT32_MAX) return { why: `is larger than ${INT32_MAX}` };
  if (value < INT32_MIN) return { why: 'is negative' };
  // `-0` is 0 in Go; never hand a negative zero on to the decision.
  return { value: value === 0 ? 0 : value };
}

/**
 * Parses `{"targetReplicas": N}` (or `{"target_replicas": N}`) into a non-negative int32. As in Go, every
 * matching key is decoded in turn and the last value wins, but a bad value under any of them refuses the
 * whole output (Go returns the first type error after the object), so `{"targetReplicas": 1.5,
 * "TargetReplicas": 2}` fails here as it does in CPA.
 */
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
  const matching = topLevelMembers(raw).filter((m) => namesTarget(m.key));
  if (matching.length === 0) return fail('no "targetReplicas" key');
  const label = (m: Member, i: number): string =>
    matching.length === 1
      ? `"${m.key}"`
      : `"${m.key}" (key ${i + 1} of ${matching.length} naming targetReplicas)`;
  let target: { value: number; label: string } | undefined;
  for (const [i, m] of matching.entries()) {
    const decoded = decodeInt32(m.token);
    if ('why' in decoded) return fail(`${label(m, i)} ${decoded.why}`);
    if ('value' in decoded) target = { value: decoded.value, label: label(m, i) };
  }
  if (target === undefined) return fail(`${label(matching.at(-1)!, matching.length - 1)} is null`);
  if (target.value < 0) return fail(`${target.label} is negative`);
  return { ok: true, targetReplicas: target.value };
}
