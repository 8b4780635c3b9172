/** Bad filters: never a throw; the exact position, what was expected there, and the message. */
import t from 'tap';
import type { FilterError } from '../src/index.js';
import { parseFilter } from '../src/index.js';

const FIELD = 'a field (name, status, group, tags, created, duration, config.<key>, summary.<key>.<stat>)';

function error(text: string): FilterError | undefined {
  const r = parseFilter(text);
  return r.ok ? undefined : r.error;
}

/** [input, position, expected, message]: the position is a 0-based offset into the input. */
const CASES: ReadonlyArray<readonly [string, number, string, string]> = [
  ['name > ', 7, 'a string', "expected a string after '>' at 7, found end of input"],
  ['config.lr > ', 12, 'a string or a number', "expected a string or a number after '>' at 12, found end of input"],
  ['status = failed', 9, 'a string', `expected a string after '=' at 9, found 'failed'; text values are quoted: "failed"`],
  ['name = "a" and', 14, `${FIELD}, 'not' or '('`, `expected ${FIELD}, 'not' or '(' after 'and' at 14, found end of input`],
  ['name = "a" name = "b"', 11, "'and', 'or' or end of input", `expected 'and', 'or' or end of input after '"a"' at 11, found 'name'`],
  ['(name = "a"', 11, "'and', 'or' or ')'", `expected 'and', 'or' or ')' after '"a"' at 11, found end of input`],
  ['name = "a")', 10, "'and', 'or' or end of input", `expected 'and', 'or' or end of input after '"a"' at 10, found ')'`],
  ['foo = 1', 0, FIELD, `expected ${FIELD} at 0, found 'foo'; a config value is config.foo, a metric summary.foo.last`],
  ['"name" = "a"', 0, `${FIELD}, 'not' or '('`, `expected ${FIELD}, 'not' or '(' at 0, found '"name"'`],
  ['and', 0, `${FIELD}, 'not' or '('`, `expected ${FIELD}, 'not' or '(' at 0, found 'and'`],
  ['not', 3, `${FIELD}, 'not' or '('`, `expected ${FIELD}, 'not' or '(' after 'not' at 3, found end of input`],
  ['summary.loss > 1', 12, "a statistic ('.last', '.min', '.max' or '.count')", "expected a statistic ('.last', '.min', '.max' or '.count') after 'summary.loss' at 12"],
  ['summary > 1', 7, 'a metric key (summary.<key>.<stat>)', "expected a metric key (summary.<key>.<stat>) after 'summary' at 7"],
  ['summary.loss.avg > 1', 13, 'a statistic (last, min, max, count)', "expected a statistic (last, min, max, count) at 13, found 'avg'"],
  ['config = 1', 6, 'a config key (config.<key>)', "expected a config key (config.<key>) after 'config' at 6"],
  ['config. = 1', 7, 'a key (letters, digits, _ / -, or a quoted "key")', `expected a key (letters, digits, _ / -, or a quoted "key") after '.' at 7, found ' '`],
  ['config.a.', 9, 'a key (letters, digits, _ / -, or a quoted "key")', `expected a key (letters, digits, _ / -, or a quoted "key") after '.' at 9, found end of input`],
  ['name = "abc', 11, `'"'`, `expected '"' at 11, found end of input; the string opened at 7 is not closed`],
  ["name = 'abc", 11, `"'"`, `expected "'" at 11, found end of input; the string opened at 7 is not closed`],
  ['name = "a\\qb"', 9, 'an escape (\\\\, \\", \\\', \\n, \\r, \\t, \\uXXXX, \\u{X…}; no NUL)', `expected an escape (\\\\, \\", \\', \\n, \\r, \\t, \\uXXXX, \\u{X…}; no NUL) at 9, found '\\q'`],
  ['name = "\\u0000"', 8, 'an escape (\\\\, \\", \\\', \\n, \\r, \\t, \\uXXXX, \\u{X…}; no NUL)', `expected an escape (\\\\, \\", \\', \\n, \\r, \\t, \\uXXXX, \\u{X…}; no NUL) at 8, found '\\u'`],
  ['name = "a\u0000"', 9, 'a character other than NUL', 'expected a character other than NUL at 9, found NUL'],
  ['name ~ /abc', 11, "'/'", "expected '/' at 11, found end of input; the regex opened at 7 is not closed"],
  ['name ~ /abc/g', 12, "a regex flag ('i', once)", "expected a regex flag ('i', once) at 12, found 'g'"],
  ['name ~ /abc/ii', 13, "a regex flag ('i', once)", "expected a regex flag ('i', once) at 13, found 'i'"],
  ['name ~ /(?=x)/', 7, 'a valid, portable regular expression', "expected a valid, portable regular expression after '~' at 7, found '/(?=x)/'; (?…) groups other than (?:…) are not portable between ClickHouse and Postgres"],
  ['name ~ /(/', 7, 'a valid, portable regular expression', "expected a valid, portable regular expression after '~' at 7, found '/(/'; Unterminated group"],
  ['name ~ /(a)\\1/', 7, 'a valid, portable regular expression', "expected a valid, portable regular expression after '~' at 7, found '/(a)\\1/'; \\1 is not portable between ClickHouse and Postgres"],
  ['name ~ 5', 7, 'a glob ("resnet-*") or a regex (/res.*/i)', `expected a glob ("resnet-*") or a regex (/res.*/i) after '~' at 7, found '5'`],
  ['tags = "x"', 5, 'an operator (has, in, not in, ~, !~)', "expected an operator (has, in, not in, ~, !~) after 'tags' at 5, found '='"],
  ['name has "x"', 5, 'an operator (=, !=, <, <=, >, >=, in, not in, ~, !~)', "expected an operator (=, !=, <, <=, >, >=, in, not in, ~, !~) after 'name' at 5, found 'has'"],
  ['created ~ "x"', 8, 'an operator (=, !=, <, <=, >, >=)', "expected an operator (=, !=, <, <=, >, >=) after 'created' at 8, found '~'"],
  ['summary.l.last ~ "x"', 15, 'an operator (=, !=, <, <=, >, >=, in, not in)', "expected an operator (=, !=, <, <=, >, >=, in, not in) after 'summary.l.last' at 15, found '~'"],
  ['name', 4, 'an operator (=, !=, <, <=, >, >=, in, not in, ~, !~)', "expected an operator (=, !=, <, <=, >, >=, in, not in, ~, !~) after 'name' at 4, found end of input"],
  ['duration > 5', 11, 'a duration (90s, 5m, 1h30m)', "expected a duration (90s, 5m, 1h30m) after '>' at 11, found '5'"],
  ['duration > -5m', 11, 'a duration (90s, 5m, 1h30m; never negative)', "expected a duration (90s, 5m, 1h30m; never negative) after '>' at 11, found '-5m'"],
  ['duration > 30m1h', 11, 'duration units once each, largest first (w, d, h, m, s, ms)', "expected duration units once each, largest first (w, d, h, m, s, ms) at 11, found '30m1h'"],
  ['duration > 100001d', 11, 'a duration of at most 100000d', "expected a duration of at most 100000d at 11, found '100001d'"],
  ['created > 7d', 10, 'a date or a past relative time (-7d: seven days ago)', "expected a date or a past relative time (-7d: seven days ago) after '>' at 10, found '7d'"],
  ['created > "yesterday"', 10, 'an ISO-8601 date ("2026-11-01", "2026-11-01T12:00:00Z", "2026-11-01T12:00:00+02:00")', `expected an ISO-8601 date ("2026-11-01", "2026-11-01T12:00:00Z", "2026-11-01T12:00:00+02:00") after '>' at 10, found '"yesterday"'`],
  ['created > "2026-02-29"', 10, 'an ISO-8601 date ("2026-11-01", "2026-11-01T12:00:00Z", "2026-11-01T12:00:00+02:00")', `expected an ISO-8601 date ("2026-11-01", "2026-11-01T12:00:00Z", "2026-11-01T12:00:00+02:00") after '>' at 10, found '"2026-02-29"'`],
  ['created = null', 10, 'a date ("2026-11-01", "2026-11-01T12:00:00Z") or a relative time (-7d)', `expected a date ("2026-11-01", "2026-11-01T12:00:00Z") or a relative time (-7d) after '=' at 10, found 'null'`],
  ['config.x < true', 11, 'a string or a number', "expected a string or a number after '<' at 11, found 'true'"],
  ['config.x > null', 11, 'a string or a number', "expected a string or a number after '>' at 11, found 'null'"],
  ['config.x = 1x', 11, 'a number or a duration (90s, 5m, 1h30m)', "expected a number or a duration (90s, 5m, 1h30m) at 11, found '1x'"],
  ['config.x = 1.', 11, 'a number or a duration (90s, 5m, 1h30m)', "expected a number or a duration (90s, 5m, 1h30m) at 11, found '1.'"],
  ['config.x = 1e999', 11, 'a number within ±1.8e308', "expected a number within ±1.8e308 at 11, found '1e999'"],
  ['config.x = - 1', 11, 'a string, number, true, false or null', "expected a string, number, true, false or null after '=' at 11, found '-'"],
  ['summary.l.last = "x"', 17, 'a number or null', `expected a number or null after '=' at 17, found '"x"'`],
  ['group < null', 8, 'a string', "expected a string after '<' at 8, found 'null'"],
  ['name in ()', 9, 'a string', "expected a string after '(' at 9, found ')'"],
  ['name in ("a" "b")', 13, "',' or ')'", `expected ',' or ')' after '"a"' at 13, found '"b"'`],
  ['name in ("a",)', 13, 'a string', "expected a string after ',' at 13, found ')'"],
  ['name in "a"', 8, "'(' to start the list", `expected '(' to start the list after 'in' at 8, found '"a"'`],
  ['name not "a"', 9, "'in'", `expected 'in' after 'not' at 9, found '"a"'`],
  ['tags has 1', 9, 'a string (tags has "baseline")', `expected a string (tags has "baseline") after 'has' at 9, found '1'`],
  ['name = "a" # comment', 11, "'and', 'or' or end of input", `expected 'and', 'or' or end of input after '"a"' at 11, found '#'`],
  ['name = "a" ∧ name = "b"', 11, "'and', 'or' or end of input", `expected 'and', 'or' or end of input after '"a"' at 11, found '∧'`],
  ['name = "a" 😀', 11, "'and', 'or' or end of input", `expected 'and', 'or' or end of input after '"a"' at 11, found '😀'`],
  ['name = 123456789012345678901234567890', 7, 'a string', "expected a string after '=' at 7, found '123456789012345678901234…'"],
];

