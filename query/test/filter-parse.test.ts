/** The filter parser, construct by construct: exact ASTs, spans included. */
import type { Expr, Field, Filter, Literal } from '@mlrun/storage';
import type { Test } from 'tap';
import t from 'tap';
import { parseFilter } from '../src/index.js';

const sp = (start: number, end: number) => ({ start, end });

function ast(t: Test, text: string): Filter {
  const r = parseFilter(text);
  if (!r.ok) {
    t.fail(`${text}: ${r.error.message}`);
    return null;
  }
  return r.ast;
}

const name = (start = 0): Field => ({ kind: 'name', span: sp(start, start + 4) });
const strAt = (value: string, start: number, end: number): Literal => ({ type: 'string', value, span: sp(start, end) });
const nameEq = (value: string, start: number): Expr => {
  const lit = start + 7;
  return { kind: 'compare', field: name(start), op: '=', value: strAt(value, lit, lit + value.length + 2), span: sp(start, lit + value.length + 2) };
};

t.test('a comparison', async (t) => {
  t.same(ast(t, 'name = "a"'), nameEq('a', 0));
  t.same(ast(t, 'name == "a"'), { kind: 'compare', field: name(), op: '=', value: strAt('a', 8, 11), span: sp(0, 11) }, '== is =');
  t.same(ast(t, '  name = "a"\n'), { ...nameEq('a', 2) }, 'surrounding whitespace');
});

t.test('every comparison operator', async (t) => {
  for (const op of ['=', '!=', '<', '<=', '>', '>='] as const) {
    const text = `config.x ${op} 1`;
    const at = 10 + op.length;
    t.same(ast(t, text), {
      kind: 'compare',
      field: { kind: 'config', path: ['x'], span: sp(0, 8) },
      op,
      value: { type: 'number', value: 1, span: sp(at, at + 1) },
      span: sp(0, at + 1),
    }, op);
  }
});

t.test('the empty filter is null', async (t) => {
  t.equal(ast(t, ''), null);
  t.equal(ast(t, ' \t\r\n '), null);
});

t.test('precedence: or < and < not < comparison', async (t) => {
  const a = nameEq('a', 0);
  t.same(ast(t, 'name = "a" or name = "b" and name = "c"'), {
    kind: 'or',
    operands: [a, { kind: 'and', operands: [nameEq('b', 14), nameEq('c', 29)], span: sp(14, 39) }],
    span: sp(0, 39),
  });
  t.same(ast(t, 'not name = "a" and name = "b"'), {
    kind: 'and',
    operands: [{ kind: 'not', operand: nameEq('a', 4), span: sp(0, 14) }, nameEq('b', 19)],
    span: sp(0, 29),
  });
  t.same(ast(t, '(name = "a" or name = "b") and name = "c"'), {
    kind: 'and',
    operands: [{ kind: 'or', operands: [nameEq('a', 1), nameEq('b', 15)], span: sp(1, 25) }, nameEq('c', 31)],
    span: sp(0 + 1, 41),
  });
  t.same(ast(t, 'not (name = "a" or name = "b")'), {
    kind: 'not',
    operand: { kind: 'or', operands: [nameEq('a', 5), nameEq('b', 19)], span: sp(5, 29) },
    span: sp(0, 29),
  });
});

t.test('chains are one n-ary node; parentheses add no node', async (t) => {
  t.same(ast(t, 'name = "a" and name = "b" and name = "c"'), {
    kind: 'and',
    operands: [nameEq('a', 0), nameEq('b', 15), nameEq('c', 30)],
    span: sp(0, 40),
  });
  t.same(ast(t, '((name = "a"))'), nameEq('a', 2));
  t.same(ast(t, 'not not name = "a"'), {
    kind: 'not',
    operand: { kind: 'not', operand: nameEq('a', 8), span: sp(4, 18) },
    span: sp(0, 18),
  });
});

t.test('keywords are case-insensitive; fields are not', async (t) => {
  t.same(ast(t, 'name = "a" OR name = "b"'), { kind: 'or', operands: [nameEq('a', 0), nameEq('b', 14)], span: sp(0, 24) });
  t.same(ast(t, 'NOT name = "a"'), { kind: 'not', operand: nameEq('a', 4), span: sp(0, 14) });
  t.equal(parseFilter('Name = "a"').ok, false);
});

