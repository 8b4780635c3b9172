import t from 'tap';
import { describePgError, lineAndColumn } from '../src/postgres/client.js';
import { describeUrl } from '../src/postgres/server.js';
import { PARSERS, parserFor, parseTimestamptz, serializeParams } from '../src/postgres/types.js';

t.test('parameters become Postgres text, the same for both drivers', async (t) => {
  t.same(serializeParams(['a', 1.5, -0, 12n, true, false, null, new Date('2026-01-02T03:04:05.678Z')], 'q'), [
    'a',
    '1.5',
    '0',
    '12',
    'true',
    'false',
    null,
    '2026-01-02T03:04:05.678Z',
  ]);
  t.same(serializeParams([NaN, Infinity, -Infinity, 1e21, 2 ** 53 + 2], 'q'), ['NaN', 'Infinity', '-Infinity', '1e+21', '9007199254740994']);
  t.same(serializeParams([['plain', 'a"b', 'c\\d', '', null, 'x,y', '{z}', 'NULL']], 'q'), ['{"plain","a\\"b","c\\\\d","",NULL,"x,y","{z}","NULL"}']);
  t.same(serializeParams([[], [1, 2n, true]], 'q'), ['{}', '{"1","2","true"}']);
});

t.test('values that have no Postgres text are refused, naming the parameter', async (t) => {
  t.throws(() => serializeParams(['ok', undefined as unknown as null], 'postgres query runs.get'), /postgres query runs\.get: parameter \$2 is undefined/);
  t.throws(() => serializeParams([{ a: 1 } as unknown as string], 'q'), /q: parameter \$1 is object: .*JSON\.stringify/);
  t.throws(() => serializeParams([new Date(NaN)], 'q'), /parameter \$1 is an invalid Date/);
  t.throws(() => serializeParams([[['nested']] as unknown as string[]], 'q'), /parameter \$1\[0\] is a nested array/);
});

t.test('timestamps: ISO-8601 UTC with six fractional digits, whatever the session time zone', async (t) => {
  t.equal(parseTimestamptz('2026-01-02 03:04:05.123456+00'), '2026-01-02T03:04:05.123456Z');
  t.equal(parseTimestamptz('2026-01-02 03:04:05+00'), '2026-01-02T03:04:05.000000Z');
  t.equal(parseTimestamptz('2026-01-02 03:04:05.5+05:30'), '2026-01-01T21:34:05.500000Z');
  t.equal(parseTimestamptz('1900-01-01 00:00:00-00:53:28'), '1900-01-01T00:53:28.000000Z');
  t.equal(parseTimestamptz('0050-06-01 12:00:00.000001+00'), '0050-06-01T12:00:00.000001Z', 'two-digit years are not 19xx');
  t.equal(parseTimestamptz('2026-01-02 03:04:05.25'), '2026-01-02T03:04:05.250000', 'timestamp without time zone keeps no Z');
  t.equal(parseTimestamptz('infinity'), 'infinity');
  t.equal(parseTimestamptz('0044-03-15 12:00:00+00 BC'), '0044-03-15 12:00:00+00 BC', 'BC stays as Postgres prints it');
});

t.test('result parsers by type OID', async (t) => {
  t.equal(parserFor(20)('9007199254740993'), '9007199254740993', 'int8 as exact text');
  t.equal(parserFor(1700)('1.50'), '1.50', 'numeric as exact text');
  t.equal(parserFor(23)('-7'), -7);
  t.ok(Number.isNaN(parserFor(701)('NaN')));
  t.equal(parserFor(701)('-Infinity'), -Infinity);
  t.equal(parserFor(16)('t'), true);
  t.equal(parserFor(16)('f'), false);
  t.same(parserFor(3802)('{"a": [1, true, "x", null]}'), { a: [1, true, 'x', null] });
  t.same(parserFor(1009)('{plain,"a\\"b",NULL,"NULL",""}'), ['plain', 'a"b', null, 'NULL', '']);
  t.same(parserFor(1016)('{1,NULL,9007199254740993}'), ['1', null, '9007199254740993']);
  t.same(parserFor(1185)('{"2026-01-02 03:04:05+00"}'), ['2026-01-02T03:04:05.000000Z']);
  t.same(parserFor(3807)('{"{\\"a\\": 1}"}'), [{ a: 1 }]);
  t.equal(parserFor(1186)('1 day'), '1 day', 'types without a parser stay text');
  t.ok(Object.isFrozen(PARSERS));
});

t.test('server URLs are described without their password or query', async (t) => {
  t.equal(describeUrl('postgres://mlrun:s3cret@db.example:5432/mlrun?sslmode=require&password=x'), 'postgres://mlrun:***@db.example:5432/mlrun');
  t.equal(describeUrl('postgresql://postgres@127.0.0.1/x'), 'postgresql://postgres@127.0.0.1/x');
  t.throws(() => describeUrl('mysql://a@b/c'), /must start with postgres:\/\/ or postgresql:\/\/, got mysql:\/\//);
  t.throws(() => describeUrl('not a url'), /postgres url is not a valid URL/);
});

t.test('errors name the SQLSTATE and the line and column they point at', async (t) => {
  t.equal(lineAndColumn('SELECT 1;\nSELECT nope', 18), 'line 2, column 8');
  const err = Object.assign(new Error('column "nope" does not exist'), { code: '42703', position: '18' });
  t.equal(describePgError(err, 'SELECT 1;\nSELECT nope'), 'column "nope" does not exist (SQLSTATE 42703) at line 2, column 8');
  t.equal(describePgError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), ''), 'connect ECONNREFUSED');
  t.equal(describePgError('plain', ''), 'plain');
});
