/**
 * Property test over random and hostile input (seeded, so every run checks the same inputs):
 * - parseFilter / parseSort never throw; every failure has a position inside the input, named in its message;
 * - every successful parse compiles in both dialects, and the SQL text depends only on the AST's shape:
 *   recompiling with every value, config path and summary key replaced gives the same SQL, so no value
 *   reaches SQL; the SQL holds only allow-listed words, fixed string literals and placeholders; and no
 *   string value appears in it verbatim.
 */
import type { CompiledSql, Expr, Field, Filter, Literal, Pattern, SortSpec } from '@mlrun/storage';
import { CLICKHOUSE_RUNS_TARGET, POSTGRES_RUNS_TARGET, compileFilter, compileSort } from '@mlrun/storage';
import t from 'tap';
import type { FilterError } from '../src/index.js';
import { parseFilter, parseSort } from '../src/index.js';
import { seeded } from './fixtures/random.js';

const { rand, int, pick } = seeded(20261125);

const HOSTILE = [
  "'; DROP TABLE runs; --",
  '" OR 1=1 --',
  "') OR ('1'='1",
  '{f0:String}',
  '$1',
  '`group`',
  '*/ SELECT 1 /*',
  '\\',
  '%_',
  'x'.repeat(200),
  'line\nbreak\ttab',
  '名前 🚀 é',
  '\ud800',
  "a'b\"c",
  'NULL',
  '',
  'resnet-*',
  'a?b',
  '1e308',
];
const WORDS = ['lr', 'optimizer', 'a-b', 'x/y', '_k', '0', 'batch_size', 'eval/acc-1'];

/** A string literal in filter syntax (the lexer's escapes). */
function quoteString(s: string): string {
  const body = [...s].map((ch) => {
    if (ch === '\\') return '\\\\';
    if (ch === '"') return '\\"';
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20) return `\\u${code.toString(16).padStart(4, '0')}`;
    if (ch.length === 1 && code >= 0xd800 && code <= 0xdfff) return `\\u${code.toString(16)}`;
    return ch;
  });
  return rand() < 0.5 ? `"${body.join('')}"` : `'${body.join('').replaceAll("'", "\\'").replaceAll('\\"', '"')}'`;
}

const segment = (): string => (rand() < 0.6 ? pick(WORDS) : quoteString(pick(HOSTILE)));
const genField = (): string => {
  const roll = int(10);
  if (roll < 3) return `config.${Array.from({ length: 1 + int(3) }, segment).join('.')}`;
  if (roll < 5) return `summary.${segment()}.${pick(['last', 'min', 'max', 'count', 'avg'])}`;
  return pick(['name', 'status', 'group', 'tags', 'created', 'duration']);
};
const NUMBERS = ['0', '-1', '1e-300', '1.7976931348623157e308', '12345678901234567890', '-0.5', '.25', '3.14', '1E+3'];
const genValue = (): string => {
  const roll = int(9);
  if (roll < 3) return quoteString(pick(HOSTILE));
  if (roll < 5) return pick(NUMBERS);
  if (roll < 6) return pick(['1h30m', '5m', '300s', '100000d', '0.5ms', '-7d', '-1h']);
  if (roll < 7) return pick(['"2026-11-01"', '"2026-11-01T12:00:00+02:00"', "'2024-02-29 23:59:59.999Z'"]);
  return pick(['true', 'false', 'null', 'TRUE', 'Null']);
};
const genPattern = (): string =>
  rand() < 0.5 ? quoteString(pick(HOSTILE)) : `/${pick(['^a.*', 'res(net)?-\\d+', '[a-z]+', 'a\\/b', "x'y", '; DROP', '(?:a|b)'])}/${rand() < 0.3 ? 'i' : ''}`;

const STRING_OPS = ['=', '==', '!=', '<', '<=', '>', '>='];
const list = (gen: () => string): string => `(${Array.from({ length: 1 + int(4) }, gen).join(', ')})`;
const str = (): string => quoteString(pick(HOSTILE));