t.test('fields', async (t) => {
  const field = (text: string): Field | undefined => {
    const e = ast(t, `${text} = null`);
    return e?.kind === 'compare' ? e.field : undefined;
  };
  t.same(field('group'), { kind: 'group', span: sp(0, 5) });
  t.same(field('config.optimizer.lr'), { kind: 'config', path: ['optimizer', 'lr'], span: sp(0, 19) });
  t.same(field('config."learning rate"'), { kind: 'config', path: ['learning rate'], span: sp(0, 22) });
  t.same(field("config.'a.b'.c"), { kind: 'config', path: ['a.b', 'c'], span: sp(0, 14) });
  t.same(field('config.a-b.c_d.0'), { kind: 'config', path: ['a-b', 'c_d', '0'], span: sp(0, 16) });
  t.same(field('config."名前"'), { kind: 'config', path: ['名前'], span: sp(0, 11) });
  t.same(field('summary.loss.last'), { kind: 'summary', key: 'loss', stat: 'last', span: sp(0, 17) });
  t.same(field('summary.train/loss.min'), { kind: 'summary', key: 'train/loss', stat: 'min', span: sp(0, 22) });
  t.same(field('summary."eval/acc@1".max'), { kind: 'summary', key: 'eval/acc@1', stat: 'max', span: sp(0, 24) });
  t.same(field('summary.train.loss.count'), { kind: 'summary', key: 'train.loss', stat: 'count', span: sp(0, 24) });
  t.same(field('summary."train.loss".count'), { kind: 'summary', key: 'train.loss', stat: 'count', span: sp(0, 26) });
});

function value(t: Test, text: string, prefix = 'config.x = '): Literal | undefined {
  const e = ast(t, `${prefix}${text}`);
  return e?.kind === 'compare' ? e.value : undefined;
}

t.test('strings: double or single quotes, escapes', async (t) => {
  const s = (text: string, v: string) => t.same(value(t, text), { type: 'string', value: v, span: sp(11, 11 + text.length) }, text);
  s('"abc"', 'abc');
  s("'abc'", 'abc');
  s('""', '');
  s('"it\'s"', "it's");
  s("'say \"hi\"'", 'say "hi"');
  s('"a\\"b\\\\c"', 'a"b\\c');
  s("'a\\'b'", "a'b");
  s('"\\n\\r\\t\\/"', '\n\r\t/');
  s('"\\u00e9\\u{1F600}"', 'é😀');
  s('"raw\nnewline"', 'raw\nnewline');
  s('"; DROP TABLE runs; --"', '; DROP TABLE runs; --');
});

t.test('numbers: int, float, exponent, negative', async (t) => {
  const n = (text: string, v: number) => t.same(value(t, text), { type: 'number', value: v, span: sp(11, 11 + text.length) }, text);
  n('0', 0);
  n('42', 42);
  n('-1', -1);
  n('1.5', 1.5);
  n('.5', 0.5);
  n('-.5', -0.5);
  n('1e-3', 0.001);
  n('1E+3', 1000);
  n('-2.5e-3', -0.0025);
  n('12345678901234567890', Number('12345678901234567890'));
});

t.test('booleans and null, any case', async (t) => {
  t.same(value(t, 'true'), { type: 'boolean', value: true, span: sp(11, 15) });
  t.same(value(t, 'FALSE'), { type: 'boolean', value: false, span: sp(11, 16) });
  t.same(value(t, 'Null'), { type: 'null', value: null, span: sp(11, 15) });
});

t.test('durations', async (t) => {
  const d = (text: string, ms: number) => t.same(value(t, text, 'duration > '), { type: 'duration', value: ms, span: sp(11, 11 + text.length) }, text);
  d('100ms', 100);
  d('300s', 300_000);
  d('5m', 300_000);
  d('2h', 7_200_000);
  d('1h30m', 5_400_000);
  d('1.5h', 5_400_000);
  d('2w1d', 15 * 86_400_000);
  d('1d2h3m4s5ms', 93_784_005);
  t.same(value(t, 'null', 'duration = '), { type: 'null', value: null, span: sp(11, 15) });
});

t.test('created: ISO-8601 dates (UTC unless zoned) and relative times', async (t) => {
  const c = (text: string, iso: string) => t.same(value(t, text, 'created > '), { type: 'timestamp', value: Date.parse(iso), span: sp(10, 10 + text.length) }, text);
  c('"2026-11-01"', '2026-11-01T00:00:00.000Z');
  c('"2026-11-01T12:30"', '2026-11-01T12:30:00.000Z');
  c('"2026-11-01 12:30:05"', '2026-11-01T12:30:05.000Z');
  c('"2026-11-01T12:30:05.25Z"', '2026-11-01T12:30:05.250Z');
  c("'2026-11-01T12:30:00+02:00'", '2026-11-01T10:30:00.000Z');
  c('"2026-11-01T12:30:00.123456789-0530"', '2026-11-01T18:00:00.123Z');
  c('"2024-02-29"', '2024-02-29T00:00:00.000Z');
  t.same(value(t, '-7d', 'created > '), { type: 'relative-time', value: -7 * 86_400_000, span: sp(10, 13) });
  t.same(value(t, '-1h30m', 'created >= '), { type: 'relative-time', value: -5_400_000, span: sp(11, 17) });
});

