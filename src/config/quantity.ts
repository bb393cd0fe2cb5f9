// Kubernetes resource quantities ("250m", "1.5Gi", "2e3") as exact rationals. CPA hands user logic
// `Quantity.MilliValue()` numbers and re-serialises the configured targets in canonical form, so both the
// rounding (up, to whole milli-units) and the canonical spelling must match apimachinery's.

/** value = num / den exactly; den > 0. */
export interface Quantity {
  num: bigint;
  den: bigint;
  format: 'DecimalSI' | 'BinarySI' | 'DecimalExponent';
}

const DECIMAL_SUFFIX: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)([eE][+-]?\d+|[numkMGTPE]|[KMGTPE]i)?$/;

const pow = (base: bigint, exp: number): bigint => base ** BigInt(exp);

/** Parses a quantity; throws RangeError with apimachinery's wording for text it would refuse. */
export function parseQuantity(text: string): Quantity {
  const m = QUANTITY.exec(text.trim() === text ? text : '');
  if (m === null)
    throw new RangeError(
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
  const [, sign, digits = '', suffix = ''] = m;
  const [whole = '', frac = ''] = digits.split('.');
  let num = BigInt(`${whole}${frac}` || '0');
  let den = pow(10n, frac.length);
  let format: Quantity['format'] = 'DecimalSI';
  if (suffix in BINARY_SUFFIX) {
    format = 'BinarySI';
    num *= pow(2n, BINARY_SUFFIX[suffix] ?? 0);
  } else if (/^[eE]/.test(suffix)) {
    format = 'DecimalExponent';
    const exp = Number(suffix.slice(1));
    if (exp >= 0) num *= pow(10n, exp);
    else den *= pow(10n, -exp);
  } else {
    const exp = DECIMAL_SUFFIX[suffix] ?? 0;
    if (exp >= 0) num *= pow(10n, exp);
    else den *= pow(10n, -exp);
  }
  if (sign === '-') num = -num;
  return { num, den, format };
}

/** Division rounding away from zero, as inf.Dec's RoundUp does. */
function divUp(num: bigint, den: bigint): bigint {
  const q = num / den;
  return num % den === 0n ? q : num < 0n ? q - 1n : q + 1n;
}

/** `Quantity.MilliValue()`: the value in thousandths, rounded up. */
export function milliValue(q: Quantity): number {
  return Number(divUp(q.num * 1000n, q.den));
}

/** Parses and returns the milli-value in one step (metric samples, requests). */
export function milliOf(text: string): number {
  return milliValue(parseQuantity(text));
}

const DECIMAL_BY_EXP = new Map(Object.entries(DECIMAL_SUFFIX).map(([s, e]) => [e, s]));

/** `Quantity.String()`: the canonical spelling CPA writes back when it re-serialises a MetricTarget. */
export function canonicalQuantity(q: Quantity): string {
  if (q.num === 0n) return '0';
  let format = q.format;
  const integral = q.num % q.den === 0n;
  if (format === 'BinarySI') {
    const abs = q.num < 0n ? -q.num : q.num;
    if (!integral || abs < 1024n * q.den) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let mantissa = q.num / q.den;
    let exp = 0;
    while (exp < 60 && mantissa % 1024n === 0n) {
      mantissa /= 1024n;
      exp += 10;
    }
    const suffix = Object.keys(BINARY_SUFFIX).find((s) => BINARY_SUFFIX[s] === exp) ?? '';
    return `${mantissa}${suffix}`;
  }
  // Nano precision is the finest apimachinery keeps; anything finer rounds up.
  let mantissa = divUp(q.num * 1_000_000_000n, q.den);
  let exp = -9;
  while (mantissa % 10n === 0n && mantissa !== 0n) {
    mantissa /= 10n;
    exp++;
  }
  while (((exp % 3) + 3) % 3 !== 0) {
    mantissa *= 10n;
    exp--;
  }
  if (format === 'DecimalExponent') return exp === 0 ? `${mantissa}` : `${mantissa}e${exp}`;
  const suffix = DECIMAL_BY_EXP.get(exp);
  return suffix === undefined ? `${mantissa}e${exp}` : `${mantissa}${suffix}`;
}
