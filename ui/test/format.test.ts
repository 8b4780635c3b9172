/** Display formats: numbers, durations, relative times, sizes and config values. */
import t from 'tap';
import { formatBytes, formatDuration, formatNumber, formatRelative, formatValue } from '../src/lib/format.js';

t.test('formatNumber', async (t) => {
  const cases: [number, string][] = [
    [0.6931, '0.6931'],
    [0.69314718, '0.6931'],
    [3e-4, '3e-4'],
    [0.000123, '1.23e-4'],
    [-2.5e-7, '-2.5e-7'],
    [0.001, '0.001'],
    [0.0012345, '0.001235'],
    [0.5, '0.5'],
    [12345, '12,345'],
    [123456789, '123,456,789'],
    [-42, '-42'],
    [12.3456, '12.35'],
    [1234.5678, '1,234.6'],
    [1.5e9, '1.5e9'],
    [1e9, '1e9'],
    [1.23456e12, '1.235e12'],
    [-3e20, '-3e20'],
    [0, '0'],
    [-0, '0'],
    [NaN, 'NaN'],
    [Infinity, '∞'],
    [-Infinity, '−∞'],
  ];
  for (const [v, want] of cases) t.equal(formatNumber(v), want, `${v}`);
});

t.test('formatDuration', async (t) => {
  const cases: [number | null, string][] = [
    [0, '0 ms'],
    [850, '850 ms'],
    [999.4, '999 ms'],
    [999.7, '1.0 s'],
    [12_340, '12.3 s'],
    [59_940, '59.9 s'],
    [59_960, '1m 00s'],
    [245_000, '4m 05s'],
    [3_599_600, '1h 00m'],
    [7_380_000, '2h 03m'],
    [(3 * 24 + 4) * 3_600_000, '3d 4h'],
    [null, '—'],
    [-5, '—'],
    [NaN, '—'],
  ];
  for (const [v, want] of cases) t.equal(formatDuration(v), want, `${v}`);
});

t.test('formatRelative', async (t) => {
  const now = Date.UTC(2025, 5, 15, 12, 0, 0);
  const ago = (ms: number): string => new Date(now - ms).toISOString();
  t.equal(formatRelative(ago(3_000), now), 'just now');
  t.equal(formatRelative(ago(-30_000), now), 'just now', 'a little in the future: clock skew');
  t.equal(formatRelative(ago(12_500), now), '12 s ago');
  t.equal(formatRelative(ago(5 * 60_000 + 20_000), now), '5 min ago');
  t.equal(formatRelative(ago(3 * 3_600_000 + 59 * 60_000), now), '3 h ago');
  t.equal(formatRelative(ago(2 * 86_400_000), now), '2 d ago');
  // Older than 30 days, or well in the future: the local calendar date.
  const old = new Date(2024, 0, 15, 12, 0, 0).getTime();
  t.equal(formatRelative(new Date(old).toISOString(), now), '2024-01-15');
  t.equal(formatRelative(new Date(old).toISOString(), old - 2 * 3_600_000), '2024-01-15');
  t.equal(formatRelative(null, now), '—');
  t.equal(formatRelative('not a date', now), '—');
});

t.test('formatBytes', async (t) => {
  const cases: [number, string][] = [
    [0, '0 B'],
    [512, '512 B'],
    [1023, '1023 B'],
    [1024, '1 KiB'],
    [1536, '1.5 KiB'],
    [12.3 * 1024 * 1024, '12.3 MiB'],
    [1024 * 1024 - 1, '1 MiB'],
    [118 * 1024 ** 3, '118 GiB'],
    [1000 * 1024 ** 4, '1000 TiB'],
    [-1, '—'],
    [NaN, '—'],
  ];
  for (const [v, want] of cases) t.equal(formatBytes(v), want, `${v}`);
});

t.test('formatValue', async (t) => {
  t.equal(formatValue('adamw'), 'adamw');
  t.equal(formatValue(''), '');
  t.equal(formatValue(3e-4), '3e-4');
  t.equal(formatValue(128), '128');
  t.equal(formatValue(true), 'true');
  t.equal(formatValue(false), 'false');
  t.equal(formatValue(null), 'null');
  t.equal(formatValue([1, 'a', null]), '[1,"a",null]');
  t.equal(formatValue({ b: 1, a: { c: [2] } }), '{"b":1,"a":{"c":[2]}}');
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  t.equal(formatValue(cyclic), '[unserialisable]', 'never throws');
});