/** A predicate whose operator and values fit its field (mostly parses). */
function typedPredicate(): string {
  const f = genField();
  const kind = f.split('.')[0] ?? '';
  switch (kind) {
    case 'tags':
      return pick([`tags has ${str()}`, `tags in ${list(str)}`, `tags not in ${list(str)}`, `tags ${pick(['~', '!~'])} ${genPattern()}`]);
    case 'created':
      return `created ${pick(STRING_OPS)} ${pick(['"2026-11-01"', '"2026-11-01T12:00:00+02:00"', '-7d', '-1h30m'])}`;
    case 'duration':
      return `duration ${pick(STRING_OPS)} ${pick(['1h30m', '5m', '300s', '0.5ms'])}`;
    case 'summary':
      return rand() < 0.7 ? `${f} ${pick(STRING_OPS)} ${pick(NUMBERS)}` : `${f} in ${list(() => pick(NUMBERS))}`;
    case 'config':
      return pick([`${f} ${pick(['=', '!='])} ${genValue()}`, `${f} ${pick(['<', '>='])} ${pick([str(), pick(NUMBERS)])}`, `${f} not in ${list(genValue)}`, `${f} ~ ${genPattern()}`]);
    default:
      return pick([`${kind} ${pick(STRING_OPS)} ${str()}`, `${kind} in ${list(str)}`, `${kind} !~ ${genPattern()}`]);
  }
}

function genPredicate(): string {
  if (rand() < 0.8) return typedPredicate();
  const f = genField();
  const roll = int(10);
  if (roll < 5) return `${f} ${pick(STRING_OPS)} ${genValue()}`;
  if (roll < 7) return `${f} ${pick(['in', 'not in', 'IN'])} ${list(genValue)}`;
  if (roll < 8) return `${f} has ${genValue()}`;
  return `${f} ${pick(['~', '!~'])} ${genPattern()}`;
}

function genExpr(depth: number): string {
  const roll = depth > 3 ? 0 : int(10);
  if (roll < 5) return genPredicate();
  if (roll < 7) return Array.from({ length: 2 + int(2) }, () => genExpr(depth + 1)).join(pick([' and ', ' or ', ' AND ']));
  if (roll < 8) return `not ${genExpr(depth + 1)}`;
  return `(${genExpr(depth + 1)})`;
}

function mutate(s: string): string {
  let out = s;
  for (let i = 0, n = 1 + int(3); i < n; i++) {
    const at = int(out.length + 1);
    const roll = int(4);
    if (roll === 0) out = out.slice(0, at) + out.slice(at + 1 + int(3));
    else if (roll === 1) out = out.slice(0, at) + pick(['(', ')', '"', "'", '\\', '/', ',', '.', '-', ' not ', ' and ', '~', '!', '\u0000', '=', 'in']) + out.slice(at);
    else if (roll === 2) out = out.slice(0, at);
    else out = out.slice(0, at) + String.fromCharCode(int(0x80)) + out.slice(at + 1);
  }
  return out;
}

function randomText(): string {
  const n = int(40);
  return Array.from({ length: n }, () => (rand() < 0.7 ? String.fromCharCode(0x20 + int(0x5f)) : String.fromCharCode(int(0x10000)))).join('');
}

const CORPUS = [
  "'; DROP TABLE runs; --",
  "name = ''; DROP TABLE runs; --'",
  'name = "x" or 1=1',
  `${'('.repeat(5000)}`,
  `${'('.repeat(40)}name = "a"${')'.repeat(40)}`,
  `${'not '.repeat(1000)}name = "a"`,
  `config.x = ${'9'.repeat(400)}`,
  `config.x = 1e${'9'.repeat(20)}`,
  `config.x = -${'0'.repeat(300)}.${'0'.repeat(300)}1`,
  `name in (${'"a",'.repeat(2000)}"a")`,
  'config."\\u{10FFFF}" = "\\u{110000}"',
  'name ~ /[/',
  'name ~ /\\',
  'summary."".last = 1',
  'config."" = ""',
  '\u0000',
  '\ufeffname = "a"',
  'name = "a"\u2028or name = "b"',
];