for (const [input, position, expected, message] of CASES) {
  t.test(JSON.stringify(input), async (t) => {
    t.same(error(input), { position, expected, message });
  });
}

t.test('nesting deeper than 32 levels is refused at the 33rd level', async (t) => {
  const deep = (n: number): string => `${'('.repeat(n)}name = "a"${')'.repeat(n)}`;
  t.ok(parseFilter(deep(32)).ok);
  t.same(error(deep(33)), {
    position: 32,
    expected: "at most 32 levels of nesting (parentheses and 'not')",
    message: "expected at most 32 levels of nesting (parentheses and 'not') after '(' at 32, found '('",
  });
  t.ok(parseFilter(`${'not '.repeat(32)}name = "a"`).ok);
  t.equal(error(`${'not '.repeat(33)}name = "a"`)?.position, 128);
  t.equal(error(`${'not ('.repeat(17)}name = "a"${')'.repeat(17)}`)?.position, 5 * 16, 'not and ( count together: the 17th not is the 33rd level');
});

t.test('input longer than 4096 characters is refused before parsing', async (t) => {
  const fits = `name = "${'a'.repeat(4096 - 9)}"`;
  t.equal(fits.length, 4096);
  t.ok(parseFilter(fits).ok);
  t.same(error(`${fits} `), { position: 4096, expected: 'at most 4096 characters', message: 'expected at most 4096 characters at 4096, found 4097 characters' });
});

t.test('an in list holds at most 1000 values', async (t) => {
  const list = (n: number): string => `name in (${Array.from({ length: n }, () => '"a"').join(',')})`;
  t.ok(parseFilter(list(1000)).ok);
  t.same(error(list(1001)), {
    position: 9 + 4 * 1000,
    expected: 'at most 1000 values in the list',
    message: `expected at most 1000 values in the list after ',' at ${9 + 4 * 1000}, found '"a"'`,
  });
});

t.test('every error position is inside the input and named in the message', async (t) => {
  for (const [input] of CASES) {
    const e = error(input);
    t.ok(e !== undefined && e.position >= 0 && e.position <= input.length && e.message.includes(` at ${e.position}`), input);
  }
});
