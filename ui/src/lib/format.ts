/**
 * Display formats for numbers, durations, times, sizes and config values. Numbers are compact but never
 * misleading: a loss 0.6931 stays '0.6931', a learning rate 3e-4 is '3e-4', a step 12345 is '12,345'.
 */

const MINUS_INF = '\u2212\u221e';
const GROUPED = new Map<number, Intl.NumberFormat>();

/** 'x.yze±n' with trailing mantissa zeros and the '+' dropped: 1.50e+9 → '1.5e9', 3.00e-4 → '3e-4'. */
function exponential(v: number, fractionDigits: number): string {
  const [mantissa = '', exp = '0'] = v.toExponential(fractionDigits).split('e');
  const m = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
  return `${m}e${exp.replace('+', '')}`;
}

function grouped(v: number, fractionDigits: number): string {
  let f = GROUPED.get(fractionDigits);
  if (f === undefined) {
    f = new Intl.NumberFormat('en-US', { maximumFractionDigits: fractionDigits, useGrouping: true });
    GROUPED.set(fractionDigits, f);
  }
  return f.format(v);
}

/**
 * A number for a table cell or a tooltip:
 * - |v| < 0.001 or |v| ≥ 1e9: exponent form with up to 3 (small) or 4 (large) significant digits: '1.23e-4',
 *   '3e-4', '1.5e9';
 * - integers below 1e9: every digit, grouped: '12,345';
 * - otherwise 4 significant digits (at least the whole integer part), grouped: '0.6931', '12.35', '1,234.6'.
 * NaN → 'NaN', ±Infinity → '∞' / '−∞'.
 */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '\u221e';
  if (v === -Infinity) return MINUS_INF;
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-3) return exponential(v, 2);
  if (a >= 1e9) return exponential(v, 3);
  if (Number.isInteger(v)) return grouped(v, 0);
  const intDigits = a < 1 ? 0 : Math.floor(Math.log10(a)) + 1;
  const fractionDigits = a < 1 ? 3 - Math.floor(Math.log10(a)) : Math.max(1, 4 - intDigits);
  return grouped(v, Math.min(fractionDigits, 20));
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** '850 ms', '12.3 s', '4m 05s', '2h 03m', '3d 4h'; null, negative or non-finite → '—'. */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '\u2014';
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  const secs = Math.round(ms / 1000);
  if (secs < 3600) return `${Math.floor(secs / 60)}m ${pad2(secs % 60)}s`;
  const mins = Math.round(ms / 60_000);
  if (mins < 1440) return `${Math.floor(mins / 60)}h ${pad2(mins % 60)}m`;
  const hours = Math.round(ms / 3_600_000);
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** The local calendar date 'YYYY-MM-DD'. */
export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

/**
 * How long ago `iso` was, seen at `nowMs`: 'just now' (under 10 s, or up to a minute in the future: clock
 * skew), '12 s ago', '5 min ago', '3 h ago', '2 d ago' (under 30 days), then the local date '2024-01-15'.
 * Null or unparsable → '—'.
 */
export function formatRelative(iso: string | null, nowMs: number): string {
  if (iso === null) return '\u2014';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '\u2014';
  const s = Math.floor((nowMs - t) / 1000);
  if (s < -60) return formatDate(t);
  if (s < 10) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  if (s < 30 * 86_400) return `${Math.floor(s / 86_400)} d ago`;
  return formatDate(t);
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'] as const;

/** Binary units, 3 significant digits: '512 B', '1.5 KiB', '12.3 MiB', '118 GiB'. Negative/NaN → '—'. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '\u2014';
  let v = n;
  let u = 0;
  while (u < BYTE_UNITS.length - 1 && Math.round(v) >= 1024) {
    v /= 1024;
    u++;
  }
  const text = u === 0 || v >= 100 ? String(Math.round(v)) : String(Number(v.toPrecision(3)));
  return `${text} ${BYTE_UNITS[u] ?? 'B'}`;
}

/** A config value: strings as they are, numbers by formatNumber, booleans, null, arrays and objects as JSON. */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v === null) return 'null';
  if (v === undefined) return '';
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return '[unserialisable]';
  }
}