const VOCABULARY = new Set(
  (
    'true false NULL NOT AND OR IS IN LIKE ANY ARRAY CASE WHEN THEN END ELSE EXISTS SELECT FROM WHERE AS COLLATE ASC DESC NULLS LAST ' +
    'coalesce if has hasAny arrayExists match mapContains tupleElement multiIf JSONType JSONExtractString JSONExtractFloat JSONExtractBool ' +
    'fromUnixTimestamp64Milli nullIf unnest jsonb_typeof numeric boolean text name status tags created duration_ms config summary tag_ v 0 1 2 3'
  ).split(' '),
);
const LITERALS = new Set(["'Int64'", "'UInt64'", "'Double'", "'String'", "'Bool'", "'Null'", "'number'", "'string'", "'boolean'", "'null'", "'last'", "'min'", "'max'", "'count'", "''"]);
const QUOTED = new Set(['"group"', '"C"', '`group`']);
const TOKEN = /\s+|'[^']*'|"[^"]*"|`[^`]*`|[A-Za-z_][A-Za-z0-9_]*|\d+|<=|>=|!=|->>|->|#>>|#>|~\*|::|&&|@>|[=<>~(),[\].]/y;
const PLACEHOLDER = /\{[a-z]\d+:[A-Za-z0-9(), ]+\}|\$\d+::[a-z0-9[\]]+/g;

/** The first token of the SQL that is not allow-listed, or null. */
function foreignToken(sql: string): string | null {
  const skeleton = sql.replace(PLACEHOLDER, ' ');
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < skeleton.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(skeleton);
    if (m === null) return skeleton.slice(at, at + 20);
    const tok = m[0];
    if (/^\s/.test(tok)) continue;
    if (tok.startsWith("'") && !LITERALS.has(tok)) return tok;
    if ((tok.startsWith('"') || tok.startsWith('`')) && !QUOTED.has(tok)) return tok;
    if (/^[A-Za-z_0-9]/.test(tok) && !VOCABULARY.has(tok)) return tok;
  }
  return null;
}

const neutralLiteral = (l: Literal): Literal => {
  switch (l.type) {
    case 'string':
      return { ...l, value: 'v' };
    case 'boolean':
    case 'null':
      return l;
    case 'relative-time':
      return { ...l, value: -1 };
    default:
      return { ...l, value: 0 };
  }
};
const neutralField = (f: Field): Field => (f.kind === 'config' ? { ...f, path: f.path.map(() => 'k') } : f.kind === 'summary' ? { ...f, key: 'k' } : f);
const neutralPattern = (p: Pattern): Pattern => (p.type === 'glob' ? { ...p, value: 'g' } : { ...p, source: 'r' });

/** The same AST with every value, config path segment and summary key replaced by a fixed one. */
function neutral(e: Expr): Expr {
  switch (e.kind) {
    case 'and':
    case 'or':
      return { ...e, operands: e.operands.map(neutral) };
    case 'not':
      return { ...e, operand: neutral(e.operand) };
    case 'compare':
    case 'has':
      return { ...e, field: neutralField(e.field), value: neutralLiteral(e.value) };
    case 'in':
      return { ...e, field: neutralField(e.field), values: e.values.map(neutralLiteral) };
    case 'match':
      return { ...e, field: neutralField(e.field), pattern: neutralPattern(e.pattern) };
  }
}

function strings(e: Expr): string[] {
  switch (e.kind) {
    case 'and':
    case 'or':
      return e.operands.flatMap(strings);
    case 'not':
      return strings(e.operand);
    default: {
      const f = e.field.kind === 'config' ? [...e.field.path] : e.field.kind === 'summary' ? [e.field.key] : [];
      const values = e.kind === 'in' ? e.values : e.kind === 'match' ? [] : [e.value];
      const pattern = e.kind === 'match' ? [e.pattern.type === 'glob' ? e.pattern.value : e.pattern.source] : [];
      return [...f, ...values.flatMap((l) => (l.type === 'string' ? [l.value] : [])), ...pattern];
    }
  }
}