t.test('in and not in', async (t) => {
  t.same(ast(t, `status in ("failed", 'crashed')`), {
    kind: 'in',
    field: { kind: 'status', span: sp(0, 6) },
    values: [strAt('failed', 11, 19), strAt('crashed', 21, 30)],
    negated: false,
    span: sp(0, 31),
  });
  t.same(ast(t, 'config.k not in (1, "x", true, null)'), {
    kind: 'in',
    field: { kind: 'config', path: ['k'], span: sp(0, 8) },
    values: [
      { type: 'number', value: 1, span: sp(17, 18) },
      strAt('x', 20, 23),
      { type: 'boolean', value: true, span: sp(25, 29) },
      { type: 'null', value: null, span: sp(31, 35) },
    ],
    negated: true,
    span: sp(0, 36),
  });
  t.same(ast(t, 'tags in ("a")'), { kind: 'in', field: { kind: 'tags', span: sp(0, 4) }, values: [strAt('a', 9, 12)], negated: false, span: sp(0, 13) });
  t.same(ast(t, 'summary.loss.last IN (0.1,0.2)'), {
    kind: 'in',
    field: { kind: 'summary', key: 'loss', stat: 'last', span: sp(0, 17) },
    values: [{ type: 'number', value: 0.1, span: sp(22, 25) }, { type: 'number', value: 0.2, span: sp(26, 29) }],
    negated: false,
    span: sp(0, 30),
  });
});

t.test('tags has', async (t) => {
  t.same(ast(t, 'tags has "baseline"'), { kind: 'has', field: { kind: 'tags', span: sp(0, 4) }, value: strAt('baseline', 9, 19), span: sp(0, 19) });
  t.same(ast(t, 'not tags HAS "x"'), {
    kind: 'not',
    operand: { kind: 'has', field: { kind: 'tags', span: sp(4, 8) }, value: strAt('x', 13, 16), span: sp(4, 16) },
    span: sp(0, 16),
  });
});

t.test('~ and !~: strings are globs, /…/ are regexes', async (t) => {
  t.same(ast(t, 'name ~ "resnet-*"'), { kind: 'match', field: name(), pattern: { type: 'glob', value: 'resnet-*', span: sp(7, 17) }, negated: false, span: sp(0, 17) });
  t.same(ast(t, 'name ~ /res.*/i'), { kind: 'match', field: name(), pattern: { type: 'regex', source: 'res.*', caseInsensitive: true, span: sp(7, 15) }, negated: false, span: sp(0, 15) });
  t.same(ast(t, 'name !~ /a\\/b[/]\\d/'), {
    kind: 'match',
    field: name(),
    pattern: { type: 'regex', source: 'a/b[/]\\d', caseInsensitive: false, span: sp(8, 19) },
    negated: true,
    span: sp(0, 19),
  });
  t.same(ast(t, 'tags~"t*"'), { kind: 'match', field: { kind: 'tags', span: sp(0, 4) }, pattern: { type: 'glob', value: 't*', span: sp(5, 9) }, negated: false, span: sp(0, 9) });
  t.same(ast(t, 'config.arch ~ "vit*"'), {
    kind: 'match',
    field: { kind: 'config', path: ['arch'], span: sp(0, 11) },
    pattern: { type: 'glob', value: 'vit*', span: sp(14, 20) },
    negated: false,
    span: sp(0, 20),
  });
});

t.test('no whitespace needed around operators', async (t) => {
  t.same(ast(t, 'config.lr<1e-3'), {
    kind: 'compare',
    field: { kind: 'config', path: ['lr'], span: sp(0, 9) },
    op: '<',
    value: { type: 'number', value: 0.001, span: sp(10, 14) },
    span: sp(0, 14),
  });
  t.same(ast(t, 'created>-7d'), {
    kind: 'compare',
    field: { kind: 'created', span: sp(0, 7) },
    op: '>',
    value: { type: 'relative-time', value: -604_800_000, span: sp(8, 11) },
    span: sp(0, 11),
  });
});

t.test('the issue’s examples parse', async (t) => {
  for (const text of [
    'config.optimizer.lr < 1e-3 and tags has "baseline"',
    'summary.val/loss.last < 0.3',
    'status in ("failed", "crashed")',
    'name ~ "resnet-*"',
    'duration > 2h',
    'created > "2026-11-01"',
    'summary."eval/acc@1".max >= 0.9 or (group = "vit" and not config.use_amp = true)',
  ]) {
    t.ok(parseFilter(text).ok, text);
  }
});
