/**
 * Literal forms that need more than a regex to read: durations (`1h30m`, `-7d`), ISO-8601 timestamps, and
 * the regex subset both databases run identically. Each returns a value or says what was wrong; none throws.
 */

const UNIT_MS = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;
const UNIT_ORDER = ['w', 'd', 'h', 'm', 's', 'ms'];
/** 100,000 days (~274 years): keeps `now - duration` inside every timestamp type's range. */
export const MAX_DURATION_MS = 100_000 * UNIT_MS.d;

/** Milliseconds (negative for `-7d`), or what was expected instead. */
export function parseDuration(text: string): number | string {
  const negative = text.startsWith('-');
  const parts = (negative ? text.slice(1) : text).matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g);
  let ms = 0;
  let last = -1;
  for (const [, amount, unit] of parts) {
    const order = UNIT_ORDER.indexOf(unit ?? '');
    if (order <= last) return 'duration units once each, largest first (w, d, h, m, s, ms)';
    last = order;
    ms += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  if (!(ms <= MAX_DURATION_MS)) return 'a duration of at most 100000d';
  return negative ? -ms : ms;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}:?\d{2})?)?$/;

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function offsetMs(zone: string | undefined): number | null {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  const h = Number(m?.[2]);
  const min = Number(m?.[3]);
  if (m === null || h > 23 || min > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (h * 60 + min) * 60_000;
}

/**
 * An ISO-8601 date or date-time as ms since the epoch: `2026-11-01`, `2026-11-01T12:30`, `2026-11-01 12:30:05.250Z`,
 * `2026-11-01T12:30:00+02:00`. Without a zone it is UTC. `null` when it is not one.
 */
export function parseTimestamp(text: string): number | null {
  const m = ISO.exec(text);
  if (m === null) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const offset = offsetMs(m[8]);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59 || offset === null) return null;
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  return d.getTime() - offset;
}

/**
 * Whether a regex is in the subset ClickHouse (RE2) and Postgres (POSIX ARE) run alike, and well-formed:
 * the reason it is not, or null. Checked by compiling it as a JavaScript `u`-mode regex (strict syntax)
 * and refusing what one of the engines lacks or reads differently: lookaround and other `(?…)` groups
 * except `(?:`, backreferences and octal escapes (`\1`, `\k<…>`, `\0`), word boundaries `\b` `\B`,
 * Unicode classes and escapes (`\p{…}`, `\P{…}`, `\uXXXX`) and control escapes (`\cX`).
 */
export function regexProblem(source: string): string | null {
  try {
    new RegExp(source, 'u');
  } catch (error) {
    // V8: "Invalid regular expression: /(/u: Unterminated group" → "Unterminated group".
    return error instanceof Error ? (error.message.split(': ').at(-1) ?? error.message) : 'invalid';
  }
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    const next = source[i + 1] ?? '';
    if (ch === '\\') {
      if (/[0-9kbBpPuc]/.test(next)) return `\\${next} is not portable between ClickHouse and Postgres`;
      i++;
    } else if (ch === '[' || ch === ']') {
      inClass = ch === '[';
    } else if (!inClass && ch === '(' && next === '?' && source[i + 2] !== ':') {
      return '(?…) groups other than (?:…) are not portable between ClickHouse and Postgres';
    }
  }
  return null;
}
