/** Durations, ISO-8601 timestamps and the portable regex check, directly. */
import t from 'tap';
import { MAX_DURATION_MS, parseDuration, parseTimestamp, regexProblem } from '../src/filter/literals.js';

t.test('durations', async (t) => {
  t.equal(parseDuration('1h30m'), 5_400_000);
  t.equal(parseDuration('-7d'), -604_800_000);
  t.equal(parseDuration('0s'), 0);
  t.equal(parseDuration('0.5s'), 500);
  t.equal(parseDuration('100000d'), MAX_DURATION_MS);
  t.equal(parseDuration('100000d1ms'), 'a duration of at most 100000d');
  t.equal(parseDuration('1m1m'), 'duration units once each, largest first (w, d, h, m, s, ms)');
  t.equal(parseDuration('1ms1s'), 'duration units once each, largest first (w, d, h, m, s, ms)');
});

t.test('timestamps', async (t) => {
  t.equal(parseTimestamp('2026-11-01'), Date.UTC(2026, 10, 1));
  t.equal(parseTimestamp('2026-11-01T23:59:59.999Z'), Date.UTC(2026, 10, 1, 23, 59, 59, 999));
  t.equal(parseTimestamp('2026-11-01t10:00z'), null, 'the separator is T or a space');
  t.equal(parseTimestamp('2026-11-01T10:00z'), Date.UTC(2026, 10, 1, 10));
  t.equal(parseTimestamp('2026-11-01T10:00-01:30'), Date.UTC(2026, 10, 1, 11, 30));
  t.equal(parseTimestamp('0099-01-01'), new Date('0099-01-01T00:00:00Z').getTime(), 'years below 100 are not 19xx');
  t.equal(parseTimestamp('2000-02-29'), Date.UTC(2000, 1, 29));
  t.equal(parseTimestamp('1900-02-29'), null);
  for (const bad of ['2026-13-01', '2026-00-10', '2026-04-31', '2026-11-01T24:00', '2026-11-01T10:60', '2026-11-01T10:00:60', '2026-11-01T10:00+24:00', '2026-11-1', '26-11-01', '2026-11-01T', '2026-11-01Z', 'now', '']) {
    t.equal(parseTimestamp(bad), null, bad);
  }
});

t.test('portable regexes', async (t) => {
  for (const ok of ['^res.*$', 'a|b', '(?:ab)+', '[a-z]{2,3}', '\\d\\w\\s\\.', '[(?]', 'a\\/b', '^$']) t.equal(regexProblem(ok), null, ok);
  t.equal(regexProblem('('), 'Unterminated group');
  t.equal(regexProblem('a{'), 'Incomplete quantifier');
  t.equal(regexProblem('(?=a)'), '(?…) groups other than (?:…) are not portable between ClickHouse and Postgres');
  t.equal(regexProblem('(?<n>a)'), '(?…) groups other than (?:…) are not portable between ClickHouse and Postgres');
  t.equal(regexProblem('(a)\\1'), '\\1 is not portable between ClickHouse and Postgres');
  t.equal(regexProblem('\\bword'), '\\b is not portable between ClickHouse and Postgres');
  t.equal(regexProblem('\\0'), '\\0 is not portable between ClickHouse and Postgres');
  t.equal(regexProblem('\\p{L}'), '\\p is not portable between ClickHouse and Postgres');
  t.equal(regexProblem('\\u00e9'), '\\u is not portable between ClickHouse and Postgres');
  t.equal(regexProblem('[\\d\\x41]'), null, 'class shorthands and \\x escapes are portable');
});