const stats = { inputs: 0, parsed: 0, failed: 0 };
/** Every violated property, as a sentence; asserted empty at the end of each test. */
const problems: string[] = [];

function checkError(input: string, error: FilterError): void {
  stats.failed++;
  if (!(error.position >= 0 && error.position <= input.length && error.message.includes(` at ${error.position}`) && error.expected !== '')) {
    problems.push(`bad error for ${JSON.stringify(input)}: ${JSON.stringify(error)}`);
  }
}

function checkSql(input: string, compiled: CompiledSql, neutralSql: string, values: readonly string[]): void {
  const foreign = foreignToken(compiled.sql);
  if (foreign !== null) problems.push(`foreign token ${JSON.stringify(foreign)} in SQL for ${JSON.stringify(input)}: ${compiled.sql}`);
  if (compiled.sql !== neutralSql) problems.push(`SQL depends on values for ${JSON.stringify(input)}`);
  const leaked = values.find((v) => v.length >= 3 && !neutralSql.includes(v) && compiled.sql.includes(v));
  if (leaked !== undefined) problems.push(`value ${JSON.stringify(leaked)} appears in SQL for ${JSON.stringify(input)}`);
}

function checkFilter(input: string): void {
  stats.inputs++;
  let result: ReturnType<typeof parseFilter>;
  try {
    result = parseFilter(input);
  } catch (error) {
    problems.push(`parseFilter threw for ${JSON.stringify(input)}: ${String(error)}`);
    return;
  }
  if (!result.ok) return checkError(input, result.error);
  stats.parsed++;
  const ast: Filter = result.ast;
  for (const target of [CLICKHOUSE_RUNS_TARGET, POSTGRES_RUNS_TARGET]) {
    try {
      const compiled = compileFilter(ast, target, { now: 0 });
      const neutralSql = ast === null ? compiled.sql : compileFilter(neutral(ast), target, { now: 0 }).sql;
      checkSql(input, compiled, neutralSql, ast === null ? [] : strings(ast));
    } catch (error) {
      problems.push(`compile (${target.dialect.name}) threw for ${JSON.stringify(input)}: ${String(error)}`);
    }
  }
}

function checkSort(input: string): void {
  let result: ReturnType<typeof parseSort>;
  try {
    result = parseSort(input);
  } catch (error) {
    problems.push(`parseSort threw for ${JSON.stringify(input)}: ${String(error)}`);
    return;
  }
  if (!result.ok) return checkError(input, result.error);
  const sort: SortSpec = result.sort;
  const neutralSort = sort.map((k) => ({ ...k, field: neutralField(k.field) }));
  const keys = sort.flatMap((k) => (k.field.kind === 'config' ? k.field.path : k.field.kind === 'summary' ? [k.field.key] : []));
  for (const target of [CLICKHOUSE_RUNS_TARGET, POSTGRES_RUNS_TARGET]) {
    checkSql(input, compileSort(sort, target), compileSort(neutralSort, target).sql, keys);
  }
}

t.test('generated filters, their mutations, random text and a hostile corpus', async (t) => {
  for (const input of CORPUS) checkFilter(input);
  for (let i = 0; i < 3000; i++) {
    const valid = genExpr(0);
    checkFilter(valid);
    checkFilter(mutate(valid));
  }
  for (let i = 0; i < 1500; i++) checkFilter(randomText());
  t.same(problems.slice(0, 20), [], `no property violated over ${stats.inputs} filters`);
  t.ok(stats.parsed > 1500 && stats.failed > 1500, `both outcomes are exercised: ${JSON.stringify(stats)}`);
});

t.test('sort specs: generated, mutated and random', async (t) => {
  const gen = (): string => Array.from({ length: 1 + int(4) }, () => `${pick(['', '-', '+', ' - '])}${genField()}`).join(pick([',', ', ', ' ,']));
  for (let i = 0; i < 1500; i++) {
    const valid = gen();
    checkSort(valid);
    checkSort(mutate(valid));
    checkSort(randomText());
  }
  t.same(problems.slice(0, 20), [], 'no property violated over 4500 sort specs');
});
