// Printing JSON data the way kubectl's Go code prints it — encoding/json for objects and arrays, fmt's `%v`
// for numbers and `fmt.Sprint` for custom-columns cells — so that our templates' output equals kubectl's. Pure.

/** A number literal written with a fraction or exponent: Go compares it only with non-integral numbers. */
export class GoFloat {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Object keys in Go's order for maps: sorted. */
export const sortedKeys = (o: Record<string, unknown>): string[] => Object.keys(o).sort();

/** JSON as Go's encoding/json writes it: keys sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped. */
export function goJson(value: unknown): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sorted)
      : isObject(v)
        ? Object.fromEntries(sortedKeys(v).map((k) => [k, sorted(v[k])]))
        : v;
  return JSON.stringify(sorted(value)).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A number as Go's `%v` prints it: integers whole, other floats in shortest `%g` form (`1.5e+06`). */
export function goNumber(n: number): string {
  if (Number.isInteger(n) || !Number.isFinite(n)) return String(n);
  const exp = Math.floor(Math.log10(Math.abs(n)));
  if (exp >= -4 && exp < 6) return String(n);
  const [mantissa = '', e = '0'] = n.toExponential().split('e');
  const sign = e.startsWith('-') ? '-' : '+';
  return `${mantissa}e${sign}${e.replace(/^[-+]/, '').padStart(2, '0')}`;
}

/** A value as Go's `fmt.Sprint` prints data decoded from JSON: `map[a:1 b:x]`, `[a b]`, `<nil>`. */
export function goSprint(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return goNumber(value);
  if (Array.isArray(value)) return `[${value.map(goSprint).join(' ')}]`;
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `map[${Object.keys(o)
      .sort()
      .map((k) => `${k}:${goSprint(o[k])}`)
      .join(' ')}]`;
  }
  return String(value);
}
