/**
 * Decoding JSONEachRow values read with the client's settings (`output_format_json_quote_64bit_integers`,
 * `output_format_json_quote_denormals`): 64-bit integers arrive as decimal strings, NaN/±Inf as
 * "nan"/"inf"/"-inf", other floats as JSON numbers. Anything else is a schema mismatch and throws.
 */

const DENORMALS: Readonly<Record<string, number>> = { nan: NaN, '-nan': NaN, inf: Infinity, '+inf': Infinity, '-inf': -Infinity };

/** A Float64 cell; `null` (a Nullable aggregate over no values) reads as NaN. */
export function float64(value: unknown, column: string): number {
  if (typeof value === 'number') return value;
  if (value === null) return NaN;
  if (typeof value === 'string') {
    const denormal = DENORMALS[value.toLowerCase()];
    if (denormal !== undefined) return denormal;
  }
  throw new TypeError(`column ${column}: expected a Float64, got ${JSON.stringify(value)}`);
}

/** An Int64/UInt64 cell, exact. */
export function int64(value: unknown, column: string): bigint {
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw new TypeError(`column ${column}: expected a 64-bit integer, got ${JSON.stringify(value)}`);
}

/** A String cell. */
export function text(value: unknown, column: string): string {
  if (typeof value === 'string') return value;
  throw new TypeError(`column ${column}: expected a String, got ${JSON.stringify(value)}`);
}

/**
 * Milliseconds (a Unix time or a duration) as integer nanoseconds. Whole milliseconds — every time parsed
 * from ISO text — convert exactly (`ms * 1e6` in floating point is off by up to ±128 ns at current
 * epochs); fractions of a millisecond are rounded to the nanosecond. Throws RangeError on a non-finite value.
 */
export function nsOfMs(ms: number): bigint {
  if (!Number.isFinite(ms)) throw new RangeError(`not a finite number of milliseconds: ${ms}`);
  if (Number.isSafeInteger(ms)) return BigInt(ms) * 1_000_000n;
  const whole = Math.trunc(ms);
  return BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6));
}
